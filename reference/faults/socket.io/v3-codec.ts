/**
 * The write faults of the version 3 path: each rewrites the Engine.IO messages that the
 * reference v4 codec produced for one packet, the way a server that mixes up the versions (or
 * the binary rules) writes them. A v3 session of a mutant server encodes through V3Writer.
 */
import type { EngineConnection } from "../../engine/connection.js";
import { codecFor, type Packet, type SessionCodec } from "../../socket.io/codec.js";
import type { SocketFault } from "./catalogue.js";

/** The faults V3Writer handles. */
export const V3_CODEC_FAULTS: ReadonlySet<SocketFault> = new Set<SocketFault>([
  "v3-root-connect-named",
  "v3-root-reply-v5-form",
  "v3-connect-reply-with-sid",
  "v3-namespace-comma-dropped",
  "v3-event-payload-object",
  "v3-ack-id-signed",
  "v3-ack-payload-object",
  "v3-ack-id-off-by-one",
  "v3-binary-count-missing",
  "v3-placeholder-misnumbered",
  "v3-attachments-first",
  "v3-attachments-as-text",
  "v3-disconnect-with-payload",
]);

/** The namespace part of a packet's text: nothing for `/`, else the name and its comma. */
const nspPart = (nsp: string) => (nsp === "/" ? "" : `${nsp},`);

class V3Writer {
  constructor(
    private readonly inner: SessionCodec,
    private readonly conn: EngineConnection,
    private readonly faults: ReadonlySet<SocketFault>,
  ) {}

  encode(packet: Packet): (string | Uint8Array)[] {
    const on = (f: SocketFault) => this.faults.has(f);
    const polling = this.conn.transport === "polling";
    if (packet.type === "CONNECT" && packet.nsp === "/") {
      // Still a CONNECT for / to a lenient reader, so the runner's probe finds its Socket.IO server.
      if (!polling && on("v3-root-connect-named")) return ["0/,"];
      if (polling && on("v3-root-reply-v5-form")) return [`0${JSON.stringify({ sid: this.conn.id })}`];
    }
    if (packet.type === "CONNECT" && packet.nsp !== "/" && on("v3-connect-reply-with-sid"))
      return [`0${packet.nsp},${JSON.stringify({ sid: this.conn.id })}`];
    const [text, ...attachments] = this.inner.encode(packet) as [string, ...Uint8Array[]];
    const binary = attachments.length > 0;
    let out = text;
    if (packet.type === "EVENT" && !binary) {
      const [name, ...args] = packet.data as [string, ...unknown[]];
      // Events of three arguments or more: the echo the runner's probe asks for keeps its form.
      if (packet.id === undefined && args.length >= 3 && on("v3-event-payload-object"))
        out = `2${nspPart(packet.nsp)}${JSON.stringify({ [name]: args })}`;
      if (packet.id !== undefined && on("v3-ack-id-signed"))
        out = `2${nspPart(packet.nsp)}+${out.slice(1 + nspPart(packet.nsp).length)}`;
      if (packet.nsp !== "/" && on("v3-namespace-comma-dropped")) out = out.replace(`${packet.nsp},`, packet.nsp);
    }
    if (packet.type === "ACK" && !binary) {
      const id = packet.id + (on("v3-ack-id-off-by-one") ? 1 : 0);
      const data = on("v3-ack-payload-object") ? { ...packet.data } : packet.data;
      out = `3${nspPart(packet.nsp)}${id}${JSON.stringify(data)}`;
    }
    if (packet.type === "DISCONNECT" && on("v3-disconnect-with-payload")) out += "{}";
    if (!binary) return [out];
    const ws = !polling;
    const event = out.startsWith("5");
    if (ws && on("v3-binary-count-missing")) out = out.replace(/^([56])[0-9]+-/, "$1");
    if (ws && event && on("v3-placeholder-misnumbered"))
      out = out.replace(
        /"_placeholder":true,"num":(\d+)/g,
        (_m, n: string) => `"_placeholder":true,"num":${Number(n) + 1}`,
      );
    if (event && on("v3-attachments-as-text"))
      return [out, ...attachments.map((b) => Buffer.from(b).toString("base64"))];
    if (event && on("v3-attachments-first")) return [...attachments, out];
    return [out, ...attachments];
  }
}

/** The codec of one v3 session with `faults` on: the reference v4 decoder, the faulty writer. */
export function faultyV3Codec(
  conn: EngineConnection,
  maxAttachments: number,
  faults: ReadonlySet<SocketFault>,
): SessionCodec {
  const inner = codecFor(conn.protocol, maxAttachments);
  const writer = new V3Writer(inner, conn, faults);
  return { encode: (packet) => writer.encode(packet), add: (message) => inner.add(message) };
}
