/**
 * The codecs, one namespace per protocol version, plus the shared error and validators.
 * @example
 * ```ts
 * import { engineIOv4, socketIOv5 } from "sockspec/protocol";
 * const packets = engineIOv4.decodePayload("4hello\x1e2");
 * const [text, ...attachments] = socketIOv5.encode({ type: "EVENT", nsp: "/", data: ["chat", "hi"] });
 * ```
 */
export * as engineIOv4 from "./engine.io/v4.js";
export * as engineIOv3 from "./engine.io/v3.js";
export * as socketIOv5 from "./socket.io/v5.js";
export * as socketIOv4 from "./socket.io/v4.js";
export { encodeBase64, decodeBase64 } from "./base64.js";
export { DecodeError } from "./errors.js";
export { validator, describeErrors } from "./validators.js";
export {
  ENGINE_ERROR_MESSAGES,
  ENGINE_DEFAULTS,
  NOOP_INTERVAL_MS,
  engineErrorStatus,
  type EngineErrorCode,
} from "./engine.io/constants.js";
