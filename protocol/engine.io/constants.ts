/**
 * Engine.IO constants the server and the suite must agree on: the error table of a refused
 * request (spec chapter ERROR), the official defaults of the timings a server advertises or
 * keeps to itself, and the noop interval of an upgrade. One table, imported by both sides, so a
 * change to the protocol is made once.
 */

/** The standard message of each Engine.IO error code (EIO4-ERROR-02). */
export const ENGINE_ERROR_MESSAGES = {
  0: "Transport unknown",
  1: "Session ID unknown",
  2: "Bad handshake method",
  3: "Bad request",
  4: "Forbidden",
  5: "Unsupported protocol version",
} as const;

/** An Engine.IO error code. */
export type EngineErrorCode = keyof typeof ENGINE_ERROR_MESSAGES;

/** The HTTP status a refusal with `code` is sent with: 403 for Forbidden (4), 400 for every other code. */
export function engineErrorStatus(code: number): number {
  return code === 4 ? 403 : 400;
}

/**
 * The defaults of the official server, which a server that is not configured otherwise
 * advertises (pingInterval, pingTimeout, maxPayload) or keeps (upgradeTimeout, not advertised).
 */
export const ENGINE_DEFAULTS = {
  pingInterval: 25000,
  pingTimeout: 20000,
  upgradeTimeout: 10000,
  maxPayload: 1e6,
} as const;

/**
 * How often the official server checks, during an upgrade, for a GET to release with a noop:
 * the first noop goes out within this many ms of the probe, and again every as many ms while
 * the upgrade lasts (EIO4-UPGRADE-03, its SHOULD detail EIO4-UPGRADE-15).
 */
export const NOOP_INTERVAL_MS = 100;
