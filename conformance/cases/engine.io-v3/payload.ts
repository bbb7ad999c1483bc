/**
 * Engine.IO v3, chapter PAYLOAD: the length-prefixed text payload (`<length>:<packet>`, the
 * length in UTF-16 code units), the XHR2 binary payload (`application/octet-stream`) and which
 * of the two a poll gets, and what makes a payload invalid. Judged through the bare echo.
 */
import { defineChapter, fail, show } from "../../case.js";
import { expectV3Open, v3SidState } from "../../checks/v3-session.js";
import type { CaseContext } from "../../runner/context.js";
import type { EngineIOv3Packet, V3PollingSession } from "../../client/v3-engine.js";

/** The messages of polls until `count` have come (a few polls at most). */
async function pollMessages(session: V3PollingSession, count: number): Promise<EngineIOv3Packet[]> {
  const got: EngineIOv3Packet[] = [];
  for (let i = 0; i < 5 && got.length < count; i++)
    got.push(...(await session.get()).packets.filter((p) => p.type === "message"));
  return got;
}

/**
 * Opens a fresh session for each bad body and expects each to end it; fails naming every body
 * that left its session open.
 */
async function eachEndsSession(ctx: CaseContext, bodies: Array<string | Uint8Array>, binary: boolean): Promise<void> {
  const survived: string[] = [];
  for (const body of bodies) {
    const session = await ctx.eio3().openPolling();
    const shown = show(body);
    ctx.note(`posting ${shown}`);
    // The POST itself may be refused (400) or accepted (the official server): what counts is the session.
    const res = await session
      .post(body, { headers: { "content-type": binary ? "application/octet-stream" : "text/plain;charset=UTF-8" } })
      .catch((err: unknown) => err as Error);
    if (!(res instanceof Error) && res.status >= 500) survived.push(`${shown} (answered ${res.status})`);
    else if ((await v3SidState(session)) === "open") {
      // A server may close a moment after it answers: one more look, later.
      await ctx.sleep(ctx.scale(50));
      if ((await v3SidState(session)) === "open") survived.push(shown);
    }
  }
  if (survived.length)
    fail(`the session stayed open after the invalid payload ${survived.join(", ")}`, {
      expected: "each session closed (its sid refused)",
      observed: `${survived.length} of ${bodies.length} stayed open`,
    });
}

export const eio3PayloadCases = defineChapter("engine.io v3 / payload", [
  {
    id: "eio3.payload.batch-three",
    title: "Three records posted in one payload come back as three messages; a burst comes framed `<length>:<packet>`",
    rules: ["EIO3-PAYLOAD-01"],
    level: "MUST",
    requires: ["eio3", "engine-echo", "control"],
    async run(ctx) {
      const session = await ctx.eio3().openPolling();
      await session.send("2:4a2:4b2:4c");
      const got = await pollMessages(session, 3);
      ctx.deepEqual(
        got.map((p) => (p as { data?: unknown }).data),
        ["a", "b", "c"],
        "the echoed messages",
      );
      await session.send("17:4sockspec:burst:3");
      const res = await session.raw();
      ctx.assert(res.text.startsWith("8:4burst:1"), "the burst comes length-prefixed, first 8:4burst:1", {
        expected: "8:4burst:18:4burst:28:4burst:3",
        observed: show(res.text),
      });
    },
  },
  {
    id: "eio3.payload.utf16-length",
    title: "Lengths count UTF-16 code units: `3:4😀` and `2:4€` are read and written so",
    rules: ["EIO3-PAYLOAD-02"],
    level: "MUST",
    requires: ["eio3", "engine-echo"],
    async run(ctx) {
      const session = await ctx.eio3().openPolling();
      await session.send("3:4😀2:4€");
      const res = await session.raw();
      ctx.equal(res.text, "3:4😀2:4€", "the body of the poll");
    },
  },
  {
    id: "eio3.payload.record-separator",
    title: "The byte 0x1E inside a v3 text message is data, not a separator",
    rules: ["EIO3-PAYLOAD-10"],
    level: "MUST",
    requires: ["eio3", "engine-echo"],
    async run(ctx) {
      const session = await ctx.eio3().openPolling();
      await session.send("4:4a\x1eb");
      const got = await pollMessages(session, 1);
      ctx.deepEqual(got, [{ type: "message", data: "a\x1eb" }], "the echoed messages");
    },
  },
  {
    id: "eio3.payload.invalid-closes",
    title: "A malformed text payload (`5:4hello`, `6:4hel`, `:4`, `6:4hello3`, `abc`, empty) ends the session",
    rules: ["EIO3-PAYLOAD-03"],
    level: "MUST",
    requires: ["eio3", "polling"],
    async run(ctx) {
      await eachEndsSession(ctx, ["5:4hello", "6:4hel", ":4", "6:4hello3", "abc", ""], false);
    },
  },
  {
    id: "eio3.payload.leading-zero",
    title: "A length with a leading zero (`06:4hello`) or a zero length is a protocol error",
    rules: ["EIO3-PAYLOAD-11"],
    level: "SHOULD",
    requires: ["eio3", "polling"],
    async run(ctx) {
      await eachEndsSession(ctx, ["06:4hello", "6:4hello0:"], false);
    },
  },
  {
    id: "eio3.payload.empty-payload",
    title: "The body `0:` is the empty payload: accepted, and the session stays open",
    rules: ["EIO3-PAYLOAD-08"],
    level: "SHOULD",
    requires: ["eio3", "polling"],
    async run(ctx) {
      const session = await ctx.eio3().openPolling();
      const res = await session.post("0:");
      ctx.equal(`${res.status} ${res.text}`, "200 ok", "the answer to the POST of 0:");
      await expectV3Open(session, "after the empty payload");
    },
  },
  {
    id: "eio3.payload.binary-post",
    title: "A POST of an XHR2 binary payload (octet-stream) is decoded: its text and binary messages are echoed",
    rules: ["EIO3-PAYLOAD-06", "EIO3-PAYLOAD-04", "EIO3-PACKET-01"],
    level: "MUST",
    requires: ["eio3", "engine-echo"],
    async run(ctx) {
      const session = await ctx.eio3().openPolling({ b64: true });
      const body = Buffer.from("0006ff3468656c6c6f0105ff0401020304", "hex");
      const res = await session.post(new Uint8Array(body));
      ctx.equal(`${res.status} ${res.text}`, "200 ok", "the answer to the binary POST");
      const got = await pollMessages(session, 2);
      ctx.deepEqual(
        got,
        [
          { type: "message", data: "hello" },
          { type: "message", data: new Uint8Array([1, 2, 3, 4]) },
        ],
        "the echoed messages (b64=1)",
      );
    },
  },
  {
    id: "eio3.payload.binary-get",
    title: "Without b64, a poll holding a binary message is an XHR2 binary payload sent as application/octet-stream",
    rules: ["EIO3-PAYLOAD-05", "EIO3-PAYLOAD-04", "EIO3-PACKET-01"],
    level: "MUST",
    requires: ["eio3", "engine-echo"],
    async run(ctx) {
      const session = await ctx.eio3().openPolling();
      await session.send("6:4hello10:b4AQIDBA==");
      const res = await session.raw();
      ctx.equal(res.status, 200, "status of the poll");
      ctx.match(res.headers["content-type"] ?? "", /^application\/octet-stream/i, "content type of the poll");
      ctx.equal(Buffer.from(res.bytes).toString("hex"), "0006ff3468656c6c6f0105ff0401020304", "the bytes of the poll");
    },
  },
  {
    id: "eio3.payload.text-get-content-type",
    title: "A poll that holds only text is a text payload sent as text/plain; charset=UTF-8",
    rules: ["EIO3-PAYLOAD-05", "EIO3-PACKET-01"],
    level: "MUST",
    requires: ["eio3", "engine-echo"],
    async run(ctx) {
      const session = await ctx.eio3().openPolling();
      await session.send("6:4hello");
      const res = await session.raw();
      ctx.match(res.headers["content-type"] ?? "", /^text\/plain;\s*charset=utf-8$/i, "content type of the poll");
      ctx.equal(res.text, "6:4hello", "the body of the poll");
    },
  },
  {
    id: "eio3.payload.binary-invalid",
    title:
      "A malformed binary payload (bad marker, digit byte over 9, length past the end, bad type, bad UTF-8) ends the session",
    rules: ["EIO3-PAYLOAD-07"],
    level: "MUST",
    requires: ["eio3", "polling"],
    async run(ctx) {
      const hex = ["0201ff34", "000aff3468656c6c6f6f6f6f6f", "0009ff3468", "0102ff0501", "0004ff34eda080"];
      await eachEndsSession(
        ctx,
        hex.map((h) => new Uint8Array(Buffer.from(h, "hex"))),
        true,
      );
    },
  },
]);
