/**
 * A typed, validating view of one socket on one namespace, the same on both ends: the server
 * wraps a server-side socket (it receives client-to-server events), the client wraps its
 * socket.io-client socket (it receives server-to-client events).
 *
 * - `on` checks every incoming event before the listener sees it. An invalid one is reported
 *   (`onInvalid`), never delivered, and, when the peer asked for an acknowledgement, answered
 *   with the error envelope so that the peer's request fails at once.
 * - The acknowledgement callback a listener gets checks what it sends back; an invalid answer
 *   goes out as a RESPONSE_VALIDATION_ERROR envelope instead.
 * - A listener that throws (or whose promise rejects) is reported (`onError`) and, if it had not
 *   answered yet, the peer gets an UNKNOWN_ERROR envelope: nothing a peer sends can take the
 *   connection or the process down.
 * - `emit` and `request` check what they send; `request` checks the acknowledgement it gets and
 *   rejects on a timeout.
 *
 * Works with any socket that has `on`, `off` and `emit` (the official server and client, the
 * sockspec reference server). Copied into every generated package.
 */
import {
  AckTimeoutError,
  envelopeOf,
  fromEnvelope,
  SocketContractError,
  type ContractErrorCode,
  type ContractErrorEnvelope,
  type FailureDetail,
} from "./errors.js";
import { ackValue, checkAck, checkArgs, checkEvent, type EventEntry, type EventLookup } from "./check.js";

// The host's timers and console, declared here so the file compiles under any `lib` setting.
declare const setTimeout: (callback: () => void, ms: number) => unknown;
declare const clearTimeout: (handle: unknown) => void;
declare const console: { warn(...data: unknown[]): void; error(...data: unknown[]): void };

/** One event in the generated contract: its argument tuple and, when it has one, its acknowledgement's. */
export interface EventShape {
  args: unknown[];
  ack?: unknown[];
}

/** The events of one direction. */
export type EventsShape = { [event: string]: EventShape };

/** The listener of an event: its arguments, then the acknowledgement callback when the event has one. */
export type Listener<S extends EventShape> = S extends { ack: infer A extends unknown[] }
  ? (...args: [...S["args"], ack: (...ackArgs: A) => void]) => unknown
  : (...args: S["args"]) => unknown;

/** Events of `E` that have an acknowledgement (sent with `request`). */
export type AckEventNames<E extends EventsShape> = {
  [K in keyof E]: E[K] extends { ack: unknown[] } ? K : never;
}[keyof E] &
  string;

/** Events of `E` without an acknowledgement (sent with `emit`). */
export type PlainEventNames<E extends EventsShape> = {
  [K in keyof E]: E[K] extends { ack: unknown[] } ? never : K;
}[keyof E] &
  string;

/** What `request` resolves with: nothing for an empty acknowledgement, the value of a one-argument one, else the tuple. */
export type AckResult<A> = A extends [] ? undefined : A extends [infer Only] ? Only : A;

/** The acknowledgement tuple of an event that has one. */
export type AckOf<S extends EventShape> = S extends { ack: infer A extends unknown[] } ? A : never;

/** Anything that can be aborted: an AbortSignal. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** The last argument of `request`. */
export interface RequestOptions {
  /** Milliseconds to wait for the acknowledgement before rejecting with AckTimeoutError. */
  timeout: number;
  /** Rejects with the signal's reason when aborted (the acknowledgement, if it still comes, is ignored). */
  signal?: AbortSignalLike | undefined;
}

/** Where failures go. */
export interface PeerOptions {
  /**
   * Told of everything invalid the peer sent (events and acknowledgements) and of every
   * acknowledgement or event of ours that failed its schema and was therefore not sent.
   * Default: `console.warn` of the error's message.
   */
  onInvalid?: ((error: SocketContractError) => void) | undefined;
  /** Told when a listener throws or its promise rejects. Default: `console.error`. */
  onError?: ((error: unknown, context: { namespace: string; event: string }) => void) | undefined;
  /** Check what this side sends (default true). Off saves the time of one validation per message. */
  checkOutgoing?: boolean | undefined;
}

// biome-ignore lint/suspicious/noExplicitAny: the three socket classes type their events three ways; only `any` admits them all
type AnyOf3 = any;

/** The socket methods the view uses; the official server and client sockets and the reference server's fit. */
export interface SocketLike {
  on(event: AnyOf3, listener: AnyOf3): unknown;
  off(event: AnyOf3, listener: AnyOf3): unknown;
  emit(event: AnyOf3, ...args: AnyOf3[]): unknown;
}

type AnyListener = (...args: unknown[]) => unknown;
type AckFunction = (...args: unknown[]) => void;

/** The acknowledgement callback handed to a listener, and a way to answer with an envelope instead. */
interface Reply {
  send: AckFunction;
  fail(envelope: ContractErrorEnvelope): void;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/** The validating view; make one with the generated `wrap`. */
export class Peer<In extends EventsShape, Out extends EventsShape> {
  /** The wrapped socket, for everything the view does not cover (rooms, disconnect...). */
  readonly socket: SocketLike;
  /** The namespace whose events the view checks. */
  readonly namespace: string;
  private readonly incoming: EventLookup;
  private readonly outgoing: EventLookup;
  private readonly checkOutgoing: boolean;
  private readonly onInvalid: (error: SocketContractError) => void;
  private readonly onError: (error: unknown, context: { namespace: string; event: string }) => void;
  // The socket sees our wrappers; `off` finds them by event and original listener.
  private readonly wrappers = new Map<string, Map<AnyListener, AnyListener[]>>();

  constructor(
    socket: SocketLike,
    namespace: string,
    incoming: EventLookup,
    outgoing: EventLookup,
    options: PeerOptions = {},
  ) {
    this.socket = socket;
    this.namespace = namespace;
    this.incoming = incoming;
    this.outgoing = outgoing;
    this.checkOutgoing = options.checkOutgoing ?? true;
    this.onInvalid = options.onInvalid ?? ((error) => console.warn(error.message));
    this.onError =
      options.onError ??
      ((error, context) => console.error(`"${context.event}" on ${context.namespace}: the handler failed`, error));
  }

  /** Listen for a valid `event`; an invalid one never reaches `listener`. */
  on<E extends keyof In & string>(event: E, listener: Listener<In[E]>): this {
    return this.listen(event, listener as AnyListener, false);
  }

  /** Like `on`, for the first valid `event` only. */
  once<E extends keyof In & string>(event: E, listener: Listener<In[E]>): this {
    return this.listen(event, listener as AnyListener, true);
  }

  /** Stop listening (one registration of `listener` per call, like the socket's own `off`). */
  off<E extends keyof In & string>(event: E, listener: Listener<In[E]>): this {
    const list = this.wrappers.get(event)?.get(listener as AnyListener);
    const wrapper = list ? list[list.length - 1] : undefined;
    if (wrapper) this.unlisten(event, listener as AnyListener, wrapper);
    return this;
  }

  private unlisten(event: string, listener: AnyListener, wrapper: AnyListener): void {
    const byListener = this.wrappers.get(event);
    const list = byListener?.get(listener);
    const at = list ? list.indexOf(wrapper) : -1;
    if (at < 0) return;
    list!.splice(at, 1);
    if (list!.length === 0) byListener!.delete(listener);
    this.socket.off(event, wrapper);
  }

  /**
   * Send an event that has no acknowledgement. When its arguments fail the catalogue it is not
   * sent: `onInvalid` is told and the result is false.
   */
  emit<E extends PlainEventNames<Out>>(event: E, ...args: Out[E]["args"]): boolean {
    const entry = this.outgoingEntry(event);
    if (entry.ack)
      throw new TypeError(`"${event}" on ${this.namespace} has an acknowledgement: send it with request()`);
    if (this.checkOutgoing) {
      const failure = checkArgs(entry, args);
      if (failure) {
        this.report(new SocketContractError("REQUEST_VALIDATION_ERROR", "sent", this.namespace, event, failure));
        return false;
      }
    }
    this.socket.emit(event, ...args);
    return true;
  }

  /**
   * Send an event and wait for its acknowledgement: `request(event, ...args, { timeout })`.
   * Resolves with the acknowledgement (its only argument, or the tuple when it has several);
   * rejects with SocketContractError (our arguments failed, the peer refused them, or its answer
   * failed the catalogue), AckTimeoutError, or the signal's reason.
   */
  request<E extends AckEventNames<Out>>(
    event: E,
    ...argsAndOptions: [...Out[E]["args"], options: RequestOptions]
  ): Promise<AckResult<AckOf<Out[E]>>> {
    return this.send(event, argsAndOptions as unknown[]) as Promise<AckResult<AckOf<Out[E]>>>;
  }

  private send(event: string, argsAndOptions: unknown[]): Promise<unknown> {
    const args = argsAndOptions.slice(0, -1);
    const options = argsAndOptions[argsAndOptions.length - 1] as RequestOptions | undefined;
    if (
      typeof options !== "object" ||
      options === null ||
      typeof options.timeout !== "number" ||
      !(options.timeout >= 0)
    ) {
      return Promise.reject(
        new TypeError(`request("${event}"): the last argument must be the options, { timeout: <ms> }`),
      );
    }
    let entry: EventEntry;
    try {
      entry = this.outgoingEntry(event);
    } catch (err) {
      return Promise.reject(err);
    }
    if (!entry.ack)
      return Promise.reject(
        new TypeError(`"${event}" on ${this.namespace} has no acknowledgement: send it with emit()`),
      );
    if (this.checkOutgoing) {
      const failure = checkArgs(entry, args);
      if (failure)
        return Promise.reject(
          new SocketContractError("REQUEST_VALIDATION_ERROR", "sent", this.namespace, event, failure),
        );
    }
    const { signal, timeout } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error: unknown, value?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (error === undefined) resolve(value);
        else reject(error);
      };
      const onAbort = () => settle(signal?.reason ?? new Error("aborted"));
      const timer = setTimeout(() => settle(new AckTimeoutError(this.namespace, event, timeout)), timeout);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.socket.emit(event, ...args, (...ackArgs: unknown[]) => {
        // An acknowledgement after a timeout or an abort: its request is over.
        if (settled) return;
        const failure = checkAck(entry, ackArgs);
        if (!failure) return settle(undefined, ackValue(entry, ackArgs));
        const envelope = envelopeOf(ackArgs);
        if (envelope) return settle(fromEnvelope(envelope));
        const error = new SocketContractError("RESPONSE_VALIDATION_ERROR", "received", this.namespace, event, failure);
        this.report(error);
        settle(error);
      });
    });
  }

  private outgoingEntry(event: string): EventEntry {
    const entry = this.outgoing.get(event);
    if (!entry) throw new TypeError(`"${event}" is not an event this side may send on ${this.namespace}`);
    return entry;
  }

  private listen(event: string, listener: AnyListener, once: boolean): this {
    const entry = this.incoming.get(event);
    if (!entry) throw new TypeError(`"${event}" is not an event this side receives on ${this.namespace}`);
    const wrapper = (...raw: unknown[]): void => {
      const last = raw[raw.length - 1];
      const ack = typeof last === "function" ? (raw.pop() as AckFunction) : undefined;
      const failure = checkEvent(entry, raw, ack !== undefined);
      if (failure) return this.refuse("REQUEST_VALIDATION_ERROR", event, failure, ack);
      if (once) this.unlisten(event, listener, wrapper);
      const reply = ack && entry.ack ? this.replier(event, entry, ack) : undefined;
      this.invoke(event, listener, reply ? [...raw, reply.send] : raw, reply);
    };
    let byListener = this.wrappers.get(event);
    if (!byListener) this.wrappers.set(event, (byListener = new Map()));
    const list = byListener.get(listener);
    if (list) list.push(wrapper);
    else byListener.set(listener, [wrapper]);
    this.socket.on(event, wrapper);
    return this;
  }

  /** Report a received failure and answer the peer's acknowledgement, if any, with its envelope. */
  private refuse(code: ContractErrorCode, event: string, failure: FailureDetail, ack: AckFunction | undefined): void {
    const error = new SocketContractError(code, "received", this.namespace, event, failure);
    this.report(error);
    ack?.(error.toJSON());
  }

  /** The acknowledgement callback for a listener: answers once, and only with valid arguments. */
  private replier(event: string, entry: EventEntry, ack: AckFunction): Reply {
    let answered = false;
    return {
      send: (...args: unknown[]) => {
        if (answered) return;
        answered = true;
        const failure = this.checkOutgoing ? checkAck(entry, args) : undefined;
        if (!failure) return ack(...args);
        const error = new SocketContractError("RESPONSE_VALIDATION_ERROR", "sent", this.namespace, event, failure);
        this.report(error);
        ack(error.toJSON());
      },
      fail: (envelope) => {
        if (answered) return;
        answered = true;
        ack(envelope);
      },
    };
  }

  private invoke(event: string, listener: AnyListener, args: unknown[], reply: Reply | undefined): void {
    try {
      const result = listener(...args);
      if (isThenable(result)) result.then(undefined, (error: unknown) => this.failed(event, error, reply));
    } catch (error) {
      this.failed(event, error, reply);
    }
  }

  private failed(event: string, error: unknown, reply: Reply | undefined): void {
    try {
      this.onError(error, { namespace: this.namespace, event });
    } catch (inner) {
      console.error(inner);
    }
    reply?.fail({
      code: "UNKNOWN_ERROR",
      namespace: this.namespace,
      event,
      pointer: "",
      keyword: "handler",
      message: "the handler failed",
    });
  }

  private report(error: SocketContractError): void {
    try {
      this.onInvalid(error);
    } catch (inner) {
      // A failing report must not turn a refused event into a crash.
      console.error(inner);
    }
  }
}
