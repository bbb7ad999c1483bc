/**
 * The one way the project's commands read their command line: `--flag value`, `--flag=value`,
 * bare flags and bare arguments, in order.
 */

/**
 * Calls `visit` for each argument with its flag (the part before `=`, or the whole argument)
 * and a reader of its value (after `=`, else the next argument); a flag that needs a value and
 * has none throws `missing(flag)`.
 * @example
 * ```ts
 * walkArgs(["--out", "dir", "--json"], (f) => new Error(`${f} needs a value`), (flag, value) => { ... });
 * ```
 */
export function walkArgs(
  argv: readonly string[],
  missing: (flag: string) => Error,
  visit: (flag: string, value: () => string, raw: string) => void,
): void {
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.startsWith("--") ? raw.indexOf("=") : -1;
    const flag = eq === -1 ? raw : raw.slice(0, eq);
    visit(
      flag,
      () => {
        if (eq !== -1) return raw.slice(eq + 1);
        const v = argv[++i];
        if (v === undefined) throw missing(flag);
        return v;
      },
      raw,
    );
  }
}
