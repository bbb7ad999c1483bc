/**
 * The client side of a generated package: `wrap` makes a validating, typed view of a
 * socket.io-client socket (it receives server-to-client events and sends client-to-server ones).
 *
 * Copied into every generated package.
 */
import { lookup, type ValidationTable } from "./check.js";
import { Peer, type PeerOptions, type SocketLike } from "./peer.js";
import type { ContractShape } from "./server.js";

/** A client socket as `wrap` needs it. */
export type ClientSocketLike = SocketLike;

/** The view of a client socket. */
export type ClientPeer<C extends ContractShape, N extends keyof C> = Peer<
  C[N]["serverToClient"],
  C[N]["clientToServer"]
>;

/** The client functions of a generated package. */
export interface ClientBindings<C extends ContractShape> {
  /** A validating, typed view of `socket` (connected to `namespace`); throws if it is connected to another. */
  wrap<N extends keyof C & string>(namespace: N, socket: ClientSocketLike, options?: PeerOptions): ClientPeer<C, N>;
}

/** Builds the client functions over a generated validation table. */
export function createClientBindings<C extends ContractShape>(table: ValidationTable): ClientBindings<C> {
  return {
    wrap(namespace, socket, options) {
      // socket.io-client keeps its namespace in a field its types call private.
      const actual = (socket as { nsp?: unknown }).nsp;
      if (typeof actual === "string" && actual !== namespace)
        throw new Error(`wrap("${namespace}"): the socket is connected to namespace ${actual}`);
      return new Peer(
        socket,
        namespace,
        lookup(table, namespace, "serverToClient"),
        lookup(table, namespace, "clientToServer"),
        options,
      );
    },
  };
}
