/**
 * Engine.IO v4, chapter PAYLOAD: the framing of polling bodies. Records joined by 0x1E, binary
 * as `b` + strict base64, empty records refused, every 0x1E a separator, and the records before
 * a bad one delivered before the session closes.
 */
import { canonical, defineChapter, fail, show, unmet, type CaseDefinition } from "../../case.js";
import { decodeBody, type EngineIOv4Packet, type PollingSession } from "../../client/engine.js";
import type { HttpResponse } from "../../client/http.js";
import type { CaseContext } from "../../runner/context.js";
import { errorCode } from "../../checks/error.js";
import { expectEchoWorks, expectEchoed, pollMessages } from "../../checks/echo.js";
import { expectClosed, expectClosedByBadRecord, refused, sessionState } from "../../checks/gone.js";
import { PRECONDITIONS as P } from "../../preconditions.js";
import { dataOf, postOk, postTolerant, wakesHeldGet } from "../../client/reading.js";

/** The text messages of one polling body, ignoring pings (one may come first on a slow run). */
function recordsWithoutPings(res: HttpResponse): string {
  return res.text
    .split("\x1e")
    .filter((r) => r !== "2")
    .join("\x1e");
}

/**
 * POSTs `body` while a GET of the session is pending, so that whatever the server delivers
 * before it closes the session is echoed into that GET. Returns the GET's answer. A GET that
 * reached the server only after the POST (it is then refused with a 4xx, or answered with a
 * ping alone before the POST) says nothing; the attempt is repeated, at most three times.
 */
async function postWithPendingGet(
  ctx: CaseContext,
  body: string,
): Promise<{ session: PollingSession; get: HttpResponse; post: HttpResponse | "dropped" }> {
  for (let attempt = 1; ; attempt++) {
    const session = await ctx.engine.openPolling();
    const pending = ctx.http.request({ query: session.query() });
    // Long enough for the GET to reach the server first on any loopback run.
    await new Promise((r) => setTimeout(r, ctx.scale(50)));
    const post = await postTolerant(session, body);
    const get = await pending;
    const late = refused(get) || (get.status === 200 && get.text === "2");
    if (!late || attempt === 3) {
      ctx.equal(get.status, 200, "status of the GET pending during the POST");
      return { session, get, post };
    }
    ctx.note(`the GET was not pending when the POST arrived (attempt ${attempt}); trying again`);
  }
}

/**
 * The SHOULD of EIO4-PAYLOAD-14 (and EIO4-CLOSE-11): the messages of the records before a bad
 * one, and only those, reach the GET that was pending. Judged only on a server that answers a
 * held GET as soon as it has a packet (EIO4-POLLING-19, a SHOULD too): otherwise the GET may have
 * been closed before the echo was due, which says nothing about the records.
 */
async function expectDeliveredBeforeClose(
  ctx: CaseContext,
  packets: EngineIOv4Packet[],
  expected: string[],
): Promise<void> {
  const delivered = packets.filter((p) => p.type === "message").map(dataOf);
  if (canonical(delivered) === canonical(expected)) return;
  if (!(await wakesHeldGet(ctx))) {
    ctx.note(
      `the pending GET brought ${show(delivered)}; this server answers a held GET only later (EIO4-POLLING-19), so which records were delivered cannot be told`,
    );
    return;
  }
  await expectEchoWorks(ctx, "polling", `the messages echoed before the close are ${show(delivered)}`);
  ctx.softFail(`the messages echoed before the close are ${show(delivered)} (EIO4-PAYLOAD-14)`, {
    expected: show(expected),
    observed: show(delivered),
  });
}

/** A base64 case: the invalid `b` record should close the session (a SHOULD: acceptance is a warning). */
function invalidBase64(id: string, title: string, record: string): CaseDefinition {
  return {
    id,
    title,
    rules: ["EIO4-PAYLOAD-13"],
    level: "SHOULD",
    // On a Socket.IO endpoint the application would close the session over the stray binary
    // message, whatever the base64: only the bare endpoint shows how the record was decoded.
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      await postTolerant(session, record);
      // Note to EIO4-PAYLOAD-13: the official server decodes base64 leniently.
      ctx.equal(await sessionState(ctx, session), "gone", `the session after the record ${show(record)}`);
    },
  };
}

/** An empty-record case: the payload must close the session. */
function emptyRecord(id: string, title: string, body: string): CaseDefinition {
  return {
    id,
    title,
    rules: ["EIO4-PAYLOAD-04", "EIO4-PAYLOAD-01"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      await postTolerant(session, body);
      await expectClosed(ctx, session, `the payload ${show(body)}`);
    },
  };
}

export const payloadCases = defineChapter("engine.io v4 / payload", [
  {
    id: "eio4.payload.batch-three",
    title: "Three records in one POST are echoed in order, joined by 0x1E in one GET",
    rules: ["EIO4-PAYLOAD-01", "EIO4-PAYLOAD-11", "EIO4-POLLING-06"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await postOk(ctx, "4test1\x1e4test2\x1e4test3");
      const { messages, responses } = await pollMessages(ctx, session, 3, "the three echoes");
      await expectEchoed(ctx, messages.map(dataOf), ['"test1"', '"test2"', '"test3"'], "the echoed messages");
      const first = recordsWithoutPings(responses.find((r) => r.text.includes("test1"))!);
      if (first !== "4test1\x1e4test2\x1e4test3")
        ctx.softFail("the three echoes were not batched in one GET (EIO4-POLLING-06)", {
          expected: show("4test1\x1e4test2\x1e4test3"),
          observed: show(responses.map((r) => r.text)),
        });
    },
  },
  {
    id: "eio4.payload.mixed-text-binary",
    title: "Text and binary records mix in one payload and keep their order",
    rules: ["EIO4-PAYLOAD-02", "EIO4-PAYLOAD-11"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await postOk(ctx, "4hello\x1ebAQIDBA==\x1e4world\x1eb");
      const { messages, responses } = await pollMessages(ctx, session, 4, "the four echoes");
      await expectEchoed(ctx, messages.map(dataOf), ['"hello"', "<01020304>", '"world"', "<>"], "the echoed messages");
      const records = responses.flatMap((r) => r.text.split("\x1e")).filter((r) => r !== "2");
      ctx.deepEqual(records, ["4hello", "bAQIDBA==", "4world", "b"], "the echoed records");
    },
  },
  {
    id: "eio4.payload.multibyte-records",
    title: "Records of multi-byte characters split on 0x1E and arrive intact",
    rules: ["EIO4-PAYLOAD-09", "EIO4-PACKET-08"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await postOk(ctx, "4€\x1e4😀\x1e4é");
      const { messages, responses } = await pollMessages(ctx, session, 3, "the three echoes");
      await expectEchoed(ctx, messages.map(dataOf), ['"€"', '"😀"', '"é"'], "the echoed messages");
      const want = Buffer.from("4€\x1e4😀\x1e4é");
      if (!responses.some((r) => Buffer.from(r.bytes).includes(want)))
        ctx.softFail("the echoes were not batched in one GET (EIO4-POLLING-06)", {
          expected: want.toString("hex"),
          observed: responses.map((r) => Buffer.from(r.bytes).toString("hex")).join(" "),
        });
    },
  },
  {
    id: "eio4.payload.hundred-records",
    title: "A payload of 100 records is delivered whole and in order",
    rules: ["EIO4-PAYLOAD-11", "EIO4-POLLING-07"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const sent = Array.from({ length: 100 }, (_, i) => `m${i + 1}`);
      const session = await postOk(ctx, sent.map((m) => "4" + m).join("\x1e"));
      const { messages } = await pollMessages(ctx, session, 100, "the 100 echoes");
      await expectEchoed(
        ctx,
        messages.map((m) => m.data),
        sent,
        "the echoed messages",
      );
    },
  },
  {
    id: "eio4.payload.separator-in-data",
    title: "0x1E inside a text record splits it: `4a\\x1eb` is the message a and an empty binary message",
    rules: ["EIO4-PAYLOAD-06", "EIO4-PAYLOAD-01"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await postOk(ctx, "4a\x1eb");
      const { messages } = await pollMessages(ctx, session, 2, "the two echoes");
      await expectEchoed(ctx, messages.map(dataOf), ['"a"', "<>"], "the echoed messages");
    },
  },
  {
    id: "eio4.payload.separator-then-garbage",
    title: "`4a\\x1ez` is the message a and a bad record: the session closes (and a is delivered first)",
    rules: ["EIO4-PAYLOAD-06", "EIO4-PAYLOAD-07", "EIO4-PAYLOAD-14"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const { session, get } = await postWithPendingGet(ctx, "4a\x1ez");
      // Read as one message `a\x1ez`, the payload would leave the session open.
      await expectClosedByBadRecord(ctx, session, "the invalid record z", "z", P.unknownTypeCloses);
      await expectDeliveredBeforeClose(ctx, decodeBody(get), ['"a"']);
    },
  },
  {
    id: "eio4.payload.partial-delivery",
    title: "A bad record closes the session (records before it are delivered, those after it are not)",
    rules: ["EIO4-PAYLOAD-07", "EIO4-PAYLOAD-14", "EIO4-CLOSE-11", "EIO4-PAYLOAD-06"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const { session, get } = await postWithPendingGet(ctx, "4hello\x1eabc\x1e4world");
      await expectClosedByBadRecord(ctx, session, "the invalid record abc", "abc", P.unknownTypeCloses);
      await expectDeliveredBeforeClose(ctx, decodeBody(get), ['"hello"']);
    },
  },
  {
    id: "eio4.payload.invalid-status",
    title: "A POST of an invalid payload is answered 400 with code 3",
    rules: ["EIO4-PAYLOAD-08"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const res = await postTolerant(session, "4a\x1e\x1e4b");
      // Which answer an invalid payload gets says something only if the server took it for one.
      if ((await sessionState(ctx, session)) === "open")
        unmet(
          P.emptyRecordCloses,
          "the payload 4a\\x1e\\x1e4b left the session open: the server did not take it for invalid",
          { expected: "the session closed", observed: "a poll was served" },
        );
      if (res === "dropped")
        fail("the POST of an invalid payload got no answer", {
          expected: `400 {"code":3,...}`,
          observed: "connection dropped",
        });
      // Note to EIO4-PAYLOAD-08: the official server answers 200 ok; the rule is a SHOULD.
      if (res.status !== 400 || errorCode(res) !== 3)
        fail(`the POST of an invalid payload got ${res.status}`, {
          expected: `400 {"code":3,"message":"Bad request"}`,
          observed: `${res.status} ${res.text.slice(0, 120)}`,
        });
    },
  },
  emptyRecord("eio4.payload.empty-body", "An empty POST body is a protocol error that closes the session", ""),
  emptyRecord("eio4.payload.trailing-separator", "A trailing separator (`4a\\x1e`) closes the session", "4a\x1e"),
  emptyRecord("eio4.payload.leading-separator", "A leading separator (`\\x1e4a`) closes the session", "\x1e4a"),
  emptyRecord(
    "eio4.payload.double-separator",
    "Two adjacent separators (`4a\\x1e\\x1e4b`) close the session",
    "4a\x1e\x1e4b",
  ),
  {
    id: "eio4.payload.base64-valid-forms",
    title: "Padded base64 of every length, and `b` alone, decode exactly",
    rules: ["EIO4-PAYLOAD-03", "EIO4-PAYLOAD-02"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await postOk(ctx, "bAQIDBA==\x1ebAQIDBAU=\x1ebAQIDBAUG\x1eb\x1eb/+8=");
      const { messages } = await pollMessages(ctx, session, 5, "the five binary echoes");
      await expectEchoed(
        ctx,
        messages.map(dataOf),
        ["<01020304>", "<0102030405>", "<010203040506>", "<>", "<ffef>"],
        "the decoded messages",
      );
    },
  },
  invalidBase64(
    "eio4.payload.base64-bad-char",
    "A `b` record with a character outside base64 (`bAQ!D`) closes the session",
    "bAQ!D",
  ),
  invalidBase64(
    "eio4.payload.base64-url-alphabet",
    "A `b` record in the URL-safe alphabet (`b-_-_`) closes the session",
    "b-_-_",
  ),
  invalidBase64(
    "eio4.payload.base64-unpadded",
    "A `b` record without its padding (`bAQIDBA`) closes the session",
    "bAQIDBA",
  ),
  invalidBase64(
    "eio4.payload.base64-pad-bits",
    "A `b` record with non-zero pad bits (`bAR==`) closes the session",
    "bAR==",
  ),
  {
    id: "eio4.payload.invalid-utf8",
    title: "A POST body that is not UTF-8 is a protocol error",
    rules: ["EIO4-PAYLOAD-10", "EIO4-PAYLOAD-09"],
    level: "SHOULD",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      await postTolerant(session, new Uint8Array([0x34, 0x61, 0xff, 0xfe, 0x62]), {
        headers: { "content-type": "text/plain;charset=UTF-8" },
      });
      // Note to EIO4-PAYLOAD-10: the official server delivers replacement characters; a warning.
      if ((await sessionState(ctx, session)) === "open")
        fail("a body that is not UTF-8 was accepted", {
          expected: "the session closed",
          observed: "the session goes on",
        });
    },
  },
]);
