/**
 * The faults in how the server writes its packets: each rewrites the Engine.IO messages the
 * reference codec produced for one packet, so that everything else about the server stays the
 * reference's. The CONNECT reply faults edit the reply before it is encoded.
 */
import type { EngineConnection } from "../../engine/connection.js";
import type { Packet, SessionCodec } from "../../socket.io/codec.js";
import type { SocketFault } from "./catalogue.js";

/** The faults this writer handles. */
export const WRITE_FAULTS: ReadonlySet<SocketFault> = new Set<SocketFault>([
  "connect-reply-extra-key",
  "namespace-sid-is-engine-sid",
  "connect-reply-empty-sid",
  "recovery-pid-missing",
  "binary-placeholder-misnumbered",
  "namespace-written-without-comma",
  "disconnect-with-payload",
  "root-namespace-written",
  "connect-reply-shares-message",
  "binary-count-one-low",
  "ack-empty-payload-omitted",
  "binary-ack-typed-as-ack",
  "binary-count-after-namespace",
  "binary-event-as-base64",
  "attachments-reversed",
  "polling-attachment-as-text",
]);

/** Encodes through the reference codec, then breaks what the faults on say. */
export class FaultyWriter {
  /** Under connect-reply-shares-message: a CONNECT reply waiting to go out with the next packet. */
  private heldReply: string | undefined;

  constructor(
    private readonly inner: SessionCodec,
    private readonly conn: EngineConnection,
    private readonly faults: ReadonlySet<SocketFault>,
  ) {}

  encode(original: Packet): (string | Uint8Array)[] {
    const packet = this.reply(original);
    const [text, ...rest] = this.inner.encode(packet) as [string, ...Uint8Array[]];
    const binary = rest.length > 0;
    const on = (fault: SocketFault) => this.faults.has(fault);
    let out = text;
    if (binary && on("binary-placeholder-misnumbered"))
      out = out.replace(
        /"_placeholder":true,"num":(\d+)/g,
        (_m, n: string) => `"_placeholder":true,"num":${Number(n) + 1}`,
      );
    if (packet.nsp !== "/" && on("namespace-written-without-comma")) out = out.replace(`${packet.nsp},`, packet.nsp);
    if (packet.type === "DISCONNECT" && on("disconnect-with-payload")) out += "{}";
    if (packet.type === "CONNECT" && packet.nsp === "/" && on("root-namespace-written")) out = `0/,${out.slice(1)}`;
    if (on("connect-reply-shares-message")) {
      if (packet.type === "CONNECT" && packet.nsp !== "/" && this.conn.transport === "polling") {
        this.heldReply = out;
        return [];
      }
      if (this.heldReply !== undefined) [out, this.heldReply] = [this.heldReply + out, undefined];
    }
    if (binary && on("binary-count-one-low"))
      out = out.replace(/^([56])([0-9]+)-/, (_m, type: string, count: string) => `${type}${Number(count) - 1}-`);
    if (packet.type === "ACK" && packet.data.length === 0 && on("ack-empty-payload-omitted")) out = out.slice(0, -2);
    if (packet.type === "ACK" && binary && on("binary-ack-typed-as-ack")) out = `3${out.slice(1)}`;
    if (binary && packet.nsp !== "/" && on("binary-count-after-namespace"))
      out = out.replace(/^(\d)(\d+-)(\/[^,]*,)/, "$1$3$2");
    if (binary && packet.type === "EVENT" && on("binary-event-as-base64")) return [inlineAsBase64(out, rest)];
    if (on("attachments-reversed")) rest.reverse();
    const asText = this.conn.transport === "polling" && on("polling-attachment-as-text");
    return [out, ...rest.map((bytes) => (asText ? Buffer.from(bytes).toString("base64") : bytes))];
  }

  /** The CONNECT reply faults: a v5 reply (the one with a payload) with its keys broken. */
  private reply(packet: Packet): Packet {
    const reply = packet.type === "CONNECT" ? (packet as { data?: Record<string, unknown> }).data : undefined;
    if (reply === undefined) return packet;
    const data = { ...reply };
    if (this.faults.has("namespace-sid-is-engine-sid")) data.sid = this.conn.id;
    if (this.faults.has("connect-reply-empty-sid")) data.sid = "";
    if (this.faults.has("recovery-pid-missing")) delete data.pid;
    if (this.faults.has("connect-reply-extra-key")) data.nsp = packet.nsp;
    return { ...packet, data } as Packet;
  }
}

/** A binary EVENT as a plain one: the count dropped, each placeholder replaced by its bytes in base64. */
function inlineAsBase64(text: string, attachments: Uint8Array[]): string {
  const base64 = (num: string) =>
    JSON.stringify(Buffer.from(attachments[Number(num)] as Uint8Array).toString("base64"));
  return text
    .replace(/^5[0-9]+-/, "2")
    .replace(/\{"_placeholder":true,"num":([0-9]+)\}/g, (_m, num: string) => base64(num));
}
