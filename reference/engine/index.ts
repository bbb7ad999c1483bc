/**
 * The Engine.IO layer of the reference server: the server and its options, the session core and
 * its clock, the ports its transports fill, and the error table.
 */
export { EngineServer } from "./server.js";
export type { EngineServerOptions, CorsOptions, AllowRequestResult, ResolvedOptions } from "./options.js";
export type { EngineConnection, CloseReason } from "./connection.js";
export { ManualClock, realClock, type Clock, type TimerHandle } from "./clock.js";
export { Session } from "./session.js";
export {
  NOOP_REPEAT_MS,
  type SessionConfig,
  type SessionState,
  type PostOutcome,
  type UpgradeStatus,
} from "./session-config.js";
export type { PollResponder, SocketPort } from "./ports.js";
export { wsCloseCode } from "./ports.js";
export { errorMessages, type ErrorCode, type Refusal } from "./errors.js";
