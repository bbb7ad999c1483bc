import { describe, expect, it } from "vitest";
import { Server } from "../../reference/socket.io/server.js";
import { SOCKET_FAULTS, type SocketFault } from "../../reference/socket.io/faults.js";
import { installSocketEcho } from "../../reference/apps/echo.js";
import { ManualClock } from "../../reference/engine/clock.js";
import { FakeConnection, settle } from "./fake-connection.js";

interface Run {
  conn: FakeConnection;
  clock: ManualClock;
  io: Server;
}

async function run(faults: SocketFault[], script: (r: Run) => Promise<void> | void, options: { recovery?: boolean } = {}) {
  const clock = new ManualClock();
  const io = new Server(undefined, {
    clock,
    connectTimeout: 1000,
    faults: new Set(faults),
    ...(options.recovery ? { connectionStateRecovery: {} } : {}),
  });
  installSocketEcho(io);
  io.of("/gate").use((_s, next) => next(new Error("no")));
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

// For each fault: a script, and what the reference server does on it. The mutant must differ.
const probes: Record<SocketFault, [(r: Run) => Promise<void> | void, { recovery?: boolean }?]> = {
  "ack-id-off-by-one": [async (r) => (await joinRoot(r), r.conn.receive('27["message-with-ack",1]'))],
  "connect-reply-extra-key": [(r) => r.conn.receive("0")],
  "connect-error-string-in-v5": [(r) => r.conn.receive("0/gate,")],
  "unknown-namespace-closes-session": [(r) => r.conn.receive("0/random,")],
  "no-close-on-invalid-packet": [async (r) => (await joinRoot(r), r.conn.receive("2{}"))],
  "duplicate-connect-accepted": [async (r) => (await joinRoot(r), r.conn.receive("0"))],
  "disconnect-closes-engine": [async (r) => (await joinRoot(r), r.conn.receive("1"))],
  "connect-timeout-ignored": [(r) => r.clock.advance(1000)],
  "binary-placeholder-misnumbered": [
    async (r) => (await joinRoot(r), r.conn.receive('51-["message",{"_placeholder":true,"num":0}]', new Uint8Array([1]))),
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
};

// Probes that touch two rules at once: a binary echo goes through both binary faults, and the
// codec refuses a reserved event name as an undecodable packet.
const OVERLAPS = [
  "attachments-not-awaited+binary-placeholder-misnumbered",
  "no-close-on-invalid-packet+reserved-event-accepted",
];

describe("fault switches", () => {
  it("has a probe for every fault", () => {
    expect(Object.keys(probes).sort()).toEqual([...SOCKET_FAULTS].sort());
  });

  for (const fault of SOCKET_FAULTS) {
    it(`${fault} changes what the server does, and nothing else does`, async () => {
      const [script, options] = probes[fault];
      const reference = await run([], script, options);
      const mutant = await run([fault], script, options);
      await settle();
      const show = (x: { sent: (string | Uint8Array)[]; closed: boolean }) =>
        JSON.stringify({ sent: x.sent.map((m) => (typeof m === "string" ? m.replace(/"(sid|pid)":"[^"]+"/g, '"$1":"*"').replace(/,"[0-9a-z]+-[0-9a-z]+"\]$/, ',"<offset>"]') : [...m])), closed: x.closed });
      expect(show(mutant)).not.toBe(show(reference));
      // Every other fault alone leaves this probe as the reference server answers it.
      for (const other of SOCKET_FAULTS) {
        if (other === fault) continue;
        const bystander = await run([other], script, options);
        if (show(bystander) !== show(reference)) expect(OVERLAPS).toContain([fault, other].sort().join("+"));
      }
    });
  }

  it("the mutants break the rules their docs name", async () => {
    const ack = await run(["ack-id-off-by-one"], probes["ack-id-off-by-one"][0]);
    expect(ack.sent).toEqual(["38[1]"]);
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
    expect(misnumbered.sent[0]).toBe('51-["message-back",{"_placeholder":true,"num":1}]');
    const offset = await run(["recovery-offset-missing"], probes["recovery-offset-missing"][0], { recovery: true });
    expect(offset.sent).toEqual(['2["hello"]']);
  });
});
