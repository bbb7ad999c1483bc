/**
 * The seams of the Socket.IO layer: the parts of the server that a caller of attach() may
 * replace, each named by its job in the protocol. The reference server uses its own part at
 * every seam left empty. Not exported from the public entry points: the conformance suite
 * builds its mutant servers through them, and an application has no reason to.
 */
import type { EngineConnection } from "../engine/connection.js";
import type { Client, ClientHost } from "./client.js";
import type { SessionCodec } from "./codec.js";
import type { DynamicNamespace, Namespace, NamespaceHost } from "./namespace.js";

export interface SocketSeams {
  /** Writes and reads the packets of one Engine.IO session (else: the codec of the session's protocol). */
  codec?(conn: EngineConnection, maxAttachments: number): SessionCodec;
  /** Serves one Engine.IO session: routes its packets, decides its CONNECTs (else: a Client). */
  client?(conn: EngineConnection, host: ClientHost, codec: SessionCodec): Client;
  /** Keeps one namespace: its middleware, its sockets and their events, its recovery log (else: a Namespace). */
  namespace?(name: string, host: NamespaceHost, parent: DynamicNamespace | undefined): Namespace;
}
