/**
 * One Engine.IO WebSocket seen as packets, for either protocol version: the version gives the
 * frame codec and what an undecodable frame breaks (a precondition of the case).
 */
import type { WaitOptions, WsConnection } from "./ws.js";

/** How one protocol version reads and writes WebSocket frames. */
export interface FrameCodec<P> {
  encode(packet: P): string | Uint8Array;
  decode(frame: string | Uint8Array): P;
  /** A frame that does not decode: ends the case (a broken precondition). */
  undecodable(frame: string | Uint8Array, err: unknown): never;
}

export class FrameSocket<P, H> {
  /** After an upgrade: the packets of the poll that was pending during it (normally one noop). */
  drained: P[] = [];

  constructor(
    readonly ws: WsConnection,
    private readonly codec: FrameCodec<P>,
    /** Set when this WebSocket opened a new session (not for an upgrade). */
    readonly handshake?: H,
  ) {}

  /** performance.now() at which the packet most recently taken had arrived (for `ctx.within`'s `since`/`at`). */
  get lastArrival(): number {
    return this.ws.lastArrival;
  }

  /** Sends one packet as a frame. */
  send(packet: P): void {
    this.ws.send(this.codec.encode(packet));
  }

  /**
   * Takes the next frame from the inbox as a packet (a frame that does not decode ends the case).
   * @example `const ping = await socket.nextPacket({ what: "a ping", timeoutMs: ctx.answerTimeoutMs })`
   */
  async nextPacket(options: WaitOptions = {}): Promise<P> {
    return this.toPacket(await this.ws.next(options));
  }

  /** Takes the oldest packet satisfying `match`; frames that do not match stay in the inbox. */
  async nextPacketMatching(match: (p: P) => boolean, options: WaitOptions = {}): Promise<P> {
    const frame = await this.ws.nextMatching((f) => {
      try {
        return match(this.codec.decode(f));
      } catch {
        return false;
      }
    }, options);
    return this.toPacket(frame);
  }

  close(): Promise<unknown> {
    return this.ws.close();
  }

  private toPacket(frame: string | Uint8Array): P {
    try {
      return this.codec.decode(frame);
    } catch (err) {
      return this.codec.undecodable(frame, err);
    }
  }
}
