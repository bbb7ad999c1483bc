/**
 * The Engine.IO v3 session under a Socket.IO v4 session, one face for both transports, with the
 * client's heartbeat built in: in v3 the client pings (EIO3-HEARTBEAT-01), so a link sends `2`
 * every pingInterval and drops the pongs, or the server would end the session under the case.
 */
import { performance } from "node:perf_hooks";
import { CaseOutcome } from "../case.js";
import type { EngineIOv3Packet, V3PollingSession, V3Socket } from "./v3-engine.js";
import { Inbox } from "./inbox.js";

/** What a Socket.IO v4 session needs from the Engine.IO v3 session under it. */
export interface V3Link {
  /** `ws#1`, or the sid of a polling session. */
  readonly label: string;
  /** Every packet the server sent but the pongs to the link's own pings, oldest first. */
  readonly inbox: Inbox<EngineIOv3Packet>;
  /** Sends packets in order (WebSocket: one frame each; polling: one POST). */
  send(packets: EngineIOv3Packet[]): void;
  /** Resolves when the session is seen to end: a close packet, a closed WebSocket, a refused poll. */
  readonly ended: Promise<string>;
  close(): Promise<unknown>;
}

/** Sends a ping every `intervalMs` until stopped; returns the stop function. */
function pinger(send: () => void, intervalMs: number): () => void {
  const timer = setInterval(send, Math.max(20, intervalMs));
  timer.unref();
  return () => clearInterval(timer);
}

/** A v3 WebSocket as a link. */
export function v3WebSocketLink(socket: V3Socket, pingIntervalMs: number, timeoutMs: number): V3Link {
  const inbox = new Inbox<EngineIOv3Packet>(`the v3 WebSocket ${socket.ws.conn}`, timeoutMs);
  let done!: (why: string) => void;
  const ended = new Promise<string>((r) => (done = r));
  const stop = pinger(() => socket.send({ type: "ping" }), pingIntervalMs);
  void (async () => {
    for (;;) {
      let p: EngineIOv3Packet;
      try {
        p = await socket.nextPacket({ timeoutMs: 24 * 3600_000, what: "a frame" });
      } catch (err) {
        const why = err instanceof CaseOutcome ? err.reason : String(err);
        inbox.end(`ended (${why})`, err instanceof CaseOutcome ? err : undefined);
        done(socket.ws.isClosed ? "the WebSocket closed" : why);
        stop();
        return;
      }
      if (p.type === "pong" && p.data === undefined) continue;
      inbox.push(p, socket.lastArrival || performance.now());
      if (p.type === "close") {
        inbox.end("closed the session");
        done("the server sent a close packet");
        stop();
        return;
      }
    }
  })();
  return {
    label: socket.ws.conn,
    inbox,
    send: (packets) => {
      for (const p of packets) socket.send(p);
    },
    ended,
    close: async () => {
      stop();
      await socket.close();
    },
  };
}

/**
 * A v3 polling session as a link: a loop keeps one GET pending; sends are POSTs, one at a time,
 * each one text payload (a binary message as a `b4` record).
 */
export function v3PollingLink(session: V3PollingSession, pingIntervalMs: number, timeoutMs: number): V3Link {
  const inbox = new Inbox<EngineIOv3Packet>(`the v3 polling session ${session.sid}`, timeoutMs);
  const abort = new AbortController();
  let done!: (why: string) => void;
  const ended = new Promise<string>((r) => (done = r));
  let posting: Promise<unknown> = Promise.resolve();
  const finish = (why: string, cause?: unknown) => {
    inbox.end(why, cause instanceof CaseOutcome && !/^4\d\d\b/.test(cause.details.observed ?? "") ? cause : undefined);
    done(why);
    stop();
  };
  const send = (packets: EngineIOv3Packet[]) => {
    posting = posting.then(async () => {
      if (inbox.ended) return;
      await session.send(packets).catch((err: unknown) => finish("refused a POST", err));
    });
  };
  const stop = pinger(() => send([{ type: "ping" }]), pingIntervalMs);
  // Packets the server put behind the open packet in the handshake body come first (socket.io 2.x: `2:40`).
  for (const p of session.handshakePackets.slice(1)) inbox.push(p);
  void (async () => {
    while (!abort.signal.aborted && !inbox.ended) {
      try {
        const { packets } = await session.get({ signal: abort.signal, timeoutMs });
        const at = performance.now();
        for (const p of packets) if (!(p.type === "pong" && p.data === undefined)) inbox.push(p, at);
        if (packets.some((p) => p.type === "close")) finish("the server sent a close packet");
      } catch (err) {
        if (abort.signal.aborted) return;
        finish("stopped answering polls", err);
      }
    }
  })();
  return {
    label: session.sid,
    inbox,
    send,
    ended,
    async close() {
      stop();
      abort.abort();
      inbox.end("was closed by the runner");
      await posting;
    },
  };
}
