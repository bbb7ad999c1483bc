import { describe, expect, it } from "vitest";
import { Server } from "../../reference/socket.io/server.js";
import { SOCKET_FAULTS, socketSeams, type SocketFault } from "../../reference/faults/socket.io/index.js";
import { V3_SOCKET_FAULT_TABLE, type V3SocketFault } from "../../reference/faults/socket.io/v3-catalogue.js";
import { installSocketEcho } from "../../reference/apps/echo.js";
import { ManualClock } from "../../reference/engine/clock.js";
import { FakeConnection, settle } from "./fake-connection.js";

interface Run {
  conn: FakeConnection;
  clock: ManualClock;
  io: Server;
}

type Sent = (string | Uint8Array)[];

/** Every fault of the v3 path (SIO4 rules), in the catalogue's order. */
type V3Fault = V3SocketFault;
const FAULT_NAMES = Object.keys(V3_SOCKET_FAULT_TABLE) as V3Fault[];

interface Options {
  /** The session stands for a polling one (the default is WebSocket). */
  polling?: boolean;
}

/** One session of Engine.IO `protocol` (3: Socket.IO v4, 4: Socket.IO v5) on a server with `faults` on, driven by `script`. */
async function run(
  protocol: 3 | 4,
  faults: SocketFault[],
  script: (r: Run) => Promise<void> | void,
  options: Options = {},
) {
  const clock = new ManualClock();
  const io = new Server(undefined, { clock, connectTimeout: 1000 }, socketSeams(new Set(faults)));
  installSocketEcho(io);
  const transport = options.polling ? "polling" : "websocket";
  const conn = new FakeConnection(protocol, `/socket.io/?EIO=${protocol}&transport=${transport}`);
  conn.transport = transport;
  io.accept(conn);
  const r = { conn, clock, io };
  await script(r);
  await settle();
  return { sent: conn.sent, closed: conn.closed };
}

/** `/` joined: a v3 server joins it on its own (SIO4-CONNECT-02), a v5 client asks with a CONNECT. */
async function openRoot({ conn }: Run) {
  if (conn.protocol === 4) conn.receive("0");
  await settle();
}

async function joinRoot(r: Run) {
  await openRoot(r);
  r.conn.take();
}

async function joinCustom(r: Run) {
  await joinRoot(r);
  r.conn.receive("0/custom,");
  await settle();
  r.conn.take();
}

/** A CONNECT to `/custom` with the auth `{"token":"abc"}`: a query string in v3 (SIO4-CONNECT-04), the payload in v5. */
const connectWithToken = ({ conn }: Run) =>
  conn.receive(conn.protocol === 3 ? "0/custom?token=abc," : '0/custom,{"token":"abc"}');

/** A violation, then an event: whether the session went on serving after it. */
const violationThenEvent = (violation: string | Uint8Array) => async (r: Run) => (
  await joinRoot(r), r.conn.receive(violation, '2["message","after"]')
);

/** A binary echo: one attachment, the bytes 1 2 3. */
const binaryEcho = async (r: Run) => (
  await joinRoot(r), r.conn.receive('51-["message",{"_placeholder":true,"num":0}]', new Uint8Array([1, 2, 3]))
);

/** What the server did, per packet: its type (with attachment count) and namespace, nothing of the payload. */
const typesOnly = (sent: Sent) =>
  sent.map((m) => (typeof m === "string" ? (/^\d+-?(\/[^,[{"]*)?/.exec(m)?.[0] ?? m) : "<bytes>"));
/** Only whether the session was closed. */
const closeOnly = () => [];
/** The payloads, without type, namespace and ack id. */
const payloads = (sent: Sent) =>
  sent.map((m) => (typeof m === "string" ? m.replace(/^\d+-?(\/[^,[{"]*,?)?\d*/, "") : "<bytes>"));

type Probe = [(r: Run) => Promise<void> | void, Options?, ((sent: Sent) => unknown[])?];

// For each fault: a script, and the part of the transcript the fault is about (all of it when no
// view is given). The same script runs on a v5 session too, where the fault must change nothing.
const probes: Record<V3Fault, Probe> = {
  "v3-root-connect-named": [openRoot],
  "v3-root-reply-v5-form": [openRoot, { polling: true }],
  "v3-connect-reply-with-sid": [
    async (r) => (await joinRoot(r), r.conn.receive("0/custom,")),
    {},
    (sent) => sent.filter((m) => typeof m === "string" && m.startsWith("0")),
  ],
  "v3-reply-keeps-query": [async (r) => (await joinRoot(r), connectWithToken(r)), {}, typesOnly],
  "v3-query-not-auth": [
    async (r) => (await joinRoot(r), connectWithToken(r)),
    {},
    (sent) =>
      sent.flatMap((m) => (typeof m === "string" && /^2[^[]*\["auth"/.test(m) ? [m.slice(m.indexOf("["))] : [])),
  ],
  // The server joined the client to / on its own; a CONNECT for it is a repeat.
  "v3-repeated-connect-answered": [async (r) => (await joinRoot(r), r.conn.receive("0"))],
  "v3-repeat-connect-closes": [
    async (r) => (await joinRoot(r), r.conn.receive("0/custom,", "0/custom,")),
    {},
    closeOnly,
  ],
  "v3-namespace-comma-dropped": [async (r) => (await joinCustom(r), r.conn.receive('2/custom,["message",1]'))],
  "v3-unknown-namespace-closes": [async (r) => (await joinRoot(r), r.conn.receive("0/random,")), {}, closeOnly],
  "v3-unknown-namespace-string": [async (r) => (await joinRoot(r), r.conn.receive("0/random,")), {}, payloads],
  "v3-refusal-payload-number": [async (r) => (await joinRoot(r), r.conn.receive("0/private,")), {}, payloads],
  "v3-refusal-without-message": [async (r) => (await joinRoot(r), r.conn.receive("0/private,")), {}, payloads],
  "v3-event-payload-object": [async (r) => (await joinRoot(r), r.conn.receive('2["message",1,2,3]'))],
  "v3-ack-id-signed": [async (r) => (await joinRoot(r), r.conn.receive('2["emit-with-ack","a"]'))],
  "v3-ack-payload-object": [
    async (r) => (await joinRoot(r), r.conn.receive('27["message-with-ack",1,2]')),
    {},
    payloads,
  ],
  "v3-ack-id-off-by-one": [
    async (r) => (await joinRoot(r), r.conn.receive('27["message-with-ack"]')),
    {},
    (sent) => sent.map((m) => /^3([0-9]+)/.exec(m as string)?.[1]),
  ],
  "v3-binary-count-missing": [
    binaryEcho,
    {},
    (sent) => sent.flatMap((m) => (typeof m === "string" && m.startsWith("5") ? [m.slice(0, m.indexOf("["))] : [])),
  ],
  "v3-placeholder-misnumbered": [
    binaryEcho,
    {},
    (sent) => sent.flatMap((m) => (typeof m === "string" ? (m.match(/"num":\d+/g) ?? []) : [])),
  ],
  // Where the packet's text stands among the messages.
  "v3-attachments-first": [
    binaryEcho,
    {},
    (sent) => [sent.findIndex((m) => typeof m === "string" && m.startsWith("5"))],
  ],
  // The text messages that are not the packet.
  "v3-attachments-as-text": [binaryEcho, {}, (sent) => sent.filter((m) => typeof m === "string" && !m.startsWith("5"))],
  "v3-disconnect-with-payload": [async (r) => (await joinRoot(r), r.conn.receive('2["disconnect-me"]'))],
  "v3-rejoin-ignored": [
    async (r) => {
      await joinCustom(r);
      r.conn.receive("1/custom,");
      await settle();
      r.conn.receive("0/custom,");
    },
    {},
    typesOnly,
  ],
  "v3-leaving-root-closes": [async (r) => (await joinRoot(r), r.conn.receive("1"))],
  "v3-bad-packet-ignored": [violationThenEvent('2["message","x"]x')],
  "v3-reserved-event-accepted": [violationThenEvent('2["disconnect"]')],
  "v3-ack-leading-zero-accepted": [violationThenEvent('2012["message-with-ack"]')],
  // The empty ACK answers an EVENT the server is waiting on; a good ACK for it follows.
  "v3-empty-ack-accepted": [
    async (r) => {
      await joinRoot(r);
      r.conn.receive('2["emit-with-ack","a"]');
      await settle();
      r.conn.take();
      r.conn.receive("30", '30["r"]');
    },
  ],
};

// Probes that touch two rules at once, each pair with the reason.
const OVERLAPS: Record<string, string> = {
  "v3-refusal-payload-number+v3-refusal-without-message": "both replace the payload of a middleware refusal",
  "v3-unknown-namespace-closes+v3-unknown-namespace-string": "both change the refusal of an unknown namespace",
};

/** A transcript with ids made comparable: the Engine.IO sid by name, each other sid by its order of appearance, bytes as arrays. */
function normalize(x: { sent: Sent; closed: boolean }): Transcript {
  const ids = new Map<string, string>();
  const sent = x.sent.map((m) =>
    typeof m === "string"
      ? m.replace(/"sid":"([^"]+)"/g, (_m, value: string) => {
          const name = value.startsWith("fake-session-") ? "<engine sid>" : (ids.get(value) ?? `<sid ${ids.size}>`);
          ids.set(value, name);
          return `"sid":"${name}"`;
        })
      : [...m],
  );
  return { sent, closed: x.closed };
}

function show(x: { sent: Sent; closed: boolean }, view?: (sent: Sent) => unknown[]): string {
  return JSON.stringify(view ? { sent: view(x.sent), closed: x.closed } : normalize(x));
}

interface Transcript {
  sent: (string | number[])[];
  closed: boolean;
}
/** The session is still open, and the server sent `sent`. */
const openWith = (...sent: Transcript["sent"]): Transcript => ({ sent, closed: false });
/** The server sent `sent`, and closed the session. */
const closedWith = (...sent: Transcript["sent"]): Transcript => ({ sent, closed: true });

const ECHO = '51-["message-back",{"_placeholder":true,"num":0}]';
const INVALID = '4/random,{"message":"Invalid namespace"}';

// What each mutant does on its probe, and what the reference server does instead.
const EXPECTED: Record<V3Fault, { reference: Transcript; mutant: Transcript }> = {
  // SIO4-CONNECT-02: the unasked CONNECT for / is `40`, not the name written out.
  "v3-root-connect-named": { reference: openWith("0", '2["auth",{}]'), mutant: openWith("0/,", '2["auth",{}]') },
  // SIO4-PACKET-03: an EIO=3 session gets v4 packets; a CONNECT with a payload is a v5 one.
  "v3-root-reply-v5-form": {
    reference: openWith("0", '2["auth",{}]'),
    mutant: openWith('0{"sid":"<engine sid>"}', '2["auth",{}]'),
  },
  // SIO4-CONNECT-03: `40/custom,` is answered `40/custom,`, with no sid on the wire.
  "v3-connect-reply-with-sid": {
    reference: openWith("0/custom,", '2/custom,["auth",{}]'),
    mutant: openWith('0/custom,{"sid":"<engine sid>"}', '2/custom,["auth",{}]'),
  },
  // SIO4-CONNECT-04: the reply names the namespace without the query string.
  "v3-reply-keeps-query": {
    reference: openWith("0/custom,", '2/custom,["auth",{"token":"abc"}]'),
    mutant: openWith("0/custom?token=abc,", '2/custom,["auth",{"token":"abc"}]'),
  },
  // SIO4-CONNECT-07: the query string is the auth the application sees (echoed as the auth event).
  "v3-query-not-auth": {
    reference: openWith("0/custom,", '2/custom,["auth",{"token":"abc"}]'),
    mutant: openWith("0/custom,", '2/custom,["auth",{}]'),
  },
  // SIO4-CONNECT-05: a CONNECT for /, joined already, is a violation that closes the session.
  "v3-repeated-connect-answered": { reference: closedWith(), mutant: openWith("0", '2["auth",{}]') },
  // SIO4-CONNECT-06: a CONNECT repeated before its reply is ignored; the first gets its answer.
  "v3-repeat-connect-closes": { reference: openWith("0/custom,", '2/custom,["auth",{}]'), mutant: closedWith() },
  // SIO4-NAMESPACE-01: the namespace runs to its `,`.
  "v3-namespace-comma-dropped": {
    reference: openWith('2/custom,["message-back",1]'),
    mutant: openWith('2/custom["message-back",1]'),
  },
  // SIO4-NAMESPACE-02: the refusal of an unknown namespace keeps the session open.
  "v3-unknown-namespace-closes": { reference: openWith(INVALID), mutant: closedWith(INVALID) },
  // SIO4-NAMESPACE-03: the refusal's payload is the object form.
  "v3-unknown-namespace-string": { reference: openWith(INVALID), mutant: openWith('4/random,"Invalid namespace"') },
  // SIO4-ERROR-01: an ERROR payload is a JSON string or object, never a number.
  "v3-refusal-payload-number": {
    reference: openWith('4/private,"not authorized"'),
    mutant: openWith("4/private,403"),
  },
  // SIO4-ERROR-03: an object payload has `message`.
  "v3-refusal-without-message": {
    reference: openWith('4/private,"not authorized"'),
    mutant: openWith('4/private,{"error":"not authorized"}'),
  },
  // SIO4-EVENT-01: an EVENT's payload is an array whose first element is the name.
  "v3-event-payload-object": {
    reference: openWith('2["message-back",1,2,3]'),
    mutant: openWith('2{"message-back":[1,2,3]}'),
  },
  // SIO4-ACK-01: an ack id is plain digits.
  "v3-ack-id-signed": { reference: openWith('20["emit-with-ack","a"]'), mutant: openWith('2+0["emit-with-ack","a"]') },
  // SIO4-ACK-03: an ACK's payload is an array.
  "v3-ack-payload-object": { reference: openWith("37[1,2]"), mutant: openWith('37{"0":1,"1":2}') },
  // SIO4-ACK-04: the ACK carries the id of the EVENT it answers.
  "v3-ack-id-off-by-one": { reference: openWith("37[]"), mutant: openWith("38[]") },
  // SIO4-BINARY-01: a BINARY_EVENT carries its attachment count, `1-`.
  "v3-binary-count-missing": {
    reference: openWith(ECHO, [1, 2, 3]),
    mutant: openWith('5["message-back",{"_placeholder":true,"num":0}]', [1, 2, 3]),
  },
  // SIO4-BINARY-02: the only attachment is number 0.
  "v3-placeholder-misnumbered": {
    reference: openWith(ECHO, [1, 2, 3]),
    mutant: openWith('51-["message-back",{"_placeholder":true,"num":1}]', [1, 2, 3]),
  },
  // SIO4-BINARY-03: the attachments are the messages after the packet.
  "v3-attachments-first": { reference: openWith(ECHO, [1, 2, 3]), mutant: openWith([1, 2, 3], ECHO) },
  // SIO4-BINARY-05: an attachment is a binary message, not text.
  "v3-attachments-as-text": { reference: openWith(ECHO, [1, 2, 3]), mutant: openWith(ECHO, "AQID") },
  // SIO4-DISCONNECT-01: a DISCONNECT carries no payload.
  "v3-disconnect-with-payload": { reference: openWith("1"), mutant: openWith("1{}") },
  // SIO4-DISCONNECT-02: a namespace the client left may be joined again on the same session.
  "v3-rejoin-ignored": { reference: openWith("0/custom,", '2/custom,["auth",{}]'), mutant: openWith() },
  // SIO4-DISCONNECT-03: leaving / keeps the session open.
  "v3-leaving-root-closes": { reference: openWith(), mutant: closedWith() },
  // SIO4-ERROR-02: a violation closes the session, so the event after it is never served.
  "v3-bad-packet-ignored": { reference: closedWith(), mutant: openWith('2["message-back","after"]') },
  // SIO4-EVENT-02: a reserved event name is a violation.
  "v3-reserved-event-accepted": { reference: closedWith(), mutant: openWith('2["message-back","after"]') },
  // SIO4-ACK-05: an ack id with a leading zero is a violation; the mutant drops the packet, and acks nothing.
  "v3-ack-leading-zero-accepted": { reference: closedWith(), mutant: openWith('2["message-back","after"]') },
  // SIO4-ACK-06: an ACK without payload is a violation; the mutant drops it, and the next ACK answers the EVENT.
  "v3-empty-ack-accepted": { reference: closedWith(), mutant: openWith('2["ack-back","r"]') },
};

describe("fault switches of the v3 path", () => {
  it("has a probe and an expectation for every fault", () => {
    expect(Object.keys(probes)).toEqual(FAULT_NAMES);
    expect(Object.keys(EXPECTED)).toEqual(FAULT_NAMES);
  });

  it("the v3 catalogue holds every fault of a SIO4 rule, and only those", () => {
    const sio4 = (Object.keys(SOCKET_FAULTS) as SocketFault[]).filter((f) => SOCKET_FAULTS[f].rule.startsWith("SIO4-"));
    expect(sio4).toEqual(FAULT_NAMES);
  });

  for (const fault of FAULT_NAMES) {
    it(`${fault} changes what the server does on a v3 session, and nothing else does`, async () => {
      const [script, options, view] = probes[fault];
      const reference = await run(3, [], script, options);
      const mutant = await run(3, [fault], script, options);
      expect(show(mutant, view)).not.toBe(show(reference, view));
      // Every other v3 fault alone leaves this probe as the reference server answers it.
      for (const other of FAULT_NAMES) {
        if (other === fault) continue;
        const bystander = await run(3, [other], script, options);
        if (show(bystander, view) !== show(reference, view))
          expect(Object.keys(OVERLAPS)).toContain([fault, other].sort().join("+"));
      }
    });
  }

  for (const fault of FAULT_NAMES) {
    const { rule, breaks } = SOCKET_FAULTS[fault];
    it(`${fault} breaks ${rule}: ${breaks}`, async () => {
      const [script, options] = probes[fault];
      expect(normalize(await run(3, [], script, options))).toEqual(EXPECTED[fault].reference);
      expect(normalize(await run(3, [fault], script, options))).toEqual(EXPECTED[fault].mutant);
    });
  }

  it("v3-bad-packet-ignored lets through undecodable texts and a client's ERROR, not the violations with a fault of their own", async () => {
    // SIO4-ERROR-02: text after the payload, an unknown type, an empty text, a CONNECT with a payload, an ERROR from the client.
    for (const input of ['2["message","x"]x', '7["x"]', "", "0{}", '4{"message":"x"}', '4"x"']) {
      expect(normalize(await run(3, [], violationThenEvent(input))), JSON.stringify(input)).toEqual(closedWith());
      expect(
        normalize(await run(3, ["v3-bad-packet-ignored"], violationThenEvent(input))),
        JSON.stringify(input),
      ).toEqual(openWith('2["message-back","after"]'));
    }
    // A reserved name, a leading zero, an empty ACK, and a binary message nobody awaits (SIO4-BINARY-04).
    for (const input of ['2["disconnect"]', '2012["message-with-ack"]', "30", new Uint8Array([1])]) {
      expect(
        normalize(await run(3, ["v3-bad-packet-ignored"], violationThenEvent(input))),
        typeof input === "string" ? input : "bytes",
      ).toEqual(closedWith());
    }
  });

  it("the transport faults act on the transport their entries name only", async () => {
    const onOther: Array<[V3Fault, Options]> = [
      ["v3-root-connect-named", { polling: true }],
      ["v3-root-reply-v5-form", { polling: false }],
      ["v3-binary-count-missing", { polling: true }],
      ["v3-placeholder-misnumbered", { polling: true }],
    ];
    for (const [fault, options] of onOther) {
      const [script] = probes[fault];
      expect(show(await run(3, [fault], script, options)), fault).toBe(show(await run(3, [], script, options)));
    }
  });

  for (const fault of FAULT_NAMES) {
    it(`${fault} leaves a v5 session as the reference server serves it`, async () => {
      // The probe's own script, v5 style: `/` joined by the client, auth in the CONNECT payload.
      const [script, options] = probes[fault];
      const reference = await run(4, [], script, options);
      expect(show(await run(4, [fault], script, options))).toBe(show(reference));
    });
  }
});
