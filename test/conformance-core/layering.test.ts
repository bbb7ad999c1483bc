// The suite's own layering, read from its import lines: the case API (case.ts, preconditions.ts,
// runner/context.ts, runner/timing.ts) sits below the clients, the clients below the shared checks,
// the checks below the chapter files; no module imports itself back through a cycle; and a chapter
// file exports cases only.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const conformance = join(root, "conformance");

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== "generated") tsFiles(full, out);
    } else if (name.endsWith(".ts")) out.push(full);
  }
  return out;
}

const files = tsFiles(conformance);
/** Module -> the conformance modules it imports at run time (type-only imports leave no edge). */
const graph = new Map<string, string[]>(
  files.map((f) => {
    const text = readFileSync(f, "utf8");
    const deps: string[] = [];
    for (const m of text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+"(\.[^"]+)";/gms)) {
      if (m[2]) continue;
      const target = resolve(dirname(f), m[3]!.replace(/\.js$/, ".ts"));
      if (target.startsWith(conformance)) deps.push(target);
    }
    return [f, deps];
  }),
);
const rel = (f: string) => relative(conformance, f).split("\\").join("/");
const layer = (f: string) => rel(f).split("/")[0]!;

describe("the conformance suite's layering", () => {
  it("has no import cycle", () => {
    const cycles: string[] = [];
    const state = new Map<string, 1 | 2>();
    const stack: string[] = [];
    const visit = (n: string) => {
      state.set(n, 1);
      stack.push(n);
      for (const d of graph.get(n) ?? []) {
        if (state.get(d) === 1) cycles.push([...stack.slice(stack.indexOf(d)), d].map(rel).join(" -> "));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(n, 2);
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it("keeps the clients below the checks and the checks below the chapter files", () => {
    const wrong: string[] = [];
    for (const [f, deps] of graph) {
      for (const d of deps) {
        if (layer(f) === "client" && ["checks", "cases", "reporters", "mutants"].includes(layer(d)))
          wrong.push(`${rel(f)} -> ${rel(d)}`);
        if (layer(f) === "checks" && ["cases", "reporters", "mutants"].includes(layer(d)))
          wrong.push(`${rel(f)} -> ${rel(d)}`);
        if (["case.ts", "preconditions.ts"].includes(rel(f)) && layer(d) !== rel(d))
          wrong.push(`${rel(f)} -> ${rel(d)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("has chapter files that hold cases only", () => {
    const extra: string[] = [];
    for (const f of files.filter((x) => layer(x) === "cases" && rel(x) !== "cases/index.ts")) {
      for (const m of readFileSync(f, "utf8").matchAll(
        /^export\s+(?:const|function|async function|class|let|interface|type)\s+(\w+)/gm,
      )) {
        if (!/Cases$/.test(m[1]!)) extra.push(`${rel(f)}: ${m[1]}`);
      }
    }
    expect(extra).toEqual([]);
  });
});
