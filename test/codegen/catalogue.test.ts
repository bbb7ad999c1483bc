/**
 * Bad catalogues: each gets an error that points at the place (file, line and column, JSON
 * pointer) and says what was expected; and nothing generated from a bad one reaches the disk.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { codegen } from "../../cli/codegen.js";
import { parseCatalogue, readCatalogue } from "../../codegen/catalogue/load.js";
import { CatalogueError, formatProblem, type CatalogueProblem } from "../../codegen/catalogue/problems.js";
import { generatePackage } from "../../codegen/emit/generate.js";
import { fixture } from "./support.js";

const tuple = (...items: object[]) => ({ prefixItems: items, items: false, minItems: items.length });

/** A valid catalogue to break in one place. */
function valid(): any {
  return {
    title: "t",
    $defs: { Text: { type: "string", maxLength: 10 } },
    namespaces: {
      "/": { clientToServer: { say: { args: tuple({ title: "text", $ref: "#/$defs/Text" }) } }, serverToClient: {} },
    },
  };
}

function problemsOf(catalogue: unknown): CatalogueProblem[] {
  const text = JSON.stringify(catalogue, null, 2);
  try {
    parseCatalogue(text, "bad.json");
  } catch (err) {
    if (err instanceof CatalogueError) return [...err.problems];
    throw err;
  }
  return [];
}

const say = (c: any) => c.namespaces["/"].clientToServer.say;

/** [what is wrong, the edit, pointer, message part, expected part] */
const CASES: [string, (c: any) => void, string, RegExp, RegExp | undefined][] = [
  [
    "a reserved event name",
    (c) => (c.namespaces["/"].clientToServer.connect = {}),
    "/namespaces/~1/clientToServer/connect",
    /"connect" is a reserved event name/,
    /any name but connect, connect_error/,
  ],
  [
    "a misspelt keyword",
    (c) => (c.$defs.Text.maxLenght = 3),
    "/$defs/Text/maxLenght",
    /unknown keyword "maxLenght"/,
    /"maxLength"/,
  ],
  [
    "a reference to nothing",
    (c) => (say(c).args.prefixItems[0].$ref = "#/$defs/Txt"),
    "/namespaces/~1/clientToServer/say/args/prefixItems/0/$ref",
    /#\/\$defs\/Txt does not exist/,
    /#\/\$defs\/Text/,
  ],
  [
    "a reference out of the catalogue",
    (c) => (say(c).args.prefixItems[0].$ref = "other.json#/x"),
    "/namespaces/~1/clientToServer/say/args/prefixItems/0/$ref",
    /points outside the catalogue's \$defs/,
    undefined,
  ],
  [
    "an optional argument before an ack",
    (c) => ((say(c).ack = tuple()), say(c).args.prefixItems.push({ type: "number" })),
    "/namespaces/~1/clientToServer/say/args/minItems",
    /the ack callback right after the last argument sent/,
    /2 \(put optional values in an object instead\)/,
  ],
  [
    "more required arguments than listed",
    (c) => (say(c).args.minItems = 2),
    "/namespaces/~1/clientToServer/say/args/minItems",
    /2 required arguments, but only 1 listed/,
    /at most 1/,
  ],
  [
    "maxItems that disagrees",
    (c) => (say(c).args.maxItems = 3),
    "/namespaces/~1/clientToServer/say/args/maxItems",
    /3 is not the number of arguments listed/,
    /1, or no maxItems/,
  ],
  [
    "an open tuple",
    (c) => (say(c).args.items = true),
    "/namespaces/~1/clientToServer/say/args/items",
    /true is not allowed here/,
    /false/,
  ],
  [
    "an unknown property of an event",
    (c) => (say(c).argz = {}),
    "/namespaces/~1/clientToServer/say/argz",
    /unexpected property "argz"/,
    /summary, description, deprecated, args, ack, examples/,
  ],
  [
    "a format the validators do not know",
    (c) => (c.$defs.Text.format = "phone"),
    "/$defs/Text/format",
    /format "phone" is not one the generated validators check/,
    /date-time, date, time, email, uri, uuid/,
  ],
  [
    "binary with a type",
    (c) => (c.$defs.Blob = { binary: true, type: "string" }),
    "/$defs/Blob/type",
    /a binary value has no JSON type/,
    undefined,
  ],
  [
    "two arguments with one name",
    (c) => (say(c).args = tuple({ title: "a", type: "string" }, { title: "a", type: "string" })),
    "/namespaces/~1/clientToServer/say/args/prefixItems/1/title",
    /"a" already names argument 0/,
    /unique within the event/,
  ],
  [
    "an argument title that is not an identifier",
    (c) => (say(c).args.prefixItems[0].title = "the text"),
    "/namespaces/~1/clientToServer/say/args/prefixItems/0/title",
    /"the text" cannot name an argument/,
    /an identifier/,
  ],
  [
    "an example that fails its schema",
    (c) => (say(c).examples = [{ args: ["far too long a text"] }]),
    "/namespaces/~1/clientToServer/say/examples/0/args/0",
    /the example fails its schema: must NOT have more than 10 characters/,
    undefined,
  ],
  [
    "an example ack for an event without one",
    (c) => (say(c).examples = [{ args: ["hi"], ack: [] }]),
    "/namespaces/~1/clientToServer/say/examples/0/ack",
    /the event has no acknowledgement/,
    undefined,
  ],
  [
    "a shared schema that cannot name a type",
    (c) => (c.$defs.text = { type: "string" }),
    "/$defs/text",
    /"text" cannot name a shared schema/,
    /PascalCase/,
  ],
  [
    "a namespace without a slash",
    (c) => (c.namespaces.admin = {}),
    "/namespaces/admin",
    /"admin" is not a namespace name/,
    /starting with "\/"/,
  ],
  [
    "a refused keyword",
    (c) => (c.$defs.Text.$id = "urn:x"),
    "/$defs/Text/$id",
    /"\$id" is not allowed in a catalogue/,
    undefined,
  ],
  [
    "a pattern ajv cannot compile",
    (c) => (c.$defs.Text.pattern = "(unclosed"),
    "/$defs/Text",
    /the schema does not compile/,
    undefined,
  ],
  ["no namespaces", (c) => delete c.namespaces, "", /missing property "namespaces"/, undefined],
];

describe("an invalid catalogue", () => {
  it.each(CASES)("%s: points at the place and says what was expected", (_what, edit, pointer, message, expected) => {
    const catalogue = valid();
    edit(catalogue);
    const problems = problemsOf(catalogue);
    const problem = problems.find((p) => p.pointer === pointer);
    expect(problem, `problems: ${problems.map(formatProblem).join("; ")}`).toBeDefined();
    expect(problem!.message).toMatch(message);
    if (expected) expect(problem!.expected).toMatch(expected);
    expect(problem!.file).toBe("bad.json");
    // The position is the line of the offending key (or of its nearest parent that exists).
    const line = JSON.stringify(catalogue, null, 2).split("\n")[problem!.position!.line - 1]!;
    const last = pointer.split("/").pop()!.replace(/~1/g, "/").replace(/~0/g, "~");
    // An array element has no key: its line holds its value.
    if (pointer && !/^\d+$/.test(last)) expect(line).toContain(`"${last}"`);
  });

  it("says where JSON itself is broken", () => {
    let error: unknown;
    try {
      parseCatalogue('{\n  "title": "x",\n  "namespaces": {\n}', "broken.json");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CatalogueError);
    const [problem] = (error as CatalogueError).problems;
    expect(problem!.message).toMatch(/^not JSON/);
    expect(problem!.position?.line).toBe(4);
    expect(formatProblem(problem!)).toMatch(/^broken\.json:4:\d+ \/: not JSON/);
  });

  it("reports every problem at once", () => {
    const catalogue = valid();
    catalogue.namespaces["/"].clientToServer.connect = {};
    catalogue.namespaces["/"].clientToServer.say.argz = 1;
    expect(
      problemsOf(catalogue)
        .map((p) => p.pointer)
        .sort(),
    ).toEqual(["/namespaces/~1/clientToServer/connect", "/namespaces/~1/clientToServer/say/argz"]);
  });

  it("refuses names that would clash in the generated code", async () => {
    const clash = valid();
    clash.namespaces["/a-b"] = {};
    clash.namespaces["/a_b"] = {};
    const reserved = valid();
    reserved.$defs.Binary = { type: "string" };
    for (const [catalogue, message] of [
      [
        clash,
        /a type of namespace \/a_b would be named ABClientToServerEvents, which is already the name of \/namespaces\/~1a-b/,
      ],
      [reserved, /shared schema Binary would be named Binary, which is already the name of a generated declaration/],
    ] as const) {
      const checked = parseCatalogue(JSON.stringify(catalogue), "clash.json");
      await expect(generatePackage(checked, { source: "clash.json" })).rejects.toThrow(message);
    }
  });

  it("accepts the fixtures", async () => {
    await expect(readCatalogue(fixture("orders"))).resolves.toMatchObject({ catalogue: { title: "Order desk" } });
  });
});

describe("sockspec codegen with a bad catalogue", () => {
  it("exits 2 with the problem, and leaves the output folder as it was", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sockspec-codegen-bad-"));
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify(valid()));
    const out = join(dir, "out");
    const quiet = { write: () => true };
    expect(await codegen([good, "--out", out], { stdout: quiet, stderr: quiet })).toBe(0);
    const before = readFileSync(join(out, "types.d.ts"), "utf8");

    const catalogue = valid();
    catalogue.namespaces["/"].clientToServer.connect = {};
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify(catalogue, null, 2));
    let stderr = "";
    expect(await codegen([bad, "--out", out], { stdout: quiet, stderr: { write: (t: string) => (stderr += t) } })).toBe(
      2,
    );
    expect(stderr).toMatch(
      /bad\.json:\d+:\d+ \/namespaces\/~1\/clientToServer\/connect: "connect" is a reserved event name/,
    );
    expect(readFileSync(join(out, "types.d.ts"), "utf8")).toBe(before);
    expect(existsSync(join(dir, "out.tmp"))).toBe(false);
    expect(
      await codegen([join(dir, "missing.json"), "--out", join(dir, "never")], { stdout: quiet, stderr: quiet }),
    ).toBe(2);
    expect(existsSync(join(dir, "never"))).toBe(false);
  });
});
