/**
 * The server side of a generated package: `wrap` (a validating view of a server socket, for any
 * server) and `guard` (a `socket.use` middleware for the official socket.io server, which checks
 * every incoming event before any listener, including events no listener was registered for).
 *
 * Copied into every generated package.
 */
import { SocketContractError, type ContractErrorEnvelope } from "./errors.js";
import { checkAck, checkEvent, lookup, unknownEvent, type ValidationTable } from "./check.js";
import { Peer, type EventsShape, type PeerOptions, type SocketLike } from "./peer.js";

declare const console: { warn(...data: unknown[]): void; error(...data: unknown[]): void };

/** The namespaces of a generated contract, each with its events by direction. */
export type ContractShape = { [namespace: string]: { clientToServer: EventsShape; serverToClient: EventsShape } };

/** A server socket as `wrap` needs it: the view's methods, and the namespace it belongs to. */
export interface ServerSocketLike extends SocketLike {
  nsp?: { name: string } | undefined;
}

/** The view of a server socket: receives client-to-server events, sends server-to-client ones. */
export type ServerPeer<C extends ContractShape, N extends keyof C> = Peer<
  C[N]["clientToServer"],
  C[N]["serverToClient"]
>;

/** A socket.io middleware (`socket.use`): the event name, its arguments and the ack callback if any. */
export type PacketMiddleware = (packet: unknown[], next: (err?: Error) => void) => void;

/** Options of `guard`. */
export interface GuardOptions {
  /** Told of every refused event and every acknowledgement of ours that failed. Default: console.warn. */
  onInvalid?: ((error: SocketContractError) => void) | undefined;
  /** Check the acknowledgements listeners send back (default true). */
  checkOutgoing?: boolean | undefined;
}

/** The server functions of a generated package. */
export interface ServerBindings<C extends ContractShape> {
  /** A validating, typed view of `socket` (a socket of `namespace`); throws if it belongs to another namespace. */
  wrap<N extends keyof C & string>(namespace: N, socket: ServerSocketLike, options?: PeerOptions): ServerPeer<C, N>;
  /**
   * A `socket.use` middleware for the official server that lets only valid events through. A
   * refused event is reported and, when the client asked for an acknowledgement, answered with
   * the error envelope; `next` is not called, so no listener runs and no "error" event (which
   * would throw without a listener) is emitted.
   */
  guard<N extends keyof C & string>(namespace: N, options?: GuardOptions): PacketMiddleware;
}

/** Builds the server functions over a generated validation table. */
export function createServerBindings<C extends ContractShape>(table: ValidationTable): ServerBindings<C> {
  return {
    wrap(namespace, socket, options) {
      const actual = socket.nsp?.name;
      if (actual !== undefined && actual !== namespace)
        throw new Error(`wrap("${namespace}"): the socket belongs to namespace ${actual}`);
      return new Peer(
        socket,
        namespace,
        lookup(table, namespace, "clientToServer"),
        lookup(table, namespace, "serverToClient"),
        options,
      );
    },
    guard(namespace, options = {}) {
      const incoming = lookup(table, namespace, "clientToServer");
      const checkOutgoing = options.checkOutgoing ?? true;
      const report = (error: SocketContractError) => {
        try {
          (options.onInvalid ?? ((e) => console.warn(e.message)))(error);
        } catch (inner) {
          console.error(inner);
        }
      };
      return (packet, next) => {
        const event = String(packet[0]);
        const args = packet.slice(1);
        const last = args[args.length - 1];
        const ack = typeof last === "function" ? (args.pop() as (...a: unknown[]) => void) : undefined;
        const entry = incoming.get(event);
        const failure = entry ? checkEvent(entry, args, ack !== undefined) : unknownEvent();
        if (failure) {
          const error = new SocketContractError("REQUEST_VALIDATION_ERROR", "received", namespace, event, failure);
          report(error);
          ack?.(error.toJSON());
          return;
        }
        if (ack && entry?.ack && checkOutgoing) {
          // socket.io hands the listeners this very array: swap in an ack that checks the answer.
          let answered = false;
          packet[packet.length - 1] = (...ackArgs: unknown[]) => {
            if (answered) return;
            answered = true;
            const bad = checkAck(entry, ackArgs);
            if (!bad) return ack(...ackArgs);
            const error = new SocketContractError("RESPONSE_VALIDATION_ERROR", "sent", namespace, event, bad);
            report(error);
            const envelope: ContractErrorEnvelope = error.toJSON();
            ack(envelope);
          };
        }
        next();
      };
    },
  };
}
