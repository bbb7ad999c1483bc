/** Test helpers for the session core: a session on a manual clock, fake polling and WebSocket ports. */
import { ManualClock } from "../../reference/engine/clock.js";
import type { PollResponder, SocketPort } from "../../reference/engine/ports.js";
import { Session, type SessionConfig } from "../../reference/engine/session.js";
import { wireFor, type Packet } from "../../reference/engine/wire.js";
import { engineSeams, type EngineFault } from "../../reference/faults/engine/index.js";

export interface Harness {
  session: Session<object>;
  clock: ManualClock;
  closes: Array<[string, string | undefined]>;
  messages: Array<string | Uint8Array>;
}

/** A session on a manual clock; with `faults`, the session a mutant server with them would make (engineSeams). */
export function makeSession(over: Partial<SessionConfig> = {}, faults: EngineFault[] = []): Harness {
  const clock = new ManualClock();
  const seams = engineSeams(new Set(faults));
  const settings: Omit<SessionConfig, "wire"> = {
    id: "AAAAAAAAAAAAAAAAAAAA",
    protocol: 4,
    supportsBinary: true,
    transport: "polling",
    upgrades: ["websocket"],
    pingInterval: 300,
    pingTimeout: 200,
    upgradeTimeout: 1000,
    maxPayload: 1e6,
    maxBufferedBytes: 1e6,
    maxPacketsPerPayload: 1000,
    closeTimeout: 30000,
    clock,
    ...over,
  };
  const wire = over.wire ?? seams.wire?.(settings.protocol, settings.supportsBinary);
  const cfg: SessionConfig = { ...settings, wire: wire ?? wireFor(settings.protocol, settings.supportsBinary) };
  const session =
    (seams.session?.(cfg, { headers: {} }) as Session<object> | undefined) ?? new Session<object>(cfg, {});
  const closes: Harness["closes"] = [];
  const messages: Harness["messages"] = [];
  session.on("close", (reason, detail) => closes.push([reason, detail]));
  session.on("message", (m) => messages.push(m));
  return { session, clock, closes, messages };
}

/** A pending GET that records what it was answered with. */
export class FakeGet implements PollResponder {
  packets: Packet[] | undefined;
  answers = 0;
  respond(packets: readonly Packet[]): void {
    this.answers++;
    this.packets = [...packets];
  }
}

/** Issues a GET on the session; returns the fake and what onPoll said. */
export function poll(session: Session<object>): { get: FakeGet; result: "served" | "overlap" } {
  const get = new FakeGet();
  return { get, result: session.onPoll(get) };
}

/** A complete POST with the given payload body. */
export function post(session: Session<object>, body: string | Uint8Array): string {
  if (!session.beginPost()) return "overlap";
  return session.onPostBody(body);
}

/** A WebSocket that records frames and its close code. */
export class FakeSocket implements SocketPort {
  frames: Array<string | Uint8Array> = [];
  closedWith: number | undefined;
  send(frame: string | Uint8Array): void {
    if (this.closedWith === undefined) this.frames.push(frame);
  }
  close(code: number): void {
    if (this.closedWith === undefined) this.closedWith = code;
  }
}
