/**
 * The validators module: the table `wrap` and `guard` run on, a Standard Schema object for every
 * event's arguments and acknowledgement and for every shared type, and a type guard per shared
 * type. It wraps the raw standalone code, which it imports.
 */
import { jsdoc } from "./jsdoc.js";
import type { ModuleSpec } from "./module.js";
import type { CatalogueModel, EventModel, TupleModel } from "./model.js";
import { propertyKey } from "./names.js";
import type { StandaloneValidators } from "./standalone.js";
import { tupleType } from "./types.js";

function validatorOf(tuple: TupleModel, raw: StandaloneValidators): string {
  const name = raw.tuples.get(tuple.pointer);
  if (!name) throw new Error(`no validator was compiled for ${tuple.pointer}`);
  return `v(raw.${name})`;
}

function ackShape(tuple: TupleModel | undefined): string {
  if (!tuple) return "none";
  if (tuple.args.length === 0) return "none";
  return tuple.args.length === 1 && !tuple.args[0]!.optional ? "value" : "tuple";
}

function tableEntry(event: EventModel, raw: StandaloneValidators): string {
  const names = `[${event.args.args.map((a) => JSON.stringify(a.name)).join(", ")}]`;
  const ack = event.ack ? validatorOf(event.ack, raw) : "undefined";
  return `${propertyKey(event.name)}: { args: ${validatorOf(event.args, raw)}, argNames: ${names}, ack: ${ack}, ackShape: ${JSON.stringify(ackShape(event.ack))} }`;
}

/** `{ a: X, b: Y }` over several lines at `indent`. */
function objectLiteral(members: string[], indent: string): string {
  if (members.length === 0) return "{}";
  return `{\n${members.map((m) => `${indent}  ${m},`).join("\n")}\n${indent}}`;
}

/** The spec of `validators.(ts|js)`. */
export function validatorsModule(model: CatalogueModel, raw: StandaloneValidators, banner: string): ModuleSpec {
  const directions = ["clientToServer", "serverToClient"] as const;
  const table = objectLiteral(
    model.namespaces.map(
      (ns) =>
        `${JSON.stringify(ns.name)}: ${objectLiteral(
          directions.map(
            (d) =>
              `${d}: ${objectLiteral(
                ns.events[d].map((e) => tableEntry(e, raw)),
                "    ",
              )}`,
          ),
          "  ",
        )}`,
    ),
    "",
  );
  const schemaType = objectLiteral(
    model.namespaces.map(
      (ns) =>
        `readonly ${JSON.stringify(ns.name)}: ${objectLiteral(
          directions.map(
            (d) =>
              `readonly ${d}: ${objectLiteral(
                ns.events[d].map(
                  (e) =>
                    `readonly ${propertyKey(e.name)}: { readonly args: StandardSchemaV1<${tupleType(e.args)}>${e.ack ? `; readonly ack: StandardSchemaV1<${tupleType(e.ack)}>` : ""} }`,
                ),
                "    ",
              )}`,
          ),
          "  ",
        )}`,
    ),
    "",
  ).replace(/,\n/g, ";\n");
  const schemaValue = objectLiteral(
    model.namespaces.map(
      (ns) =>
        `${JSON.stringify(ns.name)}: ${objectLiteral(
          directions.map(
            (d) =>
              `${d}: ${objectLiteral(
                ns.events[d].map(
                  (e) =>
                    `${propertyKey(e.name)}: { args: standard(${validatorOf(e.args, raw)})${e.ack ? `, ack: standard(${validatorOf(e.ack, raw)})` : ""} }`,
                ),
                "    ",
              )}`,
          ),
          "  ",
        )}`,
    ),
    "",
  );
  const defNames = model.defs;
  const defsType = objectLiteral(
    defNames.map((n) => `readonly ${n}: StandardSchemaV1<${n}>`),
    "",
  ).replace(/,\n/g, ";\n");
  const defsValue = objectLiteral(
    defNames.map((n) => `${n}: standard(v(raw.${raw.defs.get(n)}))`),
    "",
  );
  const usedTypes = new Set<string>(defNames);
  for (const ns of model.namespaces) {
    for (const d of directions) {
      for (const e of ns.events[d])
        for (const t of [e.args, e.ack]) for (const a of t?.args ?? []) usedTypes.add(a.type);
    }
  }
  const typeNames = [...usedTypes].filter((t) => /^[A-Z][A-Za-z0-9]*$/.test(t)).sort();
  return {
    banner,
    valueImports: [
      `import * as raw from "./validators.raw.js";`,
      `import { guardOf, standard } from "./runtime/standard.js";`,
    ],
    typeImports: [
      `import type { ValidateFunction, ValidationTable } from "./runtime/check.js";`,
      `import type { StandardSchemaV1 } from "./runtime/standard.js";`,
      ...(typeNames.length ? [`import type { ${typeNames.join(", ")} } from "./types.js";`] : []),
    ],
    types: [`export type { StandardSchemaV1 } from "./runtime/standard.js";`],
    values: [
      {
        name: "v",
        type: "(f: unknown) => ValidateFunction",
        init: "(f: unknown): ValidateFunction => f as ValidateFunction",
        jsInit: "(f) => f",
        local: true,
      },
      {
        doc: jsdoc(["Every event's checks, by namespace and direction: what `wrap` and `guard` run on each message."]),
        name: "table",
        type: "ValidationTable",
        init: table,
      },
      {
        doc: jsdoc([
          "A Standard Schema object (https://standardschema.dev) for every event's arguments and acknowledgement, by namespace and direction.",
        ]),
        name: "schemas",
        type: schemaType,
        init: schemaValue,
      },
      {
        doc: jsdoc(["A Standard Schema object for every shared payload type of the catalogue."]),
        name: "defs",
        type: defsType,
        init: defsValue,
      },
      ...defNames.map((n) => ({
        doc: jsdoc([`True when \`value\` is a valid ${n}.`]),
        name: `is${n}`,
        type: `(value: unknown) => value is ${n}`,
        init: `guardOf(v(raw.${raw.defs.get(n)}))`,
      })),
    ],
  };
}
