/**
 * The Engine.IO session under a Socket.IO session, with one face for both transports: send
 * packets, take the next one, close. Over polling a loop keeps one GET pending; over WebSocket
 * the frames are the packets. What the link needs from the server on the way (a POST accepted,
 * a poll answered, a frame that decodes) is a precondition raised by the Engine.IO client; it
 * ends the link with that cause, so the case is blocked rather than failed for it.
 */
import { performance } from "node:perf_hooks";
import { CaseOutcome } from "../case.js";
import { decodePayload, type EngineIOv4Packet } from "../../protocol/engine.io/v4.js";
import type { EngineSocket, PollingSession } from "./engine.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import { Inbox, type TakeOptions } from "./inbox.js";
import { readPacketText } from "./socketio-text.js";

/** What a Socket.IO session needs from the Engine.IO session under it (WebSocket or polling). */
export interface EngineLink {
  /** `ws#1`, or the sid of a polling session: names the connection in failures. */
  readonly label: string;
  /** Sends packets in order (WebSocket: one frame each; polling: one POST). */
  send(packets: EngineIOv4Packet[]): void;
  /** The next packet from the server; fails (with the precondition that broke, if one did) when the session ends. */
  next(options: TakeOptions): Promise<EngineIOv4Packet>;
  /** performance.now() at which the packet most recently taken by {@link next} had arrived. */
  readonly lastArrival: number;
  /**
   * A precondition the link saw break on the way that may explain why the session ends later
   * (a POST held so long that the heartbeat starves); undefined when none did.
   */
  readonly trouble?: CaseOutcome;
  close(): Promise<unknown>;
}

/** An Engine.IO WebSocket as a link. */
export function webSocketLink(socket: EngineSocket): EngineLink {
  return {
    label: socket.ws.conn,
    send: (packets) => {
      for (const p of packets) socket.send(p);
    },
    next: (options) => socket.nextPacket(options),
    get lastArrival() {
      return socket.lastArrival;
    },
    close: () => socket.close(),
  };
}

/**
 * True when a failed poll or POST only says the session is gone (a 4xx): that is how a session
 * the server closed answers, not a broken precondition.
 */
function sessionGone(err: unknown): boolean {
  return err instanceof CaseOutcome && /^4\d\d\b/.test(err.details.observed ?? "");
}

/**
 * True when a text record holds more records behind a line feed: a payload whose records were
 * joined with `\n` instead of the separator 0x1E arrives as one record (a JSON payload holds no
 * raw line feed followed by a packet).
 */
function joinedRecords(data: string): boolean {
  const [, ...rest] = data.split("\n");
  return (
    rest.length > 0 &&
    rest.every((r) => /^(?:[0-6]|b)/.test(r)) &&
    rest.some((r) => r.startsWith("b") || readPacketText(r).json)
  );
}

/**
 * A polling session as a link: a loop keeps one GET pending and queues what it brings; sends
 * are POSTs that must be answered `200 ok`, one at a time (a server may refuse overlapping POSTs).
 * A POST answered later than `postDeadlineMs` is noted as the link's trouble (EIO4-POLLING-16).
 */
export function pollingLink(session: PollingSession, timeoutMs: number, postDeadlineMs = Infinity): EngineLink {
  const inbox = new Inbox<EngineIOv4Packet>(`the polling session ${session.sid}`, timeoutMs);
  const stop = new AbortController();
  let posting: Promise<unknown> = Promise.resolve();
  let trouble: CaseOutcome | undefined;
  const fail = (what: string, err: unknown) => {
    if (stop.signal.aborted) return inbox.end("was closed by the runner");
    const cause = sessionGone(err) ? undefined : (err as CaseOutcome);
    inbox.end(`${what} (${(err as Error).message})`, cause instanceof CaseOutcome ? cause : undefined);
  };
  // Packets the server put in the handshake body behind the open packet come first.
  try {
    for (const p of decodePayload(session.response.text).slice(1)) inbox.push(p);
  } catch {
    // The open packet was read; the rest of a body that does not decode is the handshake cases' business.
  }
  void (async () => {
    while (!stop.signal.aborted && !inbox.ended) {
      try {
        const { packets } = await session.get({ signal: stop.signal, timeoutMs });
        const at = performance.now();
        const joined = packets.find((p) => p.type === "message" && typeof p.data === "string" && joinedRecords(p.data));
        if (joined) {
          const outcome = new CaseOutcome(
            "fail",
            "a poll brought records joined by a line feed, not by the separator 0x1E",
            {
              expected: "records separated by \\x1e",
              observed: JSON.stringify((joined as { data: string }).data.slice(0, 120)),
            },
          );
          inbox.end("sent a payload with the wrong record separator", outcome.asPrecondition(P.payloadBatches));
          break;
        }
        for (const p of packets) inbox.push(p, at);
        if (packets.some((p) => p.type === "close")) inbox.end("closed the session");
      } catch (err) {
        fail("stopped answering polls", err);
      }
    }
  })();
  return {
    label: session.sid,
    send(packets) {
      posting = posting.then(async () => {
        if (inbox.ended) return;
        const started = performance.now();
        await session.send(packets).catch((err: unknown) => fail("refused a POST", err));
        const took = performance.now() - started;
        if (took > postDeadlineMs && !trouble) {
          trouble = new CaseOutcome("fail", `a POST was answered only after ${Math.round(took)} ms`, {
            expected: `the answer at once (within ${Math.round(postDeadlineMs)} ms)`,
            observed: `${Math.round(took)} ms`,
          }).asPrecondition(P.postPrompt);
        }
      });
    },
    next: (options) => inbox.take(() => true, options),
    get lastArrival() {
      return inbox.lastArrival;
    },
    get trouble() {
      return trouble;
    },
    async close() {
      stop.abort();
      inbox.end("was closed by the runner");
      await posting;
    },
  };
}
