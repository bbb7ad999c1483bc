/**
 * One generated module described once and written in either language: TypeScript source
 * (`--lang ts`), or JavaScript with its declarations (`--lang js`). Type declarations go to the
 * `.ts` and the `.d.ts`, value code to the `.ts` and the `.js`, and each exported value has its
 * type written once.
 */

/** The target language of a generated package. */
export type Lang = "ts" | "js";

/** An exported (or local) constant. */
export interface ValueDeclaration {
  doc?: string;
  name: string;
  /** Its TypeScript type. */
  type: string;
  /** Its initializer (the same text serves JS and TS, unless `jsInit` is given). */
  init: string;
  /** The initializer in JavaScript, when `init` has TypeScript syntax. */
  jsInit?: string;
  /** Not exported. */
  local?: boolean;
}

/** An exported function. */
export interface FunctionDeclaration {
  doc?: string;
  /** `of<N extends keyof X>(io: Io, name: N): X[N]` */
  tsSignature: string;
  /** `of(io, name)` */
  jsSignature: string;
  /** The body, including braces. */
  body: string;
  /** The body in JavaScript, when `body` has TypeScript syntax. */
  jsBody?: string;
}

/** What a module holds. */
export interface ModuleSpec {
  banner: string;
  /** Imports of values (`import { table } from "./validators.js";`): in the .ts and the .js. */
  valueImports?: string[];
  /** Imports of types: in the .ts and the .d.ts. */
  typeImports?: string[];
  /** Type declarations and re-exports of types: in the .ts and the .d.ts. */
  types?: string[];
  values?: ValueDeclaration[];
  functions?: FunctionDeclaration[];
  /** Statements for the .js and the .ts (re-exports of values). */
  statements?: string[];
}

/** The files of one module: `{ ".ts": text }` or `{ ".js": text, ".d.ts": text }`. */
export function renderModule(spec: ModuleSpec, lang: Lang): Record<string, string> {
  const join = (blocks: (string | undefined)[]) => blocks.filter((b) => b !== undefined && b !== "").join("\n") + "\n";
  const types = (spec.types ?? []).join("\n");
  const valueImports = (spec.valueImports ?? []).join("\n");
  const typeImports = (spec.typeImports ?? []).join("\n");
  const statements = (spec.statements ?? []).join("\n");
  const values = spec.values ?? [];
  const functions = spec.functions ?? [];
  const declare = (v: ValueDeclaration, typed: boolean) =>
    `${v.doc ?? ""}${v.local ? "" : "export "}const ${v.name}${typed ? `: ${v.type}` : ""} = ${typed ? v.init : (v.jsInit ?? v.init)};`;
  if (lang === "ts") {
    return {
      ".ts": join([
        spec.banner,
        [typeImports, valueImports].filter(Boolean).join("\n"),
        types,
        values.map((v) => declare(v, true)).join("\n\n"),
        functions.map((f) => `${f.doc ?? ""}export function ${f.tsSignature} ${f.body}`).join("\n\n"),
        statements,
      ]),
    };
  }
  return {
    ".js": join([
      spec.banner,
      valueImports,
      values.map((v) => declare(v, false)).join("\n\n"),
      functions.map((f) => `${f.doc ?? ""}export function ${f.jsSignature} ${f.jsBody ?? f.body}`).join("\n\n"),
      statements,
    ]),
    ".d.ts": join([
      spec.banner,
      typeImports,
      types,
      values
        .filter((v) => !v.local)
        .map((v) => `${v.doc ?? ""}export declare const ${v.name}: ${v.type};`)
        .join("\n\n"),
      functions.map((f) => `${f.doc ?? ""}export declare function ${f.tsSignature};`).join("\n\n"),
      statements,
    ]),
  };
}
