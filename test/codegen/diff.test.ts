/**
 * `sockspec diff`: a table of catalogue changes, each classified by direction (what the server
 * receives may widen, what it sends may narrow, acknowledgements flip), then the report, the
 * version bump it implies, and the command's exit status.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diff } from "../../cli/diff.js";
import { checkCatalogue } from "../../codegen/catalogue/load.js";
import { classifyChanges, type Provider } from "../../codegen/diff/classify.js";
import { diffCatalogues, reportMarkdown, requiredVersion } from "../../codegen/diff/report.js";
import type { EventCatalogue } from "../../schemas/generated/codegen/catalogue.js";

const text = (maxLength: number) => ({ title: "text", type: "string", maxLength });
const count = (maximum: number) => ({ title: "n", type: "integer", minimum: 0, maximum });
const tuple = (...items: object[]) => ({ prefixItems: items, items: false, minItems: items.length });

/** Two events, one each way, each with arguments and an acknowledgement, on `/`; a shared Label type. */
function base(): any {
  return {
    title: "diff fixture",
    version: "1.4.2",
    $defs: { Label: { type: "string", enum: ["a", "b"] } },
    namespaces: {
      "/": {
        clientToServer: {
          up: { args: tuple(text(100)), ack: tuple(count(10)) },
          tag: { args: tuple({ title: "label", $ref: "#/$defs/Label" }) },
        },
        serverToClient: { down: { args: tuple(text(100)), ack: tuple(count(10)) } },
      },
    },
  };
}

function changed(edit: (c: any) => void): EventCatalogue {
  const c = base();
  edit(c);
  return checkCatalogue(c, "new.json");
}

const up = (c: any) => c.namespaces["/"].clientToServer.up;
const down = (c: any) => c.namespaces["/"].serverToClient.down;

/** [what, edit, level with the server deploying first, level with the client deploying first] */
const TABLE: [string, (c: any) => void, string, string][] = [
  ["client→server args widen", (c) => (up(c).args.prefixItems[0].maxLength = 200), "compatible", "breaking"],
  ["client→server args narrow", (c) => (up(c).args.prefixItems[0].maxLength = 50), "breaking", "compatible"],
  ["server→client args widen", (c) => (down(c).args.prefixItems[0].maxLength = 200), "breaking", "compatible"],
  ["server→client args narrow", (c) => (down(c).args.prefixItems[0].maxLength = 50), "compatible", "breaking"],
  [
    "client→server ack widen (the server sends it)",
    (c) => (up(c).ack.prefixItems[0].maximum = 20),
    "breaking",
    "compatible",
  ],
  [
    "client→server ack narrow (the server sends it)",
    (c) => (up(c).ack.prefixItems[0].maximum = 5),
    "compatible",
    "breaking",
  ],
  [
    "server→client ack widen (the server receives it)",
    (c) => (down(c).ack.prefixItems[0].maximum = 20),
    "compatible",
    "breaking",
  ],
  [
    "server→client ack narrow (the server receives it)",
    (c) => (down(c).ack.prefixItems[0].maximum = 5),
    "breaking",
    "compatible",
  ],
  [
    "client→server args type changed",
    (c) => (up(c).args.prefixItems[0] = { title: "text", type: "number" }),
    "breaking",
    "breaking",
  ],
  [
    "client→server new required argument",
    (c) => up(c).args.prefixItems.push({ type: "string" }) && (up(c).args.minItems = 2),
    "breaking",
    "breaking",
  ],
  [
    "server→client new required argument",
    (c) => down(c).args.prefixItems.push({ type: "string" }) && (down(c).args.minItems = 2),
    "breaking",
    "breaking",
  ],
  [
    "client→server new optional argument",
    (c) =>
      (c.namespaces["/"].clientToServer.tag.args = {
        ...tuple({ title: "label", $ref: "#/$defs/Label" }, { type: "string" }),
        minItems: 1,
      }),
    "compatible",
    "breaking",
  ],
  [
    "shared type widened, used by a client→server argument",
    (c) => c.$defs.Label.enum.push("c"),
    "compatible",
    "breaking",
  ],
  ["client→server event removed", (c) => delete c.namespaces["/"].clientToServer.up, "breaking", "breaking"],
  ["server→client event removed", (c) => delete c.namespaces["/"].serverToClient.down, "breaking", "breaking"],
  ["client→server event added", (c) => (c.namespaces["/"].clientToServer.ping = {}), "compatible", "compatible"],
  [
    "server→client event added",
    (c) => (c.namespaces["/"].serverToClient.hello = { args: tuple(text(5)) }),
    "compatible",
    "compatible",
  ],
  ["acknowledgement added", (c) => (c.namespaces["/"].clientToServer.tag.ack = tuple()), "breaking", "breaking"],
  ["acknowledgement removed", (c) => delete down(c).ack, "breaking", "breaking"],
  ["namespace added", (c) => (c.namespaces["/admin"] = {}), "compatible", "compatible"],
  ["namespace removed", (c) => (c.namespaces = { "/admin": {} }), "breaking", "breaking"],
  ["event deprecated", (c) => (up(c).deprecated = true), "compatible", "compatible"],
  [
    "summary and argument description",
    (c) => ((up(c).summary = "Send up."), (up(c).args.prefixItems[0].description = "words")),
    "docs",
    "docs",
  ],
];

/** The most serious level among the changes. */
function worst(old: EventCatalogue, next: EventCatalogue, provider: Provider): string {
  const levels = classifyChanges(old, next, provider).map((c) => c.level);
  return levels.includes("breaking")
    ? "breaking"
    : levels.includes("compatible")
      ? "compatible"
      : levels.includes("docs")
        ? "docs"
        : "none";
}

describe("diff classifies by direction", () => {
  const old = checkCatalogue(base(), "old.json");
  it.each(TABLE)("%s: %s with the server first, %s with the client first", (_what, edit, serverFirst, clientFirst) => {
    const next = changed(edit);
    expect(worst(old, next, "server")).toBe(serverFirst);
    expect(worst(old, next, "client")).toBe(clientFirst);
  });

  it("says which argument moved and why it matters", () => {
    const [change] = classifyChanges(
      old,
      changed((c) => (up(c).args.prefixItems[0].maxLength = 50)),
      "server",
    );
    expect(change).toMatchObject({
      level: "breaking",
      kind: "args-narrowed",
      pointer: "/namespaces/~1/clientToServer/up/args/prefixItems/0/maxLength",
      namespace: "/",
      event: "up",
      part: "args",
      receiver: "server",
    });
    expect(change!.message).toBe(
      "argument 0 (text): maxLength 100 → 50 (narrowed; the server receives it: deployed clients may still send what it now refuses)",
    );
  });

  it("sees no change in an identical catalogue, and follows recursive references without looping", () => {
    expect(classifyChanges(old, checkCatalogue(base(), "same.json"))).toEqual([]);
    const tree = (max: number) => ({
      title: "t",
      $defs: {
        Node: {
          type: "object",
          properties: {
            name: { type: "string", maxLength: max },
            kids: { type: "array", items: { $ref: "#/$defs/Node" } },
          },
        },
      },
      namespaces: { "/": { clientToServer: { tree: { args: tuple({ $ref: "#/$defs/Node" }) } } } },
    });
    const changes = classifyChanges(checkCatalogue(tree(5), "a"), checkCatalogue(tree(9), "b"));
    expect(changes.map((c) => [c.level, c.pointer])).toEqual([
      ["compatible", "/namespaces/~1/clientToServer/tree/args/prefixItems/0/properties/name/maxLength"],
    ]);
  });
});

describe("the diff report", () => {
  const old = { file: "old.json", catalogue: checkCatalogue(base(), "old.json") };

  it("implies a major, minor or patch version and checks the declared one", () => {
    const breaking = diffCatalogues(old, {
      file: "new.json",
      catalogue: changed((c) => ((up(c).args.prefixItems[0].maxLength = 50), (c.version = "1.5.0"))),
    });
    expect(breaking.bump).toBe("major");
    expect(breaking.version).toEqual({ old: "1.4.2", new: "1.5.0", required: "2.0.0", ok: false });
    const compatible = diffCatalogues(old, {
      file: "new.json",
      catalogue: changed((c) => ((c.namespaces["/"].clientToServer.ping = {}), (c.version = "1.5.0"))),
    });
    expect([compatible.bump, compatible.version?.ok]).toEqual(["minor", true]);
    expect(
      diffCatalogues(old, { file: "new.json", catalogue: changed((c) => (c.description = "now described")) }).bump,
    ).toBe("patch");
    expect(requiredVersion("0.3.1", "major")).toBe("0.4.0");
    expect(requiredVersion("0.3.1", "minor")).toBe("0.3.2");
  });

  it("renders Markdown with one row per change", () => {
    const report = diffCatalogues(old, {
      file: "new.json",
      catalogue: changed((c) => delete c.namespaces["/"].serverToClient.down),
    });
    const md = reportMarkdown(report);
    expect(md).toContain("### Catalogue changes: `old.json` → `new.json`");
    expect(md).toContain(
      "**1 breaking, 0 compatible, 0 documentation: needs a major version; version 1.4.2 → 1.4.2 is too small: 2.0.0 or above.**",
    );
    expect(md).toContain(
      '| ✗ breaking | / server → client "down" | removed: peers on the old catalogue still send or expect it | `/namespaces/~1/serverToClient/down` |',
    );
  });
});

describe("sockspec diff", () => {
  const dir = mkdtempSync(join(tmpdir(), "sockspec-diff-"));
  const write = (name: string, catalogue: unknown) => {
    writeFileSync(join(dir, name), JSON.stringify(catalogue));
    return join(dir, name);
  };
  const sink = () => {
    const out = { text: "", write: (t: string) => ((out.text += t), true) };
    return out;
  };
  const oldFile = write("old.json", base());

  it("exits 0 for a compatible change, 1 for a breaking one, 2 for an invalid catalogue", async () => {
    const compatible = write("compatible.json", {
      ...base(),
      version: "1.5.0",
      namespaces: { "/": { ...base().namespaces["/"], serverToClient: {} } },
    });
    const added = write(
      "added.json",
      changed((c) => ((c.namespaces["/"].clientToServer.ping = {}), (c.version = "1.5.0"))),
    );
    const out = sink();
    expect(await diff([oldFile, added, "--format", "json"], { stdout: out, stderr: sink() })).toBe(0);
    expect(JSON.parse(out.text)).toMatchObject({
      bump: "minor",
      counts: { breaking: 0, compatible: 1, docs: 0 },
      provider: "server",
    });
    expect(await diff([oldFile, compatible], { stdout: sink(), stderr: sink() })).toBe(1);
    const err = sink();
    expect(
      await diff(
        [oldFile, write("bad.json", { title: "x", namespaces: { "/": { clientToServer: { connect: {} } } } })],
        { stdout: sink(), stderr: err },
      ),
    ).toBe(2);
    expect(err.text).toContain('"connect" is a reserved event name');
    expect(await diff([oldFile], { stdout: sink(), stderr: sink() })).toBe(2);
  });

  it("lets a deliberate break through with --allow-major when the version says so", async () => {
    const major = write(
      "major.json",
      changed((c) => ((up(c).args.prefixItems[0].maxLength = 50), (c.version = "2.0.0"))),
    );
    expect(await diff([oldFile, major], { stdout: sink(), stderr: sink() })).toBe(1);
    expect(await diff([oldFile, major, "--allow-major"], { stdout: sink(), stderr: sink() })).toBe(0);
    const text = sink();
    await diff([oldFile, major, "--provider", "client"], { stdout: text, stderr: sink() });
    expect(text.text).toContain("(the client deploys first)");
    expect(text.text).toContain("✓ compatible");
  });
});
