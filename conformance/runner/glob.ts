/**
 * Globs over dotted case IDs: `*` matches within one segment (no dot), `**` matches across
 * segments (anything, dots included). `eio4.*.polling-open`, `eio4.**`, `**.upgrade.*`.
 */

/** Compiles a glob to an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        i++;
        // `**.` also matches nothing, so `eio4.**.probe` matches `eio4.probe`.
        if (glob[i + 1] === ".") {
          i++;
          out += "(?:.*\\.)?";
        } else out += ".*";
      } else out += "[^.]*";
    } else out += c.replace(/[\\^$+?.()|[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/** True when `id` matches the glob. */
export function matchGlob(glob: string, id: string): boolean {
  return globToRegExp(glob).test(id);
}

/**
 * Applies --only and --skip: a case runs when it matches some `only` glob (or `only` is empty)
 * and no `skip` glob.
 */
export function selectIds<T extends { id: string }>(
  cases: readonly T[],
  only: readonly string[],
  skip: readonly string[],
): T[] {
  const onlyRe = only.map(globToRegExp);
  const skipRe = skip.map(globToRegExp);
  return cases.filter(
    (c) => (onlyRe.length === 0 || onlyRe.some((r) => r.test(c.id))) && !skipRe.some((r) => r.test(c.id)),
  );
}
