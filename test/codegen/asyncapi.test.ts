/**
 * AsyncAPI 3: exports validated by @asyncapi/parser (the reference parser, with its rule set),
 * round trips that give the catalogue back, and imports of documents that write acknowledgements
 * only as `operation.reply` or only as `x-ack`.
 */
import { Parser } from "@asyncapi/parser";
import { describe, expect, it } from "vitest";
import { exportAsyncApi } from "../../codegen/asyncapi/export.js";
import { importAsyncApi } from "../../codegen/asyncapi/import.js";
import { readCatalogue } from "../../codegen/catalogue/load.js";
import { CatalogueError } from "../../codegen/catalogue/problems.js";
import { repoRoot } from "../support/repo-root.js";
import { fixture } from "./support.js";

const CATALOGUES = { orders: fixture("orders"), chat: `${repoRoot()}/reference/apps/chat/catalogue.json` };

/** The parser's errors and warnings (hints and infos, such as "a newer AsyncAPI exists", aside). */
async function diagnostics(document: object): Promise<string[]> {
  const { document: parsed, diagnostics } = await new Parser().parse(document as never);
  const serious = diagnostics
    .filter((d) => d.severity <= 1)
    .map((d) => `${d.code}: ${d.message} at /${d.path.join("/")}`);
  if (!parsed) serious.unshift("the parser returned no document");
  return serious;
}

describe.each(Object.entries(CATALOGUES))("the %s catalogue", (_name, file) => {
  it("exports an AsyncAPI 3 document that @asyncapi/parser accepts without errors or warnings", async () => {
    const { catalogue } = await readCatalogue(file);
    const document = exportAsyncApi(catalogue);
    expect(document["asyncapi"]).toBe("3.0.0");
    expect(await diagnostics(document)).toEqual([]);
  }, 60000);

  it("comes back unchanged from its export, through JSON", async () => {
    const { catalogue } = await readCatalogue(file);
    const document = JSON.parse(JSON.stringify(exportAsyncApi(catalogue)));
    const { catalogue: back, warnings } = importAsyncApi(document, "export.json");
    expect(warnings).toEqual([]);
    expect(back).toEqual(catalogue);
    expect(exportAsyncApi(back)).toEqual(document);
  });
});

describe("the export of the order desk", () => {
  it("is judged by the parser for real: a broken payload schema is reported", async () => {
    const { catalogue } = await readCatalogue(CATALOGUES.orders);
    const document = exportAsyncApi(catalogue) as any;
    document.channels.main.messages.clientToServerTrack.payload.minItems = "one";
    expect((await diagnostics(document)).join("\n")).toMatch(/minItems/);
  }, 60000);

  it("writes acks as operation.reply and as x-ack, tuples in draft-07 form, binary as format binary", async () => {
    const { catalogue } = await readCatalogue(CATALOGUES.orders);
    const document = exportAsyncApi(catalogue) as any;
    const operation = document.operations.mainClientToServerPlaceOrder;
    expect(operation).toMatchObject({
      action: "receive",
      channel: { $ref: "#/channels/main" },
      messages: [{ $ref: "#/channels/main/messages/clientToServerPlaceOrder" }],
      reply: {
        channel: { $ref: "#/channels/main" },
        messages: [{ $ref: "#/channels/main/messages/clientToServerPlaceOrderAck" }],
      },
    });
    const message = document.channels.main.messages.clientToServerPlaceOrder;
    expect(message.name).toBe("place order");
    expect(message.payload).toMatchObject({
      type: "array",
      items: [{ title: "lines" }, { title: "email", format: "email" }],
      additionalItems: false,
      minItems: 2,
    });
    expect(message["x-ack"]).toEqual({
      args: {
        type: "array",
        items: [{ title: "receipt", $ref: "#/components/schemas/Receipt" }],
        additionalItems: false,
        minItems: 1,
      },
    });
    expect(document.channels.main.messages.clientToServerUploadScan.payload.items[1]).toEqual({
      title: "scan",
      type: "string",
      format: "binary",
    });
    expect(document.operations.mainServerToClientConfirm.action).toBe("send");
    expect(document.channels.admin.address).toBe("/admin");
    expect(document.components.schemas.Order.properties.parts.items).toEqual({ $ref: "#/components/schemas/Order" });
  });
});

/** A hand-written document in the style of other tools: one event with an ack, given one way or the other. */
function foreignDocument(ack: "reply" | "x-ack" | "x-ack schema"): object {
  const receipt = {
    type: "array",
    items: [{ type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] }],
    additionalItems: false,
    minItems: 1,
  };
  const message: Record<string, unknown> = {
    name: "save",
    payload: {
      type: "array",
      items: [{ $ref: "#/components/schemas/Note" }, { type: "string", format: "binary" }],
      additionalItems: false,
      minItems: 2,
    },
  };
  if (ack === "x-ack") message["x-ack"] = { args: receipt };
  if (ack === "x-ack schema") message["x-ack"] = receipt;
  return {
    asyncapi: "3.0.0",
    info: { title: "Notes", version: "1.2.3" },
    channels: {
      root: { address: "/", messages: { save: message, saved: { payload: receipt } } },
      http: { address: null, messages: {} },
    },
    operations: {
      save: {
        action: "receive",
        channel: { $ref: "#/channels/root" },
        messages: [{ $ref: "#/channels/root/messages/save" }],
        ...(ack === "reply"
          ? { reply: { channel: { $ref: "#/channels/root" }, messages: [{ $ref: "#/channels/root/messages/saved" }] } }
          : {}),
      },
    },
    components: { schemas: { Note: { type: "object", properties: { text: { type: "string" } }, required: ["text"] } } },
  };
}

describe("importing documents written by other tools", () => {
  it.each([["reply"], ["x-ack"], ["x-ack schema"]] as const)("reads the acknowledgement from %s", (form) => {
    const { catalogue, warnings } = importAsyncApi(foreignDocument(form), "notes.json");
    expect(warnings).toEqual(["notes.json /channels/http: left out (its address null is not a namespace name)"]);
    expect(catalogue.namespaces["/"]!.clientToServer!["save"]).toEqual({
      args: { prefixItems: [{ $ref: "#/$defs/Note" }, { binary: true }], items: false, minItems: 2 },
      ack: {
        prefixItems: [{ type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] }],
        items: false,
        minItems: 1,
      },
    });
    expect(catalogue.$defs).toEqual({
      Note: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
    });
    expect(catalogue.version).toBe("1.2.3");
  });

  it("refuses an open argument list and an AsyncAPI 2 document, saying where", () => {
    const open = foreignDocument("reply") as any;
    open.channels.root.messages.save.payload.additionalItems = { type: "string" };
    expect(() => importAsyncApi(open, "notes.json")).toThrow(CatalogueError);
    try {
      importAsyncApi(open, "notes.json");
    } catch (err) {
      expect((err as CatalogueError).problems).toMatchObject([
        { pointer: "/channels/root/messages/save/payload", message: "is an open argument list" },
      ]);
    }
    expect(() => importAsyncApi({ asyncapi: "2.6.0" }, "old.json")).toThrow(/not an AsyncAPI 3 document/);
  });

  it("puts the catalogue's own checks on what it imports", () => {
    const doc = foreignDocument("reply") as any;
    doc.channels.root.messages.save.name = "disconnect";
    expect(() => importAsyncApi(doc, "notes.json")).toThrow(
      /notes\.json \(imported\).*"disconnect" is a reserved event name/s,
    );
  });
});
