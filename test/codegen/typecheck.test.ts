/**
 * The generated types under `tsc --strict`, against the official socket.io and socket.io-client
 * types: the package generated from fixtures/orders.json, in both languages, and two files that
 * use it the way an application would (usage/*.ts.txt). Every `@ts-expect-error` line there is a
 * wrong argument or acknowledgement type; the check proves each one is an error of its own line
 * by compiling a copy without the directives and comparing where the errors fall. The folders
 * live under test-artifacts/ so that the official packages resolve from the repository's node_modules.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/repo-root.js";
import { artifactDir, fixture, generateInto } from "./support.js";

const run = promisify(execFile);
const USAGES = ["orders-server", "orders-client"];
const DIRECTIVE = "// @ts-expect-error";

const STRICTEST = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noPropertyAccessFromIndexSignature: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
};

/** Runs tsc on `dir`; returns its diagnostics, one `file(line,col): error ...` per line. */
async function tsc(dir: string): Promise<string> {
  const compiler = join(repoRoot(), "node_modules", "typescript", "bin", "tsc");
  try {
    const { stdout } = await run(process.execPath, [compiler, "-p", join(dir, "tsconfig.json")], { cwd: dir });
    return stdout;
  } catch (err) {
    return (err as { stdout: string }).stdout;
  }
}

/** A folder with the package in ./pkg, the usage files, and a tsconfig. */
async function project(
  name: string,
  lang: "js" | "ts",
  compilerOptions: Record<string, unknown>,
  stripDirectives = false,
): Promise<string> {
  const dir = artifactDir(name);
  await generateInto(fixture("orders"), join(dir, "pkg"), lang);
  for (const usage of USAGES) {
    let text = readFileSync(join(repoRoot(), "test", "codegen", "usage", `${usage}.ts.txt`), "utf8");
    // Same line numbers, no directives: each line that had one must now be an error.
    if (stripDirectives)
      text = text
        .split("\n")
        .map((l) => (l.trim().startsWith(DIRECTIVE) ? "//" : l))
        .join("\n");
    writeFileSync(join(dir, `${usage}.ts`), text);
  }
  const tsconfig = {
    compilerOptions: {
      noEmit: true,
      module: "nodenext",
      moduleResolution: "nodenext",
      target: "es2022",
      lib: ["es2022", "dom"],
      types: ["node"],
      // The generated .d.ts files are checked too, not skipped.
      skipLibCheck: false,
      ...compilerOptions,
    },
    files: USAGES.map((u) => `${u}.ts`),
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  return dir;
}

/** `file:line` of every line right after a directive, in the usage files. */
function directiveTargets(): string[] {
  return USAGES.flatMap((usage) => {
    const lines = readFileSync(join(repoRoot(), "test", "codegen", "usage", `${usage}.ts.txt`), "utf8").split("\n");
    return lines.flatMap((l, i) => (l.trim().startsWith(DIRECTIVE) ? [`${usage}.ts:${i + 2}`] : []));
  });
}

describe("generated types under tsc --strict with the official socket.io types", () => {
  it("compiles the JavaScript package's declarations and the usage, every @ts-expect-error an error", async () => {
    const dir = await project("typecheck-js", "js", STRICTEST);
    expect(await tsc(dir)).toBe("");
  }, 120000);

  it("compiles the TypeScript package under the strictest options (verbatimModuleSyntax, erasableSyntaxOnly, no unused)", async () => {
    const dir = await project("typecheck-ts", "ts", {
      ...STRICTEST,
      verbatimModuleSyntax: true,
      erasableSyntaxOnly: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
    });
    expect(await tsc(dir)).toBe("");
  }, 120000);

  it("puts each expected error on the line after its directive, and nowhere else", async () => {
    const dir = await project("typecheck-stripped", "js", STRICTEST, true);
    const output = await tsc(dir);
    const errorLines = new Set(
      [...output.matchAll(/^([\w-]+\.ts)\((\d+),\d+\): error/gm)].map((m) => `${m[1]}:${m[2]}`),
    );
    const targets = directiveTargets();
    expect(targets.length).toBe(31);
    expect(
      targets.filter((t) => !errorLines.has(t)),
      "directives whose line compiles",
    ).toEqual([]);
    expect(
      [...errorLines].filter((l) => !targets.includes(l)),
      "errors on lines without a directive",
    ).toEqual([]);
  }, 120000);
});
