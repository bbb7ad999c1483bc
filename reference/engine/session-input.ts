/**
 * Receiving, for the session core: the polling requests (a GET held until there is something to
 * send, a POST carrying a payload) and the frames of the session's WebSocket, decoded and acted
 * on packet by packet. Only a message reaches the application; the heartbeat and close packets
 * act on the session; anything out of place ends it.
 */
import { DecodeError } from "../../protocol/errors.js";
import { wsCloseCode, type PollResponder, type SocketPort } from "./ports.js";
import { closePacket, noopPacket, type PacketOutcome } from "./session-base.js";
import type { PostOutcome } from "./session-config.js";
import { SessionOutput } from "./session-output.js";
import type { Packet } from "./wire.js";

function describeDecodeFailure(e: unknown): string {
  return e instanceof DecodeError ? `${e.reason} (${e.rule})` : `undecodable input: ${String(e)}`;
}

export abstract class SessionInput<Req> extends SessionOutput<Req> {
  /** A POST is being read. */
  protected postActive = false;

  /** A GET arrived. Returns "overlap" when another GET was already pending (the new one gets 400). */
  onPoll(res: PollResponder): "served" | "overlap" {
    if (this.state === "closed") {
      // Reachable only if something kept the session in the table: a noop rather than a GET that hangs.
      res.respond([noopPacket]);
      return "served";
    }
    if (this.pendingGet) {
      this.onOverlap("overlapping GET");
      return "overlap";
    }
    if (this.state === "closing") {
      // A server close waits for this GET: what is left of the buffer, then the close.
      if (this.buffer.length > 0) res.respond(this.takeBuffer(this.cfg.maxPacketsPerPayload));
      else {
        res.respond([noopPacket, closePacket]);
        this.finish("server close");
      }
      return "served";
    }
    this.pendingGet = res;
    this.flush();
    return "served";
  }

  /** The client dropped a GET it had pending: the transport failed (DROP-04). */
  onPollAborted(res: PollResponder): void {
    if (this.pendingGet !== res) return;
    this.pendingGet = null;
    this.closeWith("transport error", "pending GET aborted", wsCloseCode.normal);
  }

  /** A POST started. False when another POST is still in flight (the new one gets 400). */
  beginPost(): boolean {
    if (this.postActive) {
      this.onOverlap("overlapping POST");
      return false;
    }
    this.postActive = true;
    return true;
  }

  /** A second GET or POST while one is in flight: the session ends (EIO4-POLLING-08). */
  protected onOverlap(detail: string): void {
    this.closeWith("transport error", detail, wsCloseCode.normal);
  }

  /** The client dropped a POST before its body was complete. */
  onPostAborted(): void {
    this.postActive = false;
    this.closeWith("transport error", "POST aborted", wsCloseCode.normal);
  }

  /** The POST was refused before its body was read (e.g. 413); the session lives on. */
  endPost(): void {
    this.postActive = false;
  }

  /** A complete POST body: decodes it and acts on each packet in order. */
  onPostBody(body: string | Uint8Array): PostOutcome {
    this.postActive = false;
    if (this.state === "closed") return "gone";
    if (this.state === "closing") return "ok";
    let packets: Packet[];
    try {
      packets = this.wire.decodePayload(body);
    } catch (e) {
      if (e instanceof DecodeError) this.deliverBeforeBadRecord(e.partial as Packet[]);
      this.closeWith("parse error", describeDecodeFailure(e), wsCloseCode.protocolError);
      return "bad";
    }
    if (packets.length > this.cfg.maxPacketsPerPayload) {
      this.closeWith("parse error", "too many packets in one payload", wsCloseCode.protocolError);
      return "bad";
    }
    return this.runPackets(packets) === "violation" ? "bad" : "ok";
  }

  /** v4 delivers the records before a bad one (EIO4-PAYLOAD-07); v3 delivers none (EIO3-PAYLOAD-03). */
  protected deliverBeforeBadRecord(packets: Packet[]): void {
    if (this.protocol === 4) this.runPackets(packets);
  }

  /** A POST body of the wrong kind (binary on a v4 session, not UTF-8): the session ends with a parse error. */
  onInvalidContent(detail: string): void {
    this.closeWith("parse error", detail, wsCloseCode.protocolError);
  }

  /** A frame on the session's own WebSocket (not the probe). */
  protected onSocketFrame(port: SocketPort, frame: string | Uint8Array): void {
    if (port !== this.socket || this.state !== "open") return;
    let packets: Packet[];
    try {
      packets = this.decodeFrame(frame);
    } catch (e) {
      this.onBadFrame(port, e);
      return;
    }
    this.runPackets(packets);
  }

  /** The packets of one frame: exactly one (EIO4-WS-02). */
  protected decodeFrame(frame: string | Uint8Array): Packet[] {
    return [this.wire.decodeFrame(frame)];
  }

  /** A frame that does not decode ends the session as a protocol error. */
  protected onBadFrame(_port: SocketPort, e: unknown): void {
    this.closeWith("parse error", describeDecodeFailure(e), wsCloseCode.protocolError);
  }

  /** Acts on packets in order; output is held back until all are done, so replies batch. */
  protected runPackets(packets: readonly Packet[]): PacketOutcome {
    let outcome: PacketOutcome = "continue";
    this.corked++;
    try {
      for (const p of packets) {
        if (this.state !== "open") break;
        outcome = this.onPacket(p);
        if (outcome !== "continue") break;
      }
    } finally {
      this.corked--;
    }
    this.flush();
    return outcome;
  }

  /** One packet from the client. */
  protected onPacket(p: Packet): PacketOutcome {
    switch (p.type) {
      case "message":
        return this.onMessage(p.data ?? "");
      case "pong":
        return this.onPong(p);
      case "ping":
        return this.onPing(p);
      case "close":
        return this.onClosePacket();
      default:
        // open, upgrade and noop mean nothing outside the handshake and the probe (EIO4-PACKET-11).
        return "continue";
    }
  }

  /** A message goes to the application as it came: text or binary. */
  protected onMessage(data: string | Uint8Array): PacketOutcome {
    this.safeEmit("message", data);
    return "continue";
  }

  /** v4: a pong is the heartbeat's business. v3: pings go from client to server only, so a pong is out of place. */
  protected onPong(_p: Extract<Packet, { type: "pong" }>): PacketOutcome {
    if (this.protocol === 4) {
      this.heartbeat.onPong();
      return "continue";
    }
    return this.violation("transport error", "invalid heartbeat direction");
  }

  /** v3: the client pings and gets its pong. v4: the server pings, so a ping from the client is out of place. */
  protected onPing(p: Extract<Packet, { type: "ping" }>): PacketOutcome {
    if (this.protocol === 3) {
      this.heartbeat.onPing(typeof p.data === "string" ? p.data : undefined);
      return "continue";
    }
    return this.violation("transport error", "invalid heartbeat direction");
  }

  /** The client closes: the session ends now, and the packets after the close are not read (EIO4-CLOSE-01). */
  protected onClosePacket(): PacketOutcome {
    this.closeWith("client close", undefined, wsCloseCode.normal);
    return "stop";
  }

  /** Ends the session for a packet the client must not send. */
  protected violation(reason: "transport error" | "parse error", detail: string): PacketOutcome {
    this.closeWith(reason, detail, wsCloseCode.protocolError);
    return "violation";
  }
}
