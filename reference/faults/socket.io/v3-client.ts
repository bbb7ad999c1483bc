/**
 * The Client faults of the version 3 path: how a v3 session's CONNECTs are decided and answered
 * (the query string, repeats, refusals and their v4 ERROR payloads), how leaving a namespace
 * works, and which violations are let through. A v3 session of a mutant server is served by a
 * FaultyV3Client (the `client` seam, index.ts).
 */
import type { EngineConnection } from "../../engine/connection.js";
import { RESERVED_EVENTS } from "../../../protocol/socket.io/grammar.js";
import type { ClientHost } from "../../socket.io/client.js";
import type { Packet, SessionCodec } from "../../socket.io/codec.js";
import { refusalMessage } from "../../socket.io/connect.js";
import type { MiddlewareError, Namespace } from "../../socket.io/namespace.js";
import type { Socket } from "../../socket.io/socket.js";
import type { SocketFault } from "./catalogue.js";
import { FaultyClient } from "./client.js";

/** The faults a FaultyV3Client handles. */
export const V3_CLIENT_FAULTS: ReadonlySet<SocketFault> = new Set<SocketFault>([
  "v3-reply-keeps-query",
  "v3-query-not-auth",
  "v3-repeated-connect-answered",
  "v3-repeat-connect-closes",
  "v3-unknown-namespace-closes",
  "v3-unknown-namespace-string",
  "v3-refusal-payload-number",
  "v3-refusal-without-message",
  "v3-rejoin-ignored",
  "v3-leaving-root-closes",
  "v3-bad-packet-ignored",
  "v3-reserved-event-accepted",
  "v3-ack-leading-zero-accepted",
  "v3-empty-ack-accepted",
]);

/** Undecodable texts that a fault of their own lets through (each a rule of its own), by fault. */
const LET_THROUGH: ReadonlyArray<[SocketFault, (text: string) => boolean]> = [
  [
    "v3-reserved-event-accepted",
    (t) => RESERVED_EVENTS.has(/^[25](?:[0-9]+-)?(?:\/[^,]*,)?[0-9]*\["([^"]*)"/.exec(t)?.[1] ?? ""),
  ],
  ["v3-ack-leading-zero-accepted", (t) => /^[2356](?:[0-9]+-)?(?:\/[^,]*,)?0[0-9]/.test(t)],
  ["v3-empty-ack-accepted", (t) => /^3(?:\/[^,]*,)?[0-9]+$/.test(t)],
];

export class FaultyV3Client extends FaultyClient {
  /** Under v3-reply-keeps-query: the name each namespace was asked for with, query string and all. */
  private readonly askedAs = new Map<string, string>();
  /** Under v3-rejoin-ignored: the namespaces the client left. */
  private readonly leftNamespaces = new Set<string>();

  constructor(
    conn: EngineConnection,
    host: ClientHost,
    codec: SessionCodec,
    private readonly v3Faults: ReadonlySet<SocketFault>,
  ) {
    super(conn, host, codec, v3Faults);
  }

  protected override undecodable(message: string | Uint8Array, err: Error): void {
    const on = (f: SocketFault) => this.v3Faults.has(f);
    if (typeof message === "string") {
      const own = LET_THROUGH.find(([, matches]) => matches(message));
      if (own ? on(own[0]) : on("v3-bad-packet-ignored")) return;
    }
    super.undecodable(message, err);
  }

  protected override route(packet: Packet): void {
    const on = (f: SocketFault) => this.v3Faults.has(f);
    if (packet.type === "CONNECT_ERROR" && on("v3-bad-packet-ignored")) return;
    if (packet.type === "CONNECT" && packet.nsp.includes("?")) this.askedAs.set(packet.nsp.split("?")[0]!, packet.nsp);
    const name = packet.nsp.split("?")[0]!;
    if (on("v3-rejoin-ignored")) {
      if (packet.type === "DISCONNECT") this.leftNamespaces.add(name);
      else if (packet.type === "CONNECT" && this.leftNamespaces.has(name)) return;
    }
    const leavingRoot = packet.type === "DISCONNECT" && name === "/" && this.sockets.has("/");
    super.route(packet);
    if (leavingRoot && on("v3-leaving-root-closes")) this.closeSession("forced close");
  }

  protected override receiveConnect(name: string, auth: Record<string, unknown>): void {
    const on = (f: SocketFault) => this.v3Faults.has(f);
    if (on("v3-query-not-auth")) auth = {};
    if (this.pending?.has(name) && on("v3-repeat-connect-closes"))
      return this.violation(`CONNECT to ${name} repeated before its reply`);
    const joined = this.sockets.get(name);
    if (joined && on("v3-repeated-connect-answered")) {
      joined.onclose("client namespace disconnect");
      return this.startConnect(name, auth);
    }
    super.receiveConnect(name, auth);
  }

  protected override refuseUnknown(name: string): void {
    if (this.v3Faults.has("v3-unknown-namespace-string"))
      this.sendPacket({ type: "CONNECT_ERROR", nsp: name, data: "Invalid namespace" } as Packet);
    else super.refuseUnknown(name);
    if (this.v3Faults.has("v3-unknown-namespace-closes")) this.closeSession("forced close");
  }

  protected override refuse(name: string, err: MiddlewareError): void {
    if (this.v3Faults.has("v3-refusal-payload-number"))
      return this.sendPacket({ type: "CONNECT_ERROR", nsp: name, data: 403 } as unknown as Packet);
    if (this.v3Faults.has("v3-refusal-without-message"))
      return this.sendPacket({
        type: "CONNECT_ERROR",
        nsp: name,
        data: { error: refusalMessage(err) },
      } as unknown as Packet);
    super.refuse(name, err);
  }

  protected override accept(nsp: Namespace, socket: Socket, missed: unknown[][]): void {
    const asked = this.askedAs.get(nsp.name);
    if (asked === undefined || !this.v3Faults.has("v3-reply-keeps-query")) return super.accept(nsp, socket, missed);
    this.sockets.set(nsp.name, socket);
    this.clearDeadline();
    this.sendPacket({ type: "CONNECT", nsp: asked });
    nsp.finishConnect(socket, missed);
  }
}
