/**
 * The reference server's public API: attach() for an existing HTTP server, the Socket.IO
 * server and its parts, and the demo apps.
 */
export { attach, type AttachOptions, type Attached } from "./attach.js";
export { Server, type ServerOptions, type ConnectionSource } from "./socket.io/server.js";
export {
  Namespace,
  DynamicNamespace,
  type Middleware,
  type MiddlewareError,
  type NamespaceMatcher,
} from "./socket.io/namespace.js";
export { Socket, type Handshake, type EventListener } from "./socket.io/socket.js";
export { RESERVED_EVENTS } from "./socket.io/packet-rules.js";
export { EngineServer } from "./engine/server.js";
export type { EngineServerOptions, CorsOptions } from "./engine/options.js";
export type { EngineConnection, CloseReason } from "./engine/connection.js";
export { installEngineEcho, installSocketEcho, MAX_BURST, PRIVATE_TOKEN } from "./apps/echo.js";
export { installChat, chatPageHandler, browserClientPath } from "./apps/chat/index.js";
