/**
 * Sending, for the session core: the send buffer, and how it drains. Over polling the buffer
 * waits for a GET and leaves in one payload of at most maxPacketsPerPayload packets; over
 * WebSocket each packet leaves as one frame at once. While packets are being read (corked), what
 * they cause is held back so that the replies to one payload batch into one answer.
 */
import { wsCloseCode, type SocketPort } from "./ports.js";
import { SessionBase } from "./session-base.js";
import type { Packet } from "./wire.js";

/** The bytes a packet holds in the send buffer (its type, its data). */
function packetSize(p: Packet): number {
  if (!("data" in p) || p.data === undefined) return 1;
  return 1 + (typeof p.data === "string" ? p.data.length : p.data.byteLength);
}

export abstract class SessionOutput<Req> extends SessionBase<Req> {
  protected buffer: Packet[] = [];
  private bufferedBytes = 0;
  /** Above zero while packets are read: output waits for the end of the batch. */
  protected corked = 0;

  /** Queues a packet and sends what can be sent; over maxBufferedBytes the session ends (SEC-03). */
  protected enqueue(p: Packet): void {
    this.buffer.push(p);
    this.bufferedBytes += packetSize(p);
    if (this.bufferedBytes > this.cfg.maxBufferedBytes) {
      this.closeWith("transport error", "send buffer overflow", wsCloseCode.policyViolation);
      return;
    }
    this.flush();
  }

  /** Takes up to `max` packets off the front of the buffer. */
  protected takeBuffer(max: number): Packet[] {
    const out = this.buffer.length <= max ? this.buffer : this.buffer.slice(0, max);
    this.buffer = this.buffer.length <= max ? [] : this.buffer.slice(max);
    for (const p of out) this.bufferedBytes -= packetSize(p);
    return out;
  }

  protected override dropBuffer(): void {
    this.buffer = [];
    this.bufferedBytes = 0;
  }

  /** Sends the buffer, unless packets are being read (then it goes when they are done). */
  protected flush(): void {
    if (this.corked === 0) this.flushNow();
  }

  /** Sends the buffer on the transport now carrying the session. */
  protected flushNow(): void {
    if (this.state === "closed" || this.buffer.length === 0) return;
    if (this.currentTransport === "websocket") {
      if (this.socket) this.writeFrames(this.socket);
      return;
    }
    if (this.pendingGet) this.answerPoll();
  }

  /** Over WebSocket: every buffered packet as one frame. */
  protected writeFrames(socket: SocketPort): void {
    for (const p of this.takeBuffer(Infinity)) socket.send(this.wire.encodeFrame(p));
    // A client that does not read makes the socket's own buffer grow instead (SEC-03).
    if (this.socketBacklogged(socket)) {
      this.closeWith("transport error", "send buffer overflow", wsCloseCode.policyViolation);
    }
  }

  /** Over polling: the pending GET gets the front of the buffer as one payload. */
  protected answerPoll(): void {
    const get = this.pendingGet!;
    this.pendingGet = null;
    get.respond(this.takeBuffer(this.cfg.maxPacketsPerPayload));
  }

  /** Whether the socket holds more unsent bytes than allowed; frames held back for batching count only once the network refused them. */
  private socketBacklogged(socket: SocketPort): boolean {
    const limit = this.cfg.maxBufferedBytes;
    if ((socket.bufferedAmount?.() ?? 0) <= limit) return false;
    socket.flush?.();
    return (socket.bufferedAmount?.() ?? 0) > limit;
  }
}
