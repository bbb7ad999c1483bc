import { describe, expect, it } from "vitest";
import { Server } from "../../reference/socket.io/server.js";
import {
  FAULTS_BY_PART,
  SOCKET_FAULTS,
  socketSeams,
  type SocketFault,
} from "../../reference/faults/socket.io/index.js";
import { rules } from "../../conformance/generated/rules.js";
import { installSocketEcho } from "../../reference/apps/echo.js";
import { ManualClock } from "../../reference/engine/clock.js";
import { FakeConnection, settle } from "./fake-connection.js";

interface Run {
  conn: FakeConnection;
  clock: ManualClock;
  io: Server;
}

type Sent = (string | Uint8Array)[];

/**
 * Every fault of the v5 path, in the catalogue's order. The faults of the v3 path (SIO4 rules)
 * act on EIO=3 sessions only: v3-faults.test.ts probes them on a protocol-3 fake connection.
 */
type V5Fault = Exclude<SocketFault, `v3-${string}`>;
const FAULT_NAMES = (Object.keys(SOCKET_FAULTS) as SocketFault[]).filter(
  (f): f is V5Fault => !SOCKET_FAULTS[f].rule.startsWith("SIO4-"),
);

async function run(
  faults: SocketFault[],
  script: (r: Run) => Promise<void> | void,
  options: { recovery?: boolean } = {},
) {
  const clock = new ManualClock();
  const io = new Server(
    undefined,
    { clock, connectTimeout: 1000, ...(options.recovery ? { connectionStateRecovery: {} } : {}) },
    socketSeams(new Set(faults)),
  );
  installSocketEcho(io);
  io.of("/gate").use((_s, next) => next(new Error("no")));
  // Refuses the first CONNECT of a session run, admits the next ones.
  let refused = false;
  io.of("/once").use((_s, next) => (refused ? next() : ((refused = true), next(new Error("once")))));
  // A v5 name with a `?` in it, served as it is.
  io.of("/q?x=1");
  const conn = new FakeConnection();
  io.accept(conn);
  const r = { conn, clock, io };
  await script(r);
  await settle();
  return { sent: conn.sent, closed: conn.closed };
}

async function joinRoot({ conn }: Run) {
  conn.receive("0");
  await settle();
  conn.take();
}

async function joinCustom(r: Run) {
  await joinRoot(r);
  r.conn.receive("0/custom,");
  await settle();
  r.conn.take();
}

/** What the server did, per packet: its type (with attachment count) and namespace, nothing of the payload. */
const typesOnly = (sent: Sent) =>
  sent.map((m) => (typeof m === "string" ? (/^\d+-?(\/[^,[{"]*)?/.exec(m)?.[0] ?? m) : "<bytes>"));
/** Only whether the session was closed. */
const closeOnly = () => [];
/** The payloads, without type and namespace. */
const payloads = (sent: Sent) =>
  sent.map((m) => (typeof m === "string" ? m.replace(/^\d+-?(\/[^,[{"]*,?)?\d*/, "") : "<bytes>"));

type Probe = [(r: Run) => Promise<void> | void, { recovery?: boolean }?, ((sent: Sent) => unknown[])?];

/** Joins `/custom` with recovery, loses the session, then restores it on a new one; reports whether the sid was kept. */
async function restoreAfterDrop(r: Run) {
  r.conn.receive("0/custom,");
  await settle();
  const onCustom = (sent: Sent) =>
    sent.flatMap((m) => (typeof m === "string" && /^\d\/custom,?[[{]/.test(m) ? [m.replace(/^\d\/custom,?/, "")] : []));
  // The reply is the object, the auth event the array (in whichever order they came).
  const onJoin = onCustom(r.conn.take());
  const reply = onJoin.find((m) => m.startsWith("{"));
  const auth = onJoin.find((m) => m.startsWith("["));
  if (!reply?.startsWith("{") || !auth) return void r.conn.sent.push("restored: not joined");
  const { sid, pid } = JSON.parse(reply) as { sid: string; pid: string };
  const offset = (JSON.parse(auth) as string[]).at(-1);
  r.conn.drop("transport error");
  // An event the socket misses while away, which a restore must replay.
  r.io.of("/custom").emit("missed");
  const second = new FakeConnection();
  r.io.accept(second);
  second.receive(`0/custom,${JSON.stringify({ pid, offset })}`);
  await settle();
  const again = onCustom(second.sent).find((m) => m.startsWith("{"));
  const restored = again?.startsWith("{") ? (JSON.parse(again) as { sid: string }).sid : undefined;
  r.conn.sent.push(
    `missed: ${second.sent.some((m) => typeof m === "string" && m.includes('["missed"')) ? "replayed" : "lost"}`,
  );
  r.conn.sent.push(`restored: ${restored === undefined ? "no reply" : restored === sid ? "same sid" : "new sid"}`);
}

// For each fault: a script, and what the reference server does on it. The mutant must differ.
// The optional view keeps only the part of the transcript the fault is about.
const probes: Record<V5Fault, Probe> = {
  "ack-id-off-by-one": [async (r) => (await joinRoot(r), r.conn.receive('27["message-with-ack"]'))],
  "connect-reply-extra-key": [
    (r) => r.conn.receive("0"),
    {},
    (sent) =>
      sent.slice(0, 1).map((m) => Object.keys(JSON.parse((m as string).slice((m as string).indexOf("{"))) as object)),
  ],
  "connect-error-string-in-v5": [async (r) => (await joinRoot(r), r.conn.receive("0/gate,")), {}, payloads],
  "unknown-namespace-closes-session": [async (r) => (await joinRoot(r), r.conn.receive("0/random,")), {}, closeOnly],
  "no-close-on-invalid-packet": [async (r) => (await joinRoot(r), r.conn.receive('2["message","x"]x'))],
  "unknown-type-accepted": [async (r) => (await joinRoot(r), r.conn.receive('7["x"]'))],
  "bad-event-payload-accepted": [async (r) => (await joinRoot(r), r.conn.receive("2{}"))],
  "bad-ack-accepted": [async (r) => (await joinRoot(r), r.conn.receive('2012["message-with-ack","z"]'))],
  "bad-connect-accepted": [async (r) => (await joinRoot(r), r.conn.receive("1{}"))],
  "bad-binary-accepted": [async (r) => (await joinRoot(r), r.conn.receive('50-["message"]'))],
  "duplicate-connect-accepted": [async (r) => (await joinRoot(r), r.conn.receive("0"))],
  "disconnect-closes-engine": [async (r) => (await joinRoot(r), r.conn.receive("1"))],
  "connect-timeout-ignored": [(r) => r.clock.advance(1000)],
  "binary-placeholder-misnumbered": [
    async (r) => (
      await joinRoot(r), r.conn.receive('51-["message",{"_placeholder":true,"num":0},"end"]', new Uint8Array([1]))
    ),
    {},
    (sent) => sent.flatMap((m) => (typeof m === "string" ? (m.match(/"num":\d+/g) ?? []) : [])),
  ],
  "event-without-ack-gets-ack": [async (r) => (await joinRoot(r), r.conn.receive('2["message-with-ack",1]'))],
  "reserved-event-accepted": [async (r) => (await joinRoot(r), r.conn.receive('2["disconnect"]'))],
  "attachments-not-awaited": [
    async (r) => (await joinRoot(r), r.conn.receive('51-["message",{"_placeholder":true,"num":0}]')),
  ],
  "recovery-offset-missing": [
    async (r) => {
      await joinRoot(r);
      r.io.emit("hello");
    },
    { recovery: true },
  ],
  "unjoined-namespace-packet-ignored": [async (r) => (await joinRoot(r), r.conn.receive('2/custom,["message","x"]'))],
  "namespace-sid-is-engine-sid": [(r) => r.conn.receive("0")],
  "unprompted-connect-reply": [() => undefined],
  "second-connect-before-reply-dropped": [
    (r) => r.conn.receive("0", "0/custom,"),
    {},
    (sent) => typesOnly(sent).sort(),
  ],
  "repeat-connect-closes": [(r) => r.conn.receive("0", "0"), {}, typesOnly],
  "repeat-connect-answered-twice": [(r) => r.conn.receive("0", "0"), {}, typesOnly],
  "connect-reply-late": [
    (r) => r.conn.receive("0/custom,"),
    {},
    (sent) => typesOnly(sent).filter((t) => t.endsWith("/custom")),
  ],
  "namespace-comma-required": [(r) => r.conn.receive("0/custom"), {}, closeOnly],
  "auth-dropped": [
    (r) => r.conn.receive('0/custom,{"a":1}'),
    {},
    (sent) =>
      sent.flatMap((m) => (typeof m === "string" && /^2\/custom,?\["auth"/.test(m) ? [m.slice(m.indexOf("["))] : [])),
  ],
  "client-ack-ignored": [
    async (r) => {
      await joinRoot(r);
      r.conn.receive('2["emit-with-ack","a"]');
      await settle();
      r.conn.take();
      r.conn.receive('30["r"]');
    },
  ],
  "unknown-ack-closes": [async (r) => (await joinRoot(r), r.conn.receive('3987["x"]'))],
  "event-args-last-dropped": [async (r) => (await joinRoot(r), r.conn.receive('2["message",1,2]'))],
  "events-reordered": [async (r) => (await joinRoot(r), r.conn.receive('2["message"]', '2["emit-with-ack"]'))],
  "numeric-event-name-refused": [async (r) => (await joinRoot(r), r.conn.receive("2[7]"))],
  "namespace-written-without-comma": [async (r) => (await joinCustom(r), r.conn.receive('2/custom,["message"]'))],
  "namespace-query-stripped": [async (r) => (await joinRoot(r), r.conn.receive("0/q?x=1,")), {}, typesOnly],
  "namespace-name-folded": [async (r) => (await joinRoot(r), r.conn.receive("0/Custom/,")), {}, typesOnly],
  "disconnect-leaves-all": [
    async (r) => (await joinCustom(r), r.conn.receive("1/custom,", '2["message","x"]')),
    {},
    closeOnly,
  ],
  "rejoin-ignored": [
    async (r) => {
      await joinCustom(r);
      r.conn.receive("1");
      await settle();
      r.conn.receive("0");
    },
    {},
    typesOnly,
  ],
  "server-ack-id-reused": [
    async (r) => (await joinRoot(r), r.conn.receive('2["emit-with-ack","a"]', '2["emit-with-ack","b"]')),
    {},
    (sent) => sent.map((m) => /^2([0-9]+)\[/.exec(m as string)?.[1]),
  ],
  "binary-count-after-namespace": [
    async (r) => (await joinCustom(r), void r.io.of("/custom").emit("bin", new Uint8Array([1]))),
    {},
    (sent) => sent.flatMap((m) => (typeof m === "string" ? [m.slice(0, m.indexOf("["))] : [])),
  ],
  "empty-attachment-ignored": [
    async (r) => (await joinRoot(r), r.conn.receive('51-["message",{"_placeholder":true,"num":0}]', new Uint8Array(0))),
    {},
    (sent) => [sent.length > 0],
  ],
  "close-after-rest-of-payload": [async (r) => (await joinRoot(r), r.conn.receive("2{}", '2["message","after"]'))],
  "middleware-error-data-dropped": [async (r) => (await joinRoot(r), r.conn.receive("0/private,")), {}, payloads],
  "refusal-sticky": [
    async (r) => {
      await joinRoot(r);
      r.conn.receive("0/once,");
      await settle();
      r.conn.take();
      r.conn.receive("0/once,");
    },
    {},
    typesOnly,
  ],
  "placeholder-substituted-in-event": [
    async (r) => (await joinRoot(r), r.conn.receive('2["message",{"_placeholder":true,"num":0}]')),
    {},
    typesOnly,
  ],
  "connect-error-from-client-ignored": [async (r) => (await joinRoot(r), r.conn.receive('4{"message":"x"}'))],
  "server-disconnect-without-packet": [async (r) => (await joinRoot(r), r.conn.receive('2["disconnect-me"]'))],
  "close-me-keeps-session": [async (r) => (await joinRoot(r), r.conn.receive('2["close-me"]')), {}, closeOnly],
  "connect-timeout-not-cleared": [
    async (r) => {
      await joinRoot(r);
      r.conn.receive('2["disconnect-me"]');
      await settle();
      r.clock.advance(1000);
    },
    {},
    closeOnly,
  ],
  "deadline-stopped-by-refusal": [
    async (r) => {
      r.conn.receive("0/random,");
      await settle();
      r.clock.advance(1000);
    },
    {},
    closeOnly,
  ],
  "recovery-sid-changed": [
    restoreAfterDrop,
    { recovery: true },
    (sent) => sent.filter((m) => typeof m === "string" && m.startsWith("restored:")),
  ],
  "recovery-unknown-pid-closes": [(r) => r.conn.receive('0{"pid":"nope","offset":"x"}'), { recovery: true }, typesOnly],
  // The socket on /custom, kept when its session drops, is not stored for recovery: it comes back with a new sid.
  "engine-close-spares-namespaces": [
    restoreAfterDrop,
    { recovery: true },
    (sent) => sent.filter((m) => typeof m === "string" && m.startsWith("restored:")),
  ],
  "connect-reply-empty-sid": [
    (r) => r.conn.receive("0"),
    {},
    (sent) =>
      sent
        .slice(0, 1)
        .map((m) => (JSON.parse((m as string).slice((m as string).indexOf("{"))) as { sid: string }).sid === ""),
  ],
  "missed-events-not-replayed": [
    restoreAfterDrop,
    { recovery: true },
    (sent) => sent.filter((m) => typeof m === "string" && m.startsWith("missed:")),
  ],
  "empty-event-accepted": [async (r) => (await joinRoot(r), r.conn.receive("2")), {}, closeOnly],
  "refusal-closes-session": [async (r) => (await joinRoot(r), r.conn.receive("0/gate,")), {}, closeOnly],
  "client-disconnect-answered": [async (r) => (await joinCustom(r), r.conn.receive("1/custom,"))],
  "ack-namespace-crossed": [
    async (r) => {
      await joinCustom(r);
      r.conn.receive('2["emit-with-ack","a"]');
      await settle();
      r.conn.take();
      r.conn.receive('3/custom,0["r"]');
    },
  ],
  "disconnect-with-payload": [async (r) => (await joinRoot(r), r.conn.receive('2["disconnect-me"]'))],
  "violation-spares-session": [async (r) => (await joinCustom(r), r.conn.receive("2/custom,{}")), {}, closeOnly],
  "packet-before-connect-ignored": [(r) => r.conn.receive('2["message","x"]'), {}, closeOnly],
  "large-ack-id-refused": [
    async (r) => (await joinRoot(r), r.conn.receive('22147483648["message-with-ack"]')),
    {},
    closeOnly,
  ],
  "ack-empty-payload-omitted": [
    async (r) => (await joinRoot(r), r.conn.receive('27["message-with-ack"]')),
    {},
    (sent) => sent.map((m) => (m as string).endsWith("]")),
  ],
  "binary-ack-typed-as-ack": [
    async (r) => (
      await joinRoot(r),
      r.conn.receive('51-9["message-with-ack",{"_placeholder":true,"num":0},"end"]', new Uint8Array([1]))
    ),
    {},
    (sent) => sent.flatMap((m) => (typeof m === "string" ? [m[0]] : [])),
  ],
  "attachments-reversed": [
    async (r) => (
      await joinRoot(r),
      r.conn.receive(
        '52-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1},"end"]',
        new Uint8Array([1]),
        new Uint8Array([2]),
      )
    ),
    {},
    (sent) => sent.filter((m) => typeof m !== "string").map((m) => [...(m as Uint8Array)]),
  ],
  "nested-auth-refused": [(r) => r.conn.receive('0{"a":{"b":1}}'), {}, closeOnly],
  "recovery-pid-missing": [
    (r) => r.conn.receive("0"),
    { recovery: true },
    (sent) =>
      sent.slice(0, 1).map((m) => "pid" in (JSON.parse((m as string).slice((m as string).indexOf("{"))) as object)),
  ],
  "binary-count-one-low": [async (r) => (await joinRoot(r), void r.io.emit("bin", new Uint8Array([1]))), {}, typesOnly],
  "root-namespace-written": [(r) => r.conn.receive("0"), {}, typesOnly],
  "connect-reply-shares-message": [(r) => ((r.conn.transport = "polling"), r.conn.receive("0/custom,")), {}, typesOnly],
  "polling-attachment-as-text": [
    async (r) => ((r.conn.transport = "polling"), await joinRoot(r), void r.io.emit("bin", new Uint8Array([1, 2, 3]))),
    {},
    (sent) => sent.slice(1).map((m) => typeof m),
  ],
  "binary-event-as-base64": [
    async (r) => (await joinRoot(r), void r.io.emit("bin", new Uint8Array([1, 2, 3]))),
    {},
    typesOnly,
  ],
};

// Probes that touch two rules at once, each pair with the reason.
const OVERLAPS: Record<string, string> = {
  // A binary echo goes through both binary faults.
  "attachments-not-awaited+binary-placeholder-misnumbered": "both change a binary echo",
  // Both change the only thing the probe of the other looks at.
  "repeat-connect-answered-twice+repeat-connect-closes": "both decide what a repeated CONNECT gets",
  "connect-error-string-in-v5+middleware-error-data-dropped": "both change the payload of a middleware refusal",
  "connect-timeout-ignored+deadline-stopped-by-refusal": "both leave an unjoined session open past the deadline",
  // A server that joins the client to / by itself has met the connect deadline.
  "connect-timeout-ignored+unprompted-connect-reply": "a joined session has no deadline",
  "deadline-stopped-by-refusal+unprompted-connect-reply": "a joined session has no deadline",
  // A restore needs the pid from the auth, the offset of an event, and the reply's sid.
  "auth-dropped+recovery-sid-changed": "the pid travels in the CONNECT auth",
  "recovery-offset-missing+recovery-sid-changed": "a restore needs an offset",
  "engine-close-spares-namespaces+recovery-sid-changed": "a restore needs the socket disconnected with its session",
  "auth-dropped+engine-close-spares-namespaces": "the pid travels in the CONNECT auth",
  "engine-close-spares-namespaces+recovery-offset-missing": "a restore needs an offset",
  "engine-close-spares-namespaces+namespace-sid-is-engine-sid": "the restored sid is the new Engine.IO sid",
  "namespace-sid-is-engine-sid+recovery-sid-changed": "the restored sid is the new Engine.IO sid",
  "connect-reply-extra-key+namespace-sid-is-engine-sid": "both change the CONNECT reply",
  // The probe asks for a name the reference refuses.
  "namespace-name-folded+unknown-namespace-closes-session": "the reference refuses /Custom/",
  "binary-count-after-namespace+namespace-written-without-comma":
    "both change how the namespace of a packet is written",
  // Every violation has its own fault; the probe's is a bad EVENT payload.
  "bad-event-payload-accepted+close-after-rest-of-payload": "the probe's violation is 2{}",
  "bad-event-payload-accepted+empty-event-accepted": "a bare 2 is also an EVENT without an array",
  "bad-event-payload-accepted+violation-spares-session": "the probe's violation is 2/custom,{}",
  "connect-reply-empty-sid+namespace-sid-is-engine-sid": "both change the sid of the CONNECT reply",
  "ack-namespace-crossed+unknown-ack-closes": "the probe's ACK has an id /custom never issued",
  "packet-before-connect-ignored+unjoined-namespace-packet-ignored": "before any CONNECT, no namespace is joined",
  "ack-empty-payload-omitted+ack-id-off-by-one": "both change the ACK of an event without arguments",
  // The probe's binary event goes through the binary encoding faults.
  "binary-event-as-base64+binary-placeholder-misnumbered": "both change how a binary event is written",
  "binary-count-after-namespace+binary-event-as-base64": "both change how a binary event is written",
  "attachments-reversed+binary-event-as-base64": "both change how the bytes of a binary event travel",
  "binary-count-after-namespace+binary-count-one-low": "both change how the count of a binary event is written",
  "binary-count-one-low+binary-event-as-base64": "both change how a binary event is written",
  // The probes read the head of a CONNECT reply on /.
  "namespace-sid-is-engine-sid+root-namespace-written": "both change the CONNECT reply on /",
  "recovery-unknown-pid-closes+root-namespace-written": "the probe's answer is a CONNECT reply on /",
  "rejoin-ignored+root-namespace-written": "the probe's answer is a CONNECT reply on /",
  "repeat-connect-answered-twice+root-namespace-written": "the probe's answer is a CONNECT reply on /",
  "repeat-connect-closes+root-namespace-written": "the probe's answer is a CONNECT reply on /",
  "root-namespace-written+second-connect-before-reply-dropped": "the probe's answer holds a CONNECT reply on /",
  "binary-event-as-base64+polling-attachment-as-text": "a binary event written as a plain one has no attachment",
  "connect-reply-late+connect-reply-shares-message": "both change how the CONNECT reply on /custom goes out",
  "connect-reply-shares-message+unprompted-connect-reply":
    "a server that joins / by itself sends more than the probe's reply",
  "attachments-not-awaited+attachments-reversed": "both change how the attachments of a binary echo come back",
  "attachments-not-awaited+binary-ack-typed-as-ack": "an ack whose attachments were not awaited holds no binary",
  "client-disconnect-answered+disconnect-closes-engine": "both act on a client DISCONNECT",
  "client-disconnect-answered+rejoin-ignored": "both act on a client DISCONNECT",
  "disconnect-with-payload+server-disconnect-without-packet": "both change the server's DISCONNECT",
  // The probes refuse a CONNECT through middleware.
  "connect-error-string-in-v5+refusal-closes-session": "both act on a middleware refusal",
  "middleware-error-data-dropped+refusal-closes-session": "both act on a middleware refusal",
  "refusal-closes-session+refusal-sticky": "both act on a middleware refusal",
  // A replay needs a restore: the pid, the offset, and the socket stored when its session drops.
  "auth-dropped+missed-events-not-replayed": "the pid travels in the CONNECT auth",
  "engine-close-spares-namespaces+missed-events-not-replayed":
    "a restore needs the socket disconnected with its session",
  "missed-events-not-replayed+recovery-offset-missing": "a restore needs an offset",
  "missed-events-not-replayed+recovery-pid-missing": "a restore needs the pid",
  "engine-close-spares-namespaces+recovery-pid-missing": "a restore needs the pid",
  "recovery-pid-missing+recovery-sid-changed": "a restore needs the pid",
};

/** The transcript with ids made comparable: each sid by its order of appearance, the Engine.IO sid by name, offsets hidden. */
function show(x: { sent: Sent; closed: boolean }, view?: (sent: Sent) => unknown[]): string {
  const ids = new Map<string, string>();
  const sent = x.sent.map((m) =>
    typeof m === "string"
      ? m
          .replace(/"(sid|pid)":"([^"]+)"/g, (_m, key: string, value: string) => {
            const name = value.startsWith("fake-session-")
              ? "<engine sid>"
              : (ids.get(value) ?? `<${key} ${ids.size}>`);
            ids.set(value, name);
            return `"${key}":"${name}"`;
          })
          .replace(/,"[0-9a-z]+-[0-9a-z]+"\]$/, ',"<offset>"]')
      : [...m],
  );
  return JSON.stringify({ sent: view ? view(x.sent) : sent, closed: x.closed });
}

describe("fault switches", () => {
  it("has a probe for every fault", () => {
    expect(Object.keys(probes).sort()).toEqual([...FAULT_NAMES].sort());
  });

  it("names for every fault a rule of the spec", () => {
    const unknown = Object.values(SOCKET_FAULTS).filter(({ rule }) => !(rule in rules));
    expect(unknown).toEqual([]);
  });

  it("has the code of every fault in exactly one part of the server", () => {
    const parts = Object.values(FAULTS_BY_PART);
    const all = Object.keys(SOCKET_FAULTS) as SocketFault[];
    const owners = all.map((fault) => [fault, parts.filter((part) => part.has(fault)).length]);
    expect(owners.filter(([, n]) => n !== 1)).toEqual([]);
    expect(parts.reduce((n, part) => n + part.size, 0)).toBe(all.length);
  });

  it("fills no seam when no fault is on, so the reference code runs", () => {
    expect(socketSeams(new Set())).toEqual({});
  });

  for (const fault of FAULT_NAMES) {
    it(`${fault} changes what the server does, and nothing else does`, async () => {
      const [script, options, view] = probes[fault];
      const reference = await run([], script, options);
      const mutant = await run([fault], script, options);
      await settle();
      expect(show(mutant, view)).not.toBe(show(reference, view));
      // Every other fault alone leaves this probe as the reference server answers it.
      for (const other of FAULT_NAMES) {
        if (other === fault) continue;
        const bystander = await run([other], script, options);
        if (show(bystander, view) !== show(reference, view))
          expect(Object.keys(OVERLAPS)).toContain([fault, other].sort().join("+"));
      }
    });
  }

  it("the mutants break the rules their docs name", async () => {
    const ack = await run(["ack-id-off-by-one"], probes["ack-id-off-by-one"][0]);
    expect(ack.sent).toEqual(["38[]"]);
    const extra = await run(["connect-reply-extra-key"], probes["connect-reply-extra-key"][0]);
    await settle();
    expect(Object.keys(JSON.parse((extra.sent[0] as string).slice(1)))).toEqual(["sid", "nsp"]);
    const str = await run(["connect-error-string-in-v5"], async (r) => (r.conn.receive("0/gate,"), await settle()));
    expect(str.sent).toEqual(['4/gate,"no"']);
    const noAck = await run(["event-without-ack-gets-ack"], probes["event-without-ack-gets-ack"][0]);
    expect(noAck.sent).toEqual(["30[1]"]);
    const reserved = await run(["reserved-event-accepted"], probes["reserved-event-accepted"][0]);
    expect(reserved.closed).toBe(false);
    const early = await run(["attachments-not-awaited"], probes["attachments-not-awaited"][0]);
    expect(early.sent).toEqual(['2["message-back",{"_placeholder":true,"num":0}]']);
    const misnumbered = await run(["binary-placeholder-misnumbered"], probes["binary-placeholder-misnumbered"][0]);
    expect(misnumbered.sent[0]).toBe('51-["message-back",{"_placeholder":true,"num":1},"end"]');
    const offset = await run(["recovery-offset-missing"], probes["recovery-offset-missing"][0], { recovery: true });
    expect(offset.sent).toEqual(['2["hello"]']);
  });

  it("the connect and namespace mutants break the rules their docs name", async () => {
    const unjoined = await run(["unjoined-namespace-packet-ignored"], probes["unjoined-namespace-packet-ignored"][0]);
    expect(unjoined).toEqual({ sent: [], closed: false });
    const engineSid = await run(["namespace-sid-is-engine-sid"], probes["namespace-sid-is-engine-sid"][0]);
    expect(engineSid.sent[0]).toMatch(/^0\{"sid":"fake-session-\d+"\}$/);
    const unprompted = await run(["unprompted-connect-reply"], probes["unprompted-connect-reply"][0]);
    expect(typesOnly(unprompted.sent)).toEqual(["0", "2"]);
    const dropped = await run(
      ["second-connect-before-reply-dropped"],
      probes["second-connect-before-reply-dropped"][0],
    );
    expect(typesOnly(dropped.sent)).toEqual(["0", "2"]);
    const closes = await run(["repeat-connect-closes"], probes["repeat-connect-closes"][0]);
    expect(closes).toEqual({ sent: [], closed: true });
    const twice = await run(["repeat-connect-answered-twice"], probes["repeat-connect-answered-twice"][0]);
    expect(typesOnly(twice.sent)).toEqual(["0", "2", "0", "2"]);
    const auth = await run(["auth-dropped"], probes["auth-dropped"][0]);
    expect(auth.sent[1]).toBe('2/custom,["auth",{}]');
    const query = await run(["namespace-query-stripped"], probes["namespace-query-stripped"][0]);
    expect(typesOnly(query.sent)).toEqual(["4/q"]);
    const data = await run(["middleware-error-data-dropped"], probes["middleware-error-data-dropped"][0]);
    expect(data.sent).toEqual(['4/private,{"message":"not authorized"}']);
    const sticky = await run(["refusal-sticky"], probes["refusal-sticky"][0]);
    expect(sticky).toEqual({ sent: [], closed: false });
    const folded = await run(["namespace-name-folded"], probes["namespace-name-folded"][0]);
    expect(typesOnly(folded.sent)).toEqual(["0/custom", "2/custom"]);
    const comma = await run(["namespace-written-without-comma"], probes["namespace-written-without-comma"][0]);
    expect(comma.sent).toEqual(['2/custom["message-back"]']);
    const clientError = await run(
      ["connect-error-from-client-ignored"],
      probes["connect-error-from-client-ignored"][0],
    );
    expect(clientError.closed).toBe(false);
    const late = await run(["connect-reply-late"], probes["connect-reply-late"][0]);
    expect(typesOnly(late.sent)).toEqual(["2/custom", "0/custom"]);
    const commaRequired = await run(["namespace-comma-required"], probes["namespace-comma-required"][0]);
    expect(commaRequired).toEqual({ sent: [], closed: true });
  });

  it("the lenient-decoding mutants keep the session open on the packets their docs name, and only those", async () => {
    const lenient: Array<[SocketFault, Array<string | Uint8Array>]> = [
      ["no-close-on-invalid-packet", ['2["message","x"]x', '2["message","x"] ', "0custom"]],
      ["unknown-type-accepted", ["abc", '7["x"]', ""]],
      ["bad-event-payload-accepted", ["2{}", "2[]", '2"message"', '2[null,"x"]', "2"]],
      [
        "bad-ack-accepted",
        ['2-1["message-with-ack"]', '2012["m"]', '29007199254740992["m"]', '2abc["message","x"]', "3987{}", "3987"],
      ],
      ["bad-connect-accepted", ["0[]", '0"x"', "1{}", "12"]],
      ["bad-binary-accepted", ['50-["message"]', '51-["message",{"_placeholder":true,"num":1}]', new Uint8Array([1])]],
    ];
    for (const [fault, inputs] of lenient) {
      for (const input of inputs) {
        const script = async (r: Run) => (await joinRoot(r), r.conn.receive(input));
        expect((await run([], script)).closed, `${JSON.stringify(input)} closes the reference session`).toBe(true);
        expect((await run([fault], script)).closed, `${fault} keeps the session open on ${JSON.stringify(input)}`).toBe(
          false,
        );
      }
    }
    // A reserved event name has its own fault.
    expect((await run(["bad-event-payload-accepted"], probes["reserved-event-accepted"][0])).closed).toBe(true);
  });

  it("the event, ack and disconnect mutants break the rules their docs name", async () => {
    const ignored = await run(["client-ack-ignored"], probes["client-ack-ignored"][0]);
    expect(ignored).toEqual({ sent: [], closed: false });
    const unknown = await run(["unknown-ack-closes"], probes["unknown-ack-closes"][0]);
    expect(unknown.closed).toBe(true);
    const lastDropped = await run(["event-args-last-dropped"], probes["event-args-last-dropped"][0]);
    expect(lastDropped.sent).toEqual(['2["message-back",1]']);
    const reordered = await run(["events-reordered"], probes["events-reordered"][0]);
    expect(reordered.sent).toEqual(['20["emit-with-ack"]', '2["message-back"]']);
    const numeric = await run(["numeric-event-name-refused"], probes["numeric-event-name-refused"][0]);
    expect(numeric.closed).toBe(true);
    const substituted = await run(["placeholder-substituted-in-event"], probes["placeholder-substituted-in-event"][0]);
    expect(substituted.sent).toEqual(['51-["message-back",{"_placeholder":true,"num":0}]', new Uint8Array(0)]);
    const silent = await run(["server-disconnect-without-packet"], probes["server-disconnect-without-packet"][0]);
    expect(silent).toEqual({ sent: [], closed: false });
    const kept = await run(["close-me-keeps-session"], probes["close-me-keeps-session"][0]);
    expect(kept).toEqual({ sent: ["1"], closed: false });
    const leftAll = await run(["disconnect-leaves-all"], probes["disconnect-leaves-all"][0]);
    expect(leftAll).toEqual({ sent: [], closed: true });
    const rejoin = await run(["rejoin-ignored"], probes["rejoin-ignored"][0]);
    expect(rejoin).toEqual({ sent: [], closed: false });
    const reused = await run(["server-ack-id-reused"], probes["server-ack-id-reused"][0]);
    expect(reused.sent).toEqual(['20["emit-with-ack","a"]', '20["emit-with-ack","b"]']);
    const countLate = await run(["binary-count-after-namespace"], probes["binary-count-after-namespace"][0]);
    expect(countLate.sent[0]).toBe('5/custom,1-["bin",{"_placeholder":true,"num":0}]');
    const empty = await run(["empty-attachment-ignored"], probes["empty-attachment-ignored"][0]);
    expect(empty).toEqual({ sent: [], closed: false });
    const late = await run(["close-after-rest-of-payload"], probes["close-after-rest-of-payload"][0]);
    expect(late).toEqual({ sent: ['2["message-back","after"]'], closed: true });
    // Leaving one namespace of two keeps the session open even under disconnect-closes-engine.
    const oneLeft = await run(
      ["disconnect-closes-engine"],
      async (r) => (await joinCustom(r), r.conn.receive("1/custom,")),
    );
    expect(oneLeft.closed).toBe(false);
  });

  it("the timeout and recovery mutants break the rules their docs name", async () => {
    const notCleared = await run(["connect-timeout-not-cleared"], probes["connect-timeout-not-cleared"][0]);
    expect(notCleared.closed).toBe(true);
    const stopped = await run(["deadline-stopped-by-refusal"], probes["deadline-stopped-by-refusal"][0]);
    expect(stopped.closed).toBe(false);
    const reference = await run([], restoreAfterDrop, { recovery: true });
    expect(reference.sent.at(-1)).toBe("restored: same sid");
    const changed = await run(["recovery-sid-changed"], restoreAfterDrop, { recovery: true });
    expect(changed.sent.at(-1)).toBe("restored: new sid");
    const unknownPid = await run(["recovery-unknown-pid-closes"], probes["recovery-unknown-pid-closes"][0], {
      recovery: true,
    });
    expect(unknownPid).toEqual({ sent: [], closed: true });
  });

  it("the mutants without a neighbour above break the rules their docs name", async () => {
    const emptySid = await run(["connect-reply-empty-sid"], probes["connect-reply-empty-sid"][0]);
    expect(emptySid.sent[0]).toBe('0{"sid":""}');
    const shared = await run(["connect-reply-shares-message"], probes["connect-reply-shares-message"][0]);
    expect(shared.sent).toHaveLength(1);
    expect((await run(["polling-attachment-as-text"], probes["polling-attachment-as-text"][0])).sent[1]).toBe("AQID");
    expect(shared.sent[0]).toMatch(/^0\/custom,\{"sid":"[^"]+"\}2\/custom,\["auth",\{\}\]$/);
    expect((await run(["root-namespace-written"], probes["root-namespace-written"][0])).sent[0]).toMatch(
      /^0\/,\{"sid":"[^"]+"\}$/,
    );
    const noPid = await run(["recovery-pid-missing"], probes["recovery-pid-missing"][0], { recovery: true });
    expect(noPid.sent[0]).toMatch(/^0\{"sid":"[^"]+"\}$/);
    const lost = await run(["missed-events-not-replayed"], restoreAfterDrop, { recovery: true });
    expect(lost.sent.slice(-2)).toEqual(["missed: lost", "restored: same sid"]);
    expect((await run([], restoreAfterDrop, { recovery: true })).sent.at(-2)).toBe("missed: replayed");
    expect(await run(["empty-event-accepted"], probes["empty-event-accepted"][0])).toEqual({ sent: [], closed: false });
    expect(await run(["refusal-closes-session"], probes["refusal-closes-session"][0])).toEqual({
      sent: ['4/gate,{"message":"no"}'],
      closed: true,
    });
    expect(await run(["client-disconnect-answered"], probes["client-disconnect-answered"][0])).toEqual({
      sent: ["1/custom,"],
      closed: false,
    });
    expect((await run(["ack-namespace-crossed"], probes["ack-namespace-crossed"][0])).sent).not.toEqual([]);
    expect((await run([], probes["ack-namespace-crossed"][0])).sent).toEqual([]);
    expect(await run(["disconnect-with-payload"], probes["disconnect-with-payload"][0])).toEqual({
      sent: ["1{}"],
      closed: false,
    });
    expect(await run(["violation-spares-session"], probes["violation-spares-session"][0])).toEqual({
      sent: [],
      closed: false,
    });
    expect(await run(["packet-before-connect-ignored"], probes["packet-before-connect-ignored"][0])).toEqual({
      sent: [],
      closed: false,
    });
    expect(await run(["large-ack-id-refused"], probes["large-ack-id-refused"][0])).toEqual({ sent: [], closed: true });
    expect((await run([], probes["large-ack-id-refused"][0])).sent).toEqual(["32147483648[]"]);
    expect((await run(["ack-empty-payload-omitted"], probes["ack-empty-payload-omitted"][0])).sent).toEqual(["37"]);
    expect((await run(["binary-ack-typed-as-ack"], probes["binary-ack-typed-as-ack"][0])).sent[0]).toBe(
      '31-9[{"_placeholder":true,"num":0},"end"]',
    );
    expect(
      probes["attachments-reversed"][2]!((await run(["attachments-reversed"], probes["attachments-reversed"][0])).sent),
    ).toEqual([[2], [1]]);
    expect(await run(["nested-auth-refused"], probes["nested-auth-refused"][0])).toEqual({ sent: [], closed: true });
    expect((await run(["binary-event-as-base64"], probes["binary-event-as-base64"][0])).sent).toEqual([
      '2["bin","AQID"]',
    ]);
    expect((await run(["binary-count-one-low"], probes["binary-count-one-low"][0])).sent[0]).toBe(
      '50-["bin",{"_placeholder":true,"num":0}]',
    );
  });
});
