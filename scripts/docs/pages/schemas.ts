/**
 * The schema reference: one page per JSON Schema under schemas/ with its fields, examples the
 * schema accepts (found in the test vectors and the reference run, validated at build time), the
 * rules that cite it, the vectors that exercise it, the repository files that are documents of
 * it, and the schema itself, downloadable.
 */
import { code, details, escapeHtml, fence, frontMatter, link, plural, safeProse, table, text } from "../markdown.js";
import { relativeLink, schemaFile, schemaPage, SCHEMA_INDEX } from "../paths.js";
import type { SchemaDoc } from "../schema-docs.js";
import { ruleLink, type Site } from "../site.js";
import { linkRuleIds } from "./spec.js";

type Json = Record<string, unknown>;

/** A short type for a property: `string`, `integer ≥ 1`, `array of string`, `$ref packet.json`, `one of 7`. */
export function typeOf(schema: Json): string {
  if (typeof schema.$ref === "string") return `→ ${schema.$ref}`;
  if ("const" in schema) return `const ${JSON.stringify(schema.const)}`;
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  if (Array.isArray(schema.oneOf)) return `one of ${schema.oneOf.length} shapes`;
  if (Array.isArray(schema.anyOf)) return `any of ${schema.anyOf.length} shapes`;
  const type = Array.isArray(schema.type)
    ? schema.type.join(" or ")
    : typeof schema.type === "string"
      ? schema.type
      : "any";
  const bounds: string[] = [];
  if (typeof schema.minimum === "number") bounds.push(`≥ ${schema.minimum}`);
  if (typeof schema.maximum === "number") bounds.push(`≤ ${schema.maximum}`);
  if (typeof schema.minLength === "number") bounds.push(`length ≥ ${schema.minLength}`);
  if (typeof schema.minItems === "number") bounds.push(`≥ ${schema.minItems} items`);
  if (typeof schema.pattern === "string") bounds.push(`pattern ${schema.pattern}`);
  if (type === "array" && schema.items && typeof schema.items === "object")
    return `array of ${typeOf(schema.items as Json)}${bounds.length ? ` (${bounds.join(", ")})` : ""}`;
  return bounds.length ? `${type} (${bounds.join(", ")})` : type;
}

/** The fields of an object schema as a table, or nothing when it has none. */
function fieldsTable(site: Site, page: string, schema: Json): string {
  const props = schema.properties as Record<string, Json> | undefined;
  if (!props || !Object.keys(props).length) return "";
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const rows = Object.entries(props).map(([name, p]) => [
    code(name),
    code(typeOf(p)),
    required.has(name) ? "yes" : "",
    linkRuleIds(site, page, safeProse(String(p.description ?? ""))),
  ]);
  const extra = schema.additionalProperties === false ? "No other property is allowed." : "";
  return [table(["Property", "Type", "Required", "Meaning"], rows), "", extra].join("\n");
}

/** The page of one schema. */
export function schemaPageText(site: Site, doc: SchemaDoc): string {
  const page = schemaPage(doc.path).md;
  const defs = (doc.schema.$defs ?? {}) as Record<string, Json>;
  const out = [
    frontMatter({ title: doc.path, path: schemaPage(doc.path).html }),
    `# ${text(doc.title)}`,
    "",
    `${code(`schemas/${doc.path}`)} · \`$id\` ${code(doc.id)} · ${link("download the schema", relativeLink(page, schemaFile(doc.path)))}${doc.generated ? ` · TypeScript type generated in ${code(doc.generated)}` : ""}`,
    "",
    linkRuleIds(site, page, safeProse(doc.description)),
    "",
    `Type: ${code(typeOf(doc.schema))}.`,
    "",
  ];
  const fields = fieldsTable(site, page, doc.schema);
  if (fields) out.push("## Fields", "", fields, "");
  if (Object.keys(defs).length) {
    out.push("## Definitions", "");
    for (const [name, def] of Object.entries(defs)) {
      out.push(
        `### ${text(String(def.title ?? name))}`,
        "",
        `${code(`#/$defs/${name}`)}: ${code(typeOf(def))}. ${linkRuleIds(site, page, safeProse(String(def.description ?? "")))}`,
        "",
      );
      const f = fieldsTable(site, page, def);
      if (f) out.push(f, "");
    }
  }
  out.push("## Examples", "");
  if (doc.examples.length) {
    out.push(
      `Values this schema accepts, found in the repository and validated against it when the site was built:`,
      "",
    );
    for (const ex of doc.examples) {
      out.push(
        `- From ${text(ex.source)}${ex.wire !== undefined ? `, on the wire ${code(ex.wire.length > 160 ? `${ex.wire.slice(0, 160)}…` : ex.wire)}` : ""}:`,
        "",
        fence(JSON.stringify(ex.value, null, 2), "json").replace(/^/gm, "  "),
        "",
      );
    }
  } else
    out.push(
      "No vector or reference answer in the repository is an instance of this schema; see the documents below.",
      "",
    );
  if (doc.instances.length) {
    out.push(
      "## Documents of this schema in the repository",
      "",
      table(
        ["File", "Valid"],
        doc.instances.map((i) => [code(i.file), i.valid ? "yes" : `**no**: ${text(i.problem ?? "")}`]),
      ),
      "",
    );
  }
  const ruleIds = [...new Set([...doc.rules.inSchema, ...doc.rules.inSpec, ...doc.rules.byVectors])];
  out.push("## Rules", "");
  if (ruleIds.length) {
    const source = (id: string) =>
      [
        doc.rules.inSchema.includes(id) ? "cited by the schema" : "",
        doc.rules.inSpec.includes(id) ? "names the schema" : "",
        doc.rules.byVectors.includes(id) ? "checked by its vectors" : "",
      ]
        .filter(Boolean)
        .join(", ");
    out.push(
      table(
        ["Rule", "Level", "Why it is here", "Text"],
        ruleIds.map((id) => {
          const r = site.rules.get(id);
          return [
            ruleLink(site, page, id),
            r?.level ?? "",
            source(id),
            r ? linkRuleIds(site, page, safeProse(r.text), id) : "",
          ];
        }),
      ),
      "",
    );
  } else out.push("No rule cites this schema.", "");
  out.push("## Vectors that exercise it", "");
  if (doc.vectors.length) {
    const rows = doc.vectors.map((v) => [
      text(v.description),
      code(v.wire.length > 100 ? `${v.wire.slice(0, 100)}…` : v.wire),
      v.rule ? ruleLink(site, page, v.rule) : "",
      code(v.file),
    ]);
    const body = table(["Vector", "Wire", "Rule", "File"], rows);
    out.push(
      `${plural(doc.vectors.length, "valid codec vector")} decode to a value this schema accepts (the vector files are plain JSON any language can load; their own schema is \`schemas/conformance/vectors.json\`).`,
      "",
      doc.vectors.length > 20 ? details(`Show the ${doc.vectors.length} vectors`, body) : body,
      "",
    );
  } else out.push("No codec vector decodes to an instance of this schema.", "");
  out.push(
    "## The schema",
    "",
    details(`Show ${escapeHtml(doc.path)}`, fence(JSON.stringify(doc.schema, null, 2), "json")),
    "",
  );
  return out.join("\n");
}

/** The schema reference's front page. */
export function schemaIndexPage(site: Site): string {
  const page = SCHEMA_INDEX.md;
  const folders = new Map<string, SchemaDoc[]>();
  for (const d of site.schemas) folders.set(d.folder, [...(folders.get(d.folder) ?? []), d]);
  const out = [
    frontMatter({
      title: "Schema reference",
      path: SCHEMA_INDEX.html,
      children: site.schemas.map((d) => relativeLink(page, schemaPage(d.path).md)),
    }),
    "# Schema reference",
    "",
    "Every packet the spec describes has a JSON Schema (draft 2020-12), one folder per protocol version, each with a stable `$id`.",
    "They are the single source of the packet shapes: the project's TypeScript types are generated from them (`npm run gen`) and its",
    "validators compiled from them with ajv; other languages can generate their own types from the same files.",
    "",
  ];
  for (const [folder, docs] of folders) {
    out.push(
      `## ${code(folder || "schemas")}`,
      "",
      table(
        ["Schema", "Title", "What it describes", "Examples", "Vectors"],
        docs.map((d) => [
          link(code(d.path), relativeLink(page, schemaPage(d.path).md)),
          text(d.title),
          safeProse(d.description.split(/(?<=\.)\s/)[0] ?? ""),
          String(d.examples.length),
          String(d.vectors.length),
        ]),
      ),
      "",
    );
  }
  return out.join("\n");
}
