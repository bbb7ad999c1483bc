/**
 * Fault switches for the mutant servers of the conformance suite. Each switch breaks exactly
 * one rule of the Engine.IO spec at the one spot of the reference server that enforces it, so
 * that every conformance case can be shown to fail against at least one mutant. With no fault
 * switched on, the server follows the spec.
 *
 * Each entry names the rule it breaks (`rule`) and what the mutant does instead (`breaks`).
 */

/** One fault switch: the rule it breaks and how. */
export interface FaultInfo {
  readonly rule: string;
  readonly breaks: string;
}

export const engineFaults = {
  /** EIO4-UPGRADE-03: while a probe is answered, no noop `6` goes to the pending GET (nor is repeated). */
  "no-noop-during-upgrade": { rule: "EIO4-UPGRADE-03", breaks: "no noop is sent to the polling transport during the upgrade" },
  /** EIO4-PAYLOAD-01: records of a GET response are joined with `\n` instead of the record separator 0x1e. */
  "wrong-separator": { rule: "EIO4-PAYLOAD-01", breaks: "polling payload records are separated by \\n instead of \\x1e" },
  /** EIO4-HEARTBEAT-01: the server never writes its ping; the session still times out for want of a pong. */
  "ping-never-sent": { rule: "EIO4-HEARTBEAT-01", breaks: "the server never sends a ping packet" },
  /** EIO4-HEARTBEAT-03: a pong does not clear the ping timeout, so an answering client is dropped. */
  "pong-ignored": { rule: "EIO4-HEARTBEAT-03", breaks: "a pong does not clear the ping timeout" },
  /** EIO4-CLOSE-07: a session that timed out stays in the session table and keeps answering requests. */
  "session-not-freed-after-timeout": { rule: "EIO4-CLOSE-07", breaks: "a session ended by ping timeout keeps answering instead of 400 code 1" },
  /** EIO4-POLLING-08: an overlapping GET or POST is answered with HTTP 500 instead of 400. */
  "status-500-instead-of-400": { rule: "EIO4-POLLING-08", breaks: "an overlapping polling request gets 500 instead of 400" },
  /** EIO4-LIMIT-02: a POST body over maxHttpBufferSize is accepted instead of refused with 413. */
  "no-413": { rule: "EIO4-LIMIT-02", breaks: "a POST over maxHttpBufferSize is accepted" },
  /** EIO4-WS-07: a second WebSocket on a session that is upgrading or upgraded is left open. */
  "second-websocket-accepted": { rule: "EIO4-WS-07", breaks: "a second WebSocket for the same session is not closed" },
  /** EIO4-UPGRADE-06: packets buffered at the upgrade are flushed to the WebSocket in reverse order. */
  "upgrade-flush-reordered": { rule: "EIO4-UPGRADE-06", breaks: "the send buffer is flushed in reverse order after the upgrade" },
  /** EIO4-HANDSHAKE-02: the open packet carries an extra key next to the five the spec lists. */
  "handshake-extra-key": { rule: "EIO4-HANDSHAKE-02", breaks: "the handshake object has a sixth key" },
  /** EIO4-HANDSHAKE-05: a session opened over WebSocket advertises ["websocket"] instead of []. */
  "upgrades-wrong-over-websocket": { rule: "EIO4-HANDSHAKE-05", breaks: "a WebSocket handshake advertises upgrades [\"websocket\"]" },
  /** EIO4-HEARTBEAT-09: the first ping goes out at pingInterval/2 instead of pingInterval after the open. */
  "first-ping-early": { rule: "EIO4-HEARTBEAT-09", breaks: "the first ping is sent at pingInterval/2" },
  /** EIO4-POLLING-08: an overlapping request is refused but the session is not closed. */
  "no-close-on-overlap": { rule: "EIO4-POLLING-08", breaks: "an overlapping polling request does not close the session" },
  /** EIO4-POLLING-02: a successful POST is answered with `OK` instead of `ok`. */
  "post-ok-wrong-body": { rule: "EIO4-POLLING-02", breaks: "a successful POST answers OK instead of ok" },
  /** EIO4-POLLING-04: a GET response is served as text/html instead of text/plain; charset=UTF-8. */
  "get-wrong-content-type": { rule: "EIO4-POLLING-04", breaks: "a GET response has Content-Type text/html" },
  /** EIO4-CLOSE-02: a close packet `1` received over WebSocket is ignored (the session lives on). */
  "client-close-ignored-on-websocket": { rule: "EIO4-CLOSE-02", breaks: "a close packet over WebSocket does not end the session" },
  /** EIO4-UPGRADE-02: the probe `2probe` is not answered with `3probe`. */
  "probe-answer-missing": { rule: "EIO4-UPGRADE-02", breaks: "the probe ping is not answered" },
  /** EIO4-PAYLOAD-03: a `b` record or frame with invalid base64 is decoded leniently instead of refused. */
  "base64-lenient": { rule: "EIO4-PAYLOAD-03", breaks: "invalid base64 in a binary packet is accepted" },
  /** EIO4-UPGRADE-07: polling requests on an upgraded session are served instead of refused with 400 code 3. */
  "polling-after-upgrade-accepted": { rule: "EIO4-UPGRADE-07", breaks: "polling requests after the upgrade are served" },
  /** EIO4-CORS-01: CORS headers are sent even when CORS is off. */
  "cors-always-on": { rule: "EIO4-CORS-01", breaks: "Access-Control-Allow-Origin: * is sent with CORS off" },
  /** EIO4-CLOSE-04: a server close with a pending GET answers it with a noop instead of the close packet `1`. */
  "server-close-without-close-packet": { rule: "EIO4-CLOSE-04", breaks: "a pending GET gets 6 instead of 1 when the server closes the session" },
  /** EIO4-ERROR-05: an unknown session ID is answered with code 3 instead of code 1. */
  "unknown-sid-wrong-code": { rule: "EIO4-ERROR-05", breaks: "an unknown sid gets error code 3 instead of 1" },
  /** EIO4-HEARTBEAT-06: a ping from the client is answered with a pong instead of closing the v4 session. */
  "client-ping-answered": { rule: "EIO4-HEARTBEAT-06", breaks: "a client ping is answered instead of closing the v4 session" },
} as const satisfies Record<string, FaultInfo>;

/** The name of one fault switch. */
export type EngineFault = keyof typeof engineFaults;

/** The set of faults a server runs with; empty for a conforming server. */
export type FaultSet = ReadonlySet<EngineFault>;

/** The empty fault set (a conforming server). */
export const noFaults: FaultSet = new Set<EngineFault>();
