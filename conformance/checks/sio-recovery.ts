/**
 * Connection state recovery (chapter RECOVERY of spec/socket.io-v5.md): reading the offset an
 * event carries as its last argument, for the case that checks it (a failure) and for the cases
 * that only need one (a precondition), and losing a namespace socket with an event still owed.
 */
import { fail, show, unmet } from "../case.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";
import type { Received } from "../client/socketio-text.js";
import { decodeBody } from "../client/engine.js";
import { refused } from "./sid.js";
import { argsOf } from "../client/socketio-steps.js";
import { readPacketText } from "../client/socketio-text.js";

/** An event's arguments without its offset, and the offset. */
export interface WithOffset {
  args: unknown[];
  offset: string;
}

/** Splits an event into its arguments and its offset; undefined when its last argument is no string. */
export function splitOffset(r: Received): WithOffset | undefined {
  const args = argsOf(r);
  const offset = args?.[args.length - 1];
  return args && typeof offset === "string" ? { args: args.slice(0, -1), offset } : undefined;
}

/** The offset of an event the case checks (SIO5-RECOVERY-02): fails the case when there is none. */
export function expectOffset(r: Received, what: string): WithOffset {
  const split = splitOffset(r);
  if (!split)
    fail(`${what} carries no offset as its last argument`, {
      expected: `${r.text.head}[...,"<offset>"]`,
      observed: r.text.text,
    });
  return split;
}

/** The offset of an event a case only needs: a broken precondition when there is none. */
export function needOffset(r: Received, what: string): WithOffset {
  const split = splitOffset(r);
  if (!split)
    unmet(P.eventOffset, `${what} carries no offset as its last argument`, {
      expected: `${r.text.head}[...,"<offset>"]`,
      observed: r.text.text,
    });
  return split;
}

/** A lost namespace socket: its sid and pid, and the last offset it received. */
export interface Lost {
  sid: string;
  pid: string;
  offset: string;
}

/**
 * A namespace socket that loses its connection with an event still owed to it: over polling,
 * join /, read the auth event (and its offset), ask for an echo and stop polling, so that the
 * echo is emitted but never fetched and the heartbeat ends the session. What it needs on the
 * way (a pid, an offset) are preconditions.
 */
export async function loseWithMissedEvent(ctx: CaseContext): Promise<Lost> {
  const engine = ctx.engineAt(ctx.config.path);
  const session = await engine.openPolling();
  await session.send([{ type: "message", data: "0" }]);
  const texts: string[] = [];
  for (let i = 0; i < 10 && !texts.some((t) => t.startsWith('42["auth"')); i++) {
    const { packets } = await session.get();
    for (const p of packets) {
      if (p.type === "ping") await session.send([{ type: "pong" }]);
      if (p.type === "message" && typeof p.data === "string") texts.push(`4${p.data}`);
    }
  }
  const reply = texts.find((t) => t.startsWith("40"));
  const auth = texts.find((t) => t.startsWith('42["auth"'));
  if (!reply || !auth)
    unmet(P.namespaceConnects, "the CONNECT reply and the auth event did not arrive by polling", {
      observed: texts.join(" "),
    });
  const data = readPacketText(reply).data as { sid?: unknown; pid?: unknown } | undefined;
  if (typeof data?.sid !== "string")
    unmet(P.namespaceConnects, `the CONNECT reply is ${show(reply)}`, { observed: reply });
  if (typeof data.pid !== "string")
    unmet(P.recoveryPid, "the CONNECT reply carries no pid", {
      expected: '40{"sid":"...","pid":"..."}',
      observed: reply,
    });
  const { offset } = needOffset({ text: readPacketText(auth), attachments: [] }, "the auth event");
  await session.send([{ type: "message", data: '2["message","missed"]' }]);
  ctx.note("no more polls: the echo stays undelivered and the heartbeat ends the session");
  await ctx.sleep(ctx.scale(2 * (ctx.handshake.pingInterval + ctx.handshake.pingTimeout)) + ctx.scale(200));
  // The session must be gone by now (DROP-03): a 4xx, or the close packet it still owed a GET.
  const res = await engine.http.request({ path: engine.options.path, query: session.query() });
  if (!refused(res) && !(res.status === 200 && decodeBody(res).some((p) => p.type === "close"))) {
    unmet(
      P.stoppedPollingDropped,
      "the session of a client that stopped polling is still open after twice its heartbeat bound",
      { expected: "a 4xx or the close packet", observed: `${res.status} ${res.text.slice(0, 120)}` },
    );
  }
  return { sid: data.sid, pid: data.pid, offset };
}
