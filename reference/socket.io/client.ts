/**
 * The Socket.IO side of one Engine.IO session: decodes its messages into packets, routes them
 * to the namespace sockets joined over it, answers CONNECTs, and enforces the session-wide
 * rules. Every protocol violation ends the whole Engine.IO session, silently: no error packet
 * is sent, because a peer that breaks the grammar cannot be trusted to read one.
 */
import type { EngineConnection, CloseReason } from "../engine/connection.js";
import { splitNamespaceQuery } from "../../protocol/socket.io/v4.js";
import { codecFor, type Packet, type SessionCodec } from "./codec.js";
import { DecodeError } from "../../protocol/errors.js";
import { toleratesDecodeError, type SocketFault } from "./faults.js";
import type { MiddlewareError, Namespace, NamespaceHost } from "./namespace.js";
import { hideReservedName } from "./packet-rules.js";
import type { TimerHandle } from "../engine/clock.js";
import type { Socket, SocketCarrier } from "./socket.js";

/** What a session needs from the server. */
export interface ClientHost extends NamespaceHost {
  readonly connectTimeout: number;
  readonly maxAttachments: number;
  /** The namespace serving `name`, creating a dynamic child if a parent accepts it; undefined if none. */
  lookupNamespace(name: string, auth: Record<string, unknown>): Namespace | Promise<Namespace | undefined> | undefined;
  /** The session ended. */
  clientClosed(client: Client): void;
  /** Told of each protocol violation, for diagnostics. */
  onViolation?(sessionId: string, reason: string): void;
}

// What the sockets of a session are told when the Engine.IO session ends for each reason.
const SOCKET_REASON: Record<CloseReason, string> = {
  "client close": "transport close",
  "server close": "forced server close",
  "ping timeout": "ping timeout",
  "transport error": "transport error",
  "parse error": "parse error",
  "forced server close": "server shutting down",
};

/** The Socket.IO state of one Engine.IO session. */
export class Client implements SocketCarrier {
  readonly protocol: 3 | 4;
  readonly faults: ReadonlySet<SocketFault>;
  /** Joined namespaces: name -> socket. */
  private readonly sockets = new Map<string, Socket>();
  /** Namespaces whose CONNECT is being decided (lookup or middleware still running). */
  private pending: Set<string> | undefined;
  private readonly codec: SessionCodec;
  private connectTimer: TimerHandle | undefined;
  /** Under the rejoin-ignored fault: the namespaces the client left. */
  private left: Set<string> | undefined;
  /** Under the reserved-event-accepted fault: the reserved name hidden from the codec, put back on decode. */
  private hiddenName: { marker: string; name: string } | undefined;
  /** Under the packet-before-connect-ignored fault: whether any CONNECT came yet. */
  private connectSeen = false;
  /** Under the connect-reply-shares-message fault: a CONNECT reply waiting to go out with the next packet. */
  private heldReply: string | undefined;
  private closed = false;

  constructor(
    readonly conn: EngineConnection,
    private readonly host: ClientHost,
  ) {
    this.protocol = conn.protocol;
    this.faults = host.faults;
    this.codec = codecFor(conn.protocol, host.maxAttachments);
    conn.on("message", this.onMessage);
    conn.on("close", this.onEngineClose);
    if (!this.faults.has("connect-timeout-ignored")) {
      this.connectTimer = host.clock.setTimeout(() => {
        this.connectTimer = undefined;
        if (this.sockets.size === 0) this.closeSession("forced close");
      }, host.connectTimeout);
    }
    // Socket.IO v4: the server joins the client to `/` on its own, right after the handshake.
    if (this.protocol === 3 || this.faults.has("unprompted-connect-reply")) this.startConnect("/", {});
  }

  /** The request that opened the Engine.IO session. */
  get request(): EngineConnection["request"] {
    return this.conn.request;
  }

  /** Namespaces this session has joined. */
  get namespaces(): string[] {
    return [...this.sockets.keys()];
  }

  /** @internal */
  sendPacket(packet: Packet): void {
    if (this.closed) return;
    const encoded = this.codec.encode(packet);
    const text = encoded[0];
    let out =
      encoded.length > 1 && this.faults.has("binary-placeholder-misnumbered")
        ? text.replace(
            /"_placeholder":true,"num":(\d+)/g,
            (_m, n: string) => `"_placeholder":true,"num":${Number(n) + 1}`,
          )
        : text;
    if (packet.nsp !== "/" && this.faults.has("namespace-written-without-comma"))
      out = out.replace(`${packet.nsp},`, packet.nsp);
    if (packet.type === "DISCONNECT" && this.faults.has("disconnect-with-payload")) out += "{}";
    if (packet.type === "CONNECT" && packet.nsp === "/" && this.faults.has("root-namespace-written"))
      out = `0/,${out.slice(1)}`;
    if (this.faults.has("connect-reply-shares-message")) {
      if (packet.type === "CONNECT" && packet.nsp !== "/" && this.conn.transport === "polling")
        return void (this.heldReply = out);
      if (this.heldReply !== undefined) [out, this.heldReply] = [this.heldReply + out, undefined];
    }
    if (encoded.length > 1 && this.faults.has("binary-count-one-low"))
      out = out.replace(/^([56])([0-9]+)-/, (_m, type: string, count: string) => `${type}${Number(count) - 1}-`);
    if (packet.type === "ACK" && packet.data.length === 0 && this.faults.has("ack-empty-payload-omitted"))
      out = out.slice(0, -2);
    if (packet.type === "ACK" && encoded.length > 1 && this.faults.has("binary-ack-typed-as-ack"))
      out = `3${out.slice(1)}`;
    if (encoded.length > 1 && packet.nsp !== "/" && this.faults.has("binary-count-after-namespace"))
      out = out.replace(/^(\d)(\d+-)(\/[^,]*,)/, "$1$3$2");
    if (encoded.length > 1 && packet.type === "EVENT" && this.faults.has("binary-event-as-base64")) {
      const base64 = (num: string) =>
        JSON.stringify(Buffer.from(encoded[Number(num) + 1] as Uint8Array).toString("base64"));
      return this.conn.send(
        out
          .replace(/^5[0-9]+-/, "2")
          .replace(/\{"_placeholder":true,"num":([0-9]+)\}/g, (_m, num: string) => base64(num)),
      );
    }
    this.conn.send(out);
    const attachments = encoded.slice(1) as Uint8Array[];
    if (this.faults.has("attachments-reversed")) attachments.reverse();
    const asText = this.conn.transport === "polling" && this.faults.has("polling-attachment-as-text");
    for (const attachment of attachments)
      this.conn.send(asText ? Buffer.from(attachment).toString("base64") : attachment);
  }

  /** @internal */
  removeSocket(socket: Socket): void {
    if (this.sockets.get(socket.nsp.name) === socket) this.sockets.delete(socket.nsp.name);
  }

  /** Close the Engine.IO session; every joined socket is told `reason`. */
  closeSession(reason: string): void {
    if (this.closed) return;
    // Tear down first: the engine may report its close synchronously, with its own reason.
    this.teardown(reason);
    this.conn.close();
  }

  /** @internal */
  disconnectAll(): void {
    for (const socket of [...this.sockets.values()]) socket.disconnect();
    if (this.faults.has("close-me-keeps-session")) return;
    this.closeSession("server namespace disconnect");
  }

  private readonly onMessage = (message: string | Uint8Array): void => {
    if (this.closed) return;
    if (typeof message === "string" && this.faults.has("reserved-event-accepted")) {
      const hidden = hideReservedName(message);
      if (hidden) {
        message = hidden.text;
        this.hiddenName = { marker: hidden.marker, name: hidden.name };
      }
    }
    if (typeof message !== "string" && message.byteLength === 0 && this.faults.has("empty-attachment-ignored")) return;
    if (
      typeof message === "string" &&
      this.faults.has("namespace-comma-required") &&
      /^[0-6](?:[0-9]+-)?\/[^,]*$/.test(message)
    ) {
      return this.violation("namespace without its comma");
    }
    if (
      typeof message === "string" &&
      this.faults.has("empty-event-accepted") &&
      /^2(?:\/[^,]*,)?[0-9]*$/.test(message)
    )
      return;
    let packet: Packet | undefined;
    try {
      if (this.faults.has("attachments-not-awaited")) {
        packet = typeof message === "string" ? this.codec.decodeText(message) : undefined;
      } else {
        packet = this.codec.add(message);
      }
    } catch (err) {
      if (typeof message === "string" && this.faults.has("violation-spares-session")) {
        // Only the namespace the text names is dropped, as if a violation were that namespace's affair.
        const nsp = /^[0-6](?:[0-9]+-)?(\/[^,]*),/.exec(message)?.[1];
        const socket = nsp === undefined || nsp === "/" ? undefined : this.sockets.get(nsp);
        if (socket) return socket.onclose("parse error");
      }
      if (!(err instanceof DecodeError && toleratesDecodeError(this.faults, err.rule)))
        this.violation(`undecodable packet: ${(err as Error).message}`);
      return;
    }
    if (!packet) return;
    if (
      this.hiddenName &&
      (packet.type === "EVENT" || packet.type === "BINARY_EVENT") &&
      packet.data[0] === this.hiddenName.marker
    ) {
      packet.data[0] = this.hiddenName.name;
      this.hiddenName = undefined;
    }
    this.onPacket(packet);
  };

  private onPacket(packet: Packet): void {
    const { name, auth } = this.parseNamespace(packet);
    if (this.faults.has("rejoin-ignored")) {
      if (packet.type === "DISCONNECT") (this.left ??= new Set()).add(name);
      else if (packet.type === "CONNECT" && this.left?.has(name)) return;
    }
    if (packet.type !== "CONNECT" && !this.connectSeen && this.faults.has("packet-before-connect-ignored")) return;
    if (packet.type === "CONNECT") {
      this.connectSeen = true;
      const data = (packet as { data?: unknown }).data;
      if (
        this.faults.has("nested-auth-refused") &&
        typeof data === "object" &&
        data !== null &&
        Object.values(data).some((v) => typeof v === "object" && v !== null)
      ) {
        return this.violation("an auth object with nested values");
      }
      // A client may repeat a CONNECT before its answer arrives (the official client does when
      // a namespace socket is opened twice on a live manager); it gets one answer.
      if (this.pending?.has(name)) {
        if (this.faults.has("repeat-connect-closes"))
          return this.violation(`CONNECT to ${name} repeated before its reply`);
        if (this.faults.has("repeat-connect-answered-twice")) this.startConnect(name, auth);
        return;
      }
      if (this.pending !== undefined && this.faults.has("second-connect-before-reply-dropped")) return;
      const joined = this.sockets.get(name);
      if (joined && !this.faults.has("duplicate-connect-accepted")) return this.violation(`second CONNECT to ${name}`);
      joined?.onclose("client namespace disconnect");
      this.startConnect(name, auth);
      return;
    }
    const socket = this.sockets.get(name);
    if (!socket) {
      if (this.faults.has("unjoined-namespace-packet-ignored")) return;
      return this.violation(`${packet.type} for ${name}, which the client has not joined`);
    }
    if (packet.type === "CONNECT_ERROR") {
      if (this.faults.has("connect-error-from-client-ignored")) return;
      return this.violation("CONNECT_ERROR from a client");
    }
    const isEvent = packet.type === "EVENT" || packet.type === "BINARY_EVENT";
    if (isEvent && typeof packet.data[0] === "number" && this.faults.has("numeric-event-name-refused"))
      return this.violation("numeric event name");
    if (isEvent && packet.id !== undefined && packet.id > 0x7fffffff && this.faults.has("large-ack-id-refused"))
      return this.violation("ack id above 2^31-1");
    if (packet.type === "EVENT" && this.faults.has("placeholder-substituted-in-event"))
      substitutePlaceholders(packet.data);
    if ((packet.type === "ACK" || packet.type === "BINARY_ACK") && this.faults.has("ack-namespace-crossed")) {
      // Each socket ignores an id it does not wait for, so the one that asked answers, whatever its namespace.
      for (const other of [...this.sockets.values()]) other.handlePacket({ ...packet, nsp: other.nsp.name });
      return;
    }
    socket.handlePacket(packet);
    if (packet.type === "DISCONNECT" && this.faults.has("disconnect-closes-engine") && this.sockets.size === 0)
      this.closeSession("forced close");
    if (packet.type === "DISCONNECT" && this.faults.has("disconnect-leaves-all"))
      for (const other of [...this.sockets.values()]) other.onclose("client namespace disconnect");
  }

  /** v5: the namespace is the packet's; the auth is the CONNECT payload. v4: a query string on the namespace is the auth. */
  private parseNamespace(packet: Packet): { name: string; auth: Record<string, unknown> } {
    const data = (packet as { data?: unknown }).data;
    if (this.protocol === 4) {
      const dropAuth = this.faults.has("auth-dropped");
      const auth =
        packet.type === "CONNECT" && data !== undefined && !dropAuth ? (data as Record<string, unknown>) : {};
      const asked = this.faults.has("namespace-query-stripped") ? splitNamespaceQuery(packet.nsp).name : packet.nsp;
      const name = this.faults.has("namespace-name-folded") ? asked.toLowerCase().replace(/(.)\/$/, "$1") : asked;
      return { name, auth };
    }
    const { name, query } = splitNamespaceQuery(packet.nsp);
    return { name, auth: query ? Object.fromEntries(new URLSearchParams(query)) : {} };
  }

  /** Runs connect(); a failure inside it (an application bug) ends this session, never the process. */
  private startConnect(name: string, auth: Record<string, unknown>): void {
    this.connect(name, auth).catch((err: unknown) => {
      process.emitWarning(`socket.io CONNECT to ${name} failed: ${String(err)}`);
      this.closeSession("forced close");
    });
  }

  /** A CONNECT to `name` is decided; the set goes once empty, so an idle session does not keep it. */
  private decided(name: string): void {
    this.pending?.delete(name);
    if (this.pending?.size === 0) this.pending = undefined;
  }

  /** Decide a CONNECT: unknown namespace, refused by middleware, or joined. */
  private async connect(name: string, auth: Record<string, unknown>): Promise<void> {
    (this.pending ??= new Set()).add(name);
    const nsp = await this.host.lookupNamespace(name, auth);
    if (this.closed) return;
    if (!nsp) {
      this.decided(name);
      this.sendPacket({ type: "CONNECT_ERROR", nsp: name, data: { message: "Invalid namespace" } });
      if (this.faults.has("unknown-namespace-closes-session")) this.closeSession("forced close");
      if (this.connectTimer !== undefined && this.faults.has("deadline-stopped-by-refusal")) {
        this.host.clock.clearTimeout(this.connectTimer);
        this.connectTimer = undefined;
      }
      return;
    }
    const admission = await nsp.admit(this, auth);
    if (this.closed) return;
    // Under refusal-sticky a refused namespace stays "being decided": every later CONNECT to it is dropped.
    if (!("error" in admission && this.faults.has("refusal-sticky"))) this.decided(name);
    if ("error" in admission) {
      this.sendPacket({ type: "CONNECT_ERROR", nsp: name, data: this.refusal(admission.error) } as Packet);
      if (this.faults.has("refusal-closes-session")) this.closeSession("forced close");
      return;
    }
    const { socket, missed } = admission;
    this.sockets.set(name, socket);
    if (this.connectTimer !== undefined && !this.faults.has("connect-timeout-not-cleared")) {
      this.host.clock.clearTimeout(this.connectTimer);
      this.connectTimer = undefined;
    }
    const late = name !== "/" && this.faults.has("connect-reply-late");
    if (!late) this.sendPacket(this.connectReply(socket));
    nsp.finishConnect(socket, missed);
    if (late) this.sendPacket(this.connectReply(socket));
  }

  /** The CONNECT the server answers with: v5 carries `{sid}` (and `pid` with recovery), v4 nothing. */
  private connectReply(socket: Socket): Packet {
    if (this.protocol === 3) return { type: "CONNECT", nsp: socket.nsp.name };
    const data: Record<string, unknown> = {
      sid: this.faults.has("namespace-sid-is-engine-sid") ? this.conn.id : socket.id,
    };
    if (this.faults.has("connect-reply-empty-sid")) data.sid = "";
    if (socket.pid !== undefined && !this.faults.has("recovery-pid-missing")) data.pid = socket.pid;
    if (this.faults.has("connect-reply-extra-key")) data.nsp = socket.nsp.name;
    return { type: "CONNECT", nsp: socket.nsp.name, data };
  }

  /**
   * The CONNECT_ERROR payload for a middleware refusal: `{message, data?}` in v5; in v4 the
   * message as a JSON string (SIO4-ERROR-01 allows no object without `message`, which is what
   * the official server sends when the error has data).
   */
  private refusal(err: MiddlewareError): { message: string; data?: unknown } | string {
    const message = typeof err?.message === "string" ? err.message : String(err);
    if (this.protocol === 3) return message;
    if (this.faults.has("connect-error-string-in-v5")) return message;
    return err?.data === undefined || this.faults.has("middleware-error-data-dropped")
      ? { message }
      : { message, data: err.data };
  }

  private violation(reason: string): void {
    this.host.onViolation?.(this.conn.id, reason);
    if (this.faults.has("close-after-rest-of-payload"))
      return void setImmediate(() => this.closeSession("forced close"));
    this.closeSession("forced close");
  }

  private readonly onEngineClose = (reason: CloseReason): void => {
    this.teardown(SOCKET_REASON[reason] ?? "transport close");
  };

  private teardown(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.conn.off("message", this.onMessage as (...args: never[]) => void);
    this.conn.off("close", this.onEngineClose as (...args: never[]) => void);
    if (this.connectTimer !== undefined) this.host.clock.clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    this.pending = undefined;
    // The engine-close-spares-namespaces fault disconnects only the socket on `/`; the others linger.
    for (const socket of [...this.sockets.values()])
      if (socket.nsp.name === "/" || !this.faults.has("engine-close-spares-namespaces")) socket.onclose(reason);
    this.sockets.clear();
    this.host.clientClosed(this);
  }
}

/**
 * For the placeholder-substituted-in-event fault only: replaces every placeholder-shaped object
 * in a plain EVENT payload by an empty binary value, as if it had been an attachment.
 */
function substitutePlaceholders(data: unknown[]): void {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) value[i] = visit(v);
      return value;
    }
    if (typeof value !== "object" || value === null || value instanceof Uint8Array) return value;
    const o = value as Record<string, unknown>;
    if (o._placeholder === true && typeof o.num === "number") return new Uint8Array(0);
    for (const key of Object.keys(o)) o[key] = visit(o[key]);
    return o;
  };
  visit(data);
}
