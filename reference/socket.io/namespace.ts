/**
 * Namespaces: the named channels a client joins with CONNECT. A fixed namespace has one name
 * (`io.of("/custom")`); a dynamic one (`io.of(/^\/dyn-\d+$/)` or a function) is a parent that
 * creates a child namespace the first time a client asks for a name it accepts. Middleware runs
 * before the CONNECT is answered and may refuse it.
 */
import type { Clock } from "../engine/clock.js";
import { RecoveryStore, RECOVERABLE_REASONS } from "./recovery.js";
import { newSocketId, Socket, type SocketCarrier, type SocketNamespace } from "./socket.js";
import { isReservedEvent } from "./packet-rules.js";

/** A refusal from middleware: `message` goes to the client, and `data` with it when set. */
export type MiddlewareError = Error & { data?: unknown };

/** Runs before a CONNECT is answered; call `next()` to admit, `next(err)` to refuse with CONNECT_ERROR. */
export type Middleware = (socket: Socket, next: (err?: MiddlewareError) => void) => void;

/** Decides whether a dynamic namespace serves a name, given the CONNECT auth. */
export type NamespaceMatcher = (name: string, auth: Record<string, unknown>) => boolean | Promise<boolean>;

/** What a namespace needs from its server. */
export interface NamespaceHost {
  readonly clock: Clock;
  /** Undefined when connection-state recovery is off. */
  readonly maxDisconnectionDuration: number | undefined;
}

/** The outcome of running a CONNECT through a namespace. */
export type Admission = { socket: Socket; missed: unknown[][] } | { error: MiddlewareError };

/** Who a joining socket is: its sid and pid, and when it resumes a dropped one, what it missed. */
export interface Identity {
  id: string;
  pid: string | undefined;
  recovered: boolean;
  /** EVENT payloads the socket missed while away, oldest first; empty for a new socket. */
  missed: unknown[][];
}

/** Listener and middleware lists shared by fixed and dynamic namespaces. */
abstract class Hooks {
  protected readonly middlewares: Middleware[] = [];
  protected readonly connectionListeners: ((socket: Socket) => void)[] = [];

  /** Add a middleware; they run in the order added. */
  use(middleware: Middleware): this {
    this.middlewares.push(middleware);
    return this;
  }

  /** Listen for sockets that joined (`connection`, or its alias `connect`). */
  on(_event: "connection" | "connect", listener: (socket: Socket) => void): this {
    this.connectionListeners.push(listener);
    return this;
  }

  /** @internal */
  get middlewareList(): readonly Middleware[] {
    return this.middlewares;
  }

  /** @internal */
  announce(socket: Socket): void {
    for (const listener of this.connectionListeners.slice()) {
      try {
        listener(socket);
      } catch (err) {
        process.emitWarning(`socket.io connection handler threw: ${String(err)}`);
      }
    }
  }
}

/** A parent of namespaces created on demand; its middleware and listeners apply to every child. */
export class DynamicNamespace extends Hooks {
  /** @internal */ readonly children = new Set<Namespace>();

  constructor(private readonly matcher: RegExp | NamespaceMatcher) {
    super();
  }

  /** @internal Whether this parent serves `name`. */
  async accepts(name: string, auth: Record<string, unknown>): Promise<boolean> {
    if (this.matcher instanceof RegExp) {
      this.matcher.lastIndex = 0;
      return this.matcher.test(name);
    }
    try {
      return (await this.matcher(name, auth)) === true;
    } catch {
      return false;
    }
  }

  /** Send an EVENT to every socket of every child namespace. */
  emit(event: string, ...args: unknown[]): boolean {
    for (const child of this.children) child.emit(event, ...args);
    return true;
  }
}

/** One namespace with its connected sockets. */
export class Namespace extends Hooks implements SocketNamespace {
  /** Connected sockets by sid. */
  readonly sockets = new Map<string, Socket>();
  private readonly recovery: RecoveryStore | undefined;

  constructor(
    readonly name: string,
    host: NamespaceHost,
    /** The dynamic namespace this one was created from, if any. */
    readonly parent?: DynamicNamespace,
  ) {
    super();
    this.recovery =
      host.maxDisconnectionDuration === undefined
        ? undefined
        : new RecoveryStore(host.clock, host.maxDisconnectionDuration);
    parent?.children.add(this);
  }

  /** Send an EVENT to every socket of this namespace (a broadcast; recorded once for recovery). */
  emit(event: string, ...args: unknown[]): boolean {
    if (isReservedEvent(event)) throw new Error(`"${event}" is a reserved event name`);
    const plain = [event, ...args];
    const stamped = plain.slice();
    this.stamp(stamped, undefined);
    for (const socket of this.sockets.values()) socket.sendRaw(socket.pid === undefined ? plain : stamped);
    return true;
  }

  /** Disconnect every socket (each gets a DISCONNECT); with `closeEngine`, close their sessions too. */
  disconnectSockets(closeEngine = false): void {
    for (const socket of [...this.sockets.values()]) socket.disconnect(closeEngine);
  }

  /** @internal Append the recovery offset to an outgoing EVENT payload when recovery is on. */
  stamp(data: unknown[], target: string | undefined): void {
    this.recovery?.record(data, target);
  }

  /** @internal A socket left: keep its session if it may come back. */
  socketLeft(socket: Socket, reason: string): void {
    this.sockets.delete(socket.id);
    if (this.recovery && socket.pid !== undefined && RECOVERABLE_REASONS.has(reason)) {
      this.recovery.persist(socket.id, socket.pid);
    }
  }

  /** @internal Build the socket for a CONNECT (resuming a dropped one when the auth allows) and run the middleware. */
  async admit(carrier: SocketCarrier, auth: Record<string, unknown>): Promise<Admission> {
    const identity = this.identify(carrier, auth);
    const socket = this.createSocket(carrier, auth, identity);
    const chain = [...(this.parent?.middlewareList ?? []), ...this.middlewares];
    for (const middleware of chain) {
      const error = await runMiddleware(middleware, socket);
      if (error) return { error };
    }
    return { socket, missed: identity.missed };
  }

  /**
   * Who a CONNECT makes: with recovery on, a v5 auth `{pid, offset}` naming a session still
   * kept resumes it (its sid back, what it missed); anything else is a new socket (SIO5-RECOVERY-05).
   */
  protected identify(carrier: SocketCarrier, auth: Record<string, unknown>): Identity {
    const v5 = carrier.protocol === 4;
    const restored =
      this.recovery && v5 && typeof auth.pid === "string" && typeof auth.offset === "string"
        ? this.recovery.restore(auth.pid, auth.offset)
        : undefined;
    if (restored) return { id: restored.sid, pid: restored.pid, recovered: true, missed: restored.missed };
    return { id: newSocketId(), pid: this.recovery && v5 ? newSocketId() : undefined, recovered: false, missed: [] };
  }

  /** The socket of one accepted CONNECT. */
  protected createSocket(carrier: SocketCarrier, auth: Record<string, unknown>, identity: Identity): Socket {
    return new Socket(this, carrier, auth, identity);
  }

  /** @internal The CONNECT reply is out: mark the socket connected, replay what it missed, tell the app. */
  finishConnect(socket: Socket, missed: unknown[][]): void {
    this.sockets.set(socket.id, socket);
    socket.markConnected();
    for (const data of missed) socket.sendRaw(data);
    this.announce(socket);
    if (socket.connected) this.parent?.announce(socket);
  }
}

/** One middleware as a promise of its verdict; a second call of `next` and a throw are handled. */
function runMiddleware(middleware: Middleware, socket: Socket): Promise<MiddlewareError | undefined> {
  return new Promise((resolve) => {
    try {
      middleware(socket, (err) => resolve(err ?? undefined));
    } catch (err) {
      resolve(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
