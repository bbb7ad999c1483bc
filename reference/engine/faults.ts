/**
 * Fault switches for the mutant servers of the conformance suite. Each switch breaks exactly
 * one rule of the Engine.IO spec at the one spot of the reference server that enforces it, so
 * that every conformance case can be shown to fail against at least one mutant. With no fault
 * switched on, the server follows the spec.
 */
export const engineFaults = {
  /** Upgrade: while a probe is answered, no noop `6` is sent to the pending GET (nor repeated). */
  "no-noop-during-upgrade": "no noop is sent to the polling transport while the upgrade is in progress",
  /** Payload framing (v4): records of a GET response are joined with `\n` instead of the record separator 0x1e. */
  "wrong-separator": "polling payload records are separated by \\n instead of \\x1e",
  /** Heartbeat (v4): the server never writes its ping; the session still times out for want of a pong. */
  "ping-never-sent": "the server never sends a ping packet",
  /** Heartbeat (v4): a pong does not clear the ping timeout, so an answering client is still dropped. */
  "pong-ignored": "a pong does not clear the ping timeout",
  /** Drop detection: a session that timed out stays in the session table and keeps answering requests. */
  "session-not-freed-after-timeout": "a session closed by ping timeout is not removed; later requests are not answered with 400 code 1",
  /** Polling: an overlapping GET or POST is answered with HTTP 500 instead of 400. */
  "status-500-instead-of-400": "an overlapping polling request gets 500 instead of 400",
  /** Limits: a POST body over maxHttpBufferSize is accepted instead of refused with 413. */
  "no-413": "a POST over maxHttpBufferSize is accepted",
  /** WebSocket: a second WebSocket on a session that is upgrading or upgraded is left open. */
  "second-websocket-accepted": "a second WebSocket for the same session is not closed",
  /** Upgrade: packets buffered during the upgrade are flushed to the WebSocket in reverse order. */
  "upgrade-flush-reordered": "the send buffer is flushed in reverse order after the upgrade",
  /** Handshake: the open packet carries an extra key next to the five the spec lists. */
  "handshake-extra-key": "the handshake object has an extra key",
  /** Handshake: a session opened over WebSocket advertises ["websocket"] instead of []. */
  "upgrades-wrong-over-websocket": "a WebSocket handshake advertises upgrades [\"websocket\"]",
  /** Heartbeat (v4): the first ping goes out at pingInterval/2 instead of pingInterval after open. */
  "first-ping-early": "the first ping is sent at pingInterval/2",
  /** Polling: an overlapping request is refused but the session is not closed. */
  "no-close-on-overlap": "an overlapping polling request does not close the session",
  /** Polling: a successful POST is answered with `OK` instead of `ok`. */
  "post-ok-wrong-body": "a successful POST answers OK instead of ok",
  /** Polling: a GET response is served as text/html instead of text/plain; charset=UTF-8. */
  "get-wrong-content-type": "a GET response has Content-Type text/html",
  /** Close: a close packet `1` received over WebSocket is ignored (the session lives on). */
  "client-close-ignored-on-websocket": "a close packet over WebSocket does not end the session",
  /** Upgrade: the probe `2probe` is not answered with `3probe`. */
  "probe-answer-missing": "the probe ping is not answered",
  /** Packet encoding (v4): a `b` record or frame with invalid base64 is decoded leniently instead of refused. */
  "base64-lenient": "invalid base64 in a binary packet is accepted",
  /** Upgrade: polling requests on an upgraded session are served instead of refused with 400 code 3. */
  "polling-after-upgrade-accepted": "polling requests after the upgrade are served",
  /** CORS: CORS headers are sent even when CORS is off. */
  "cors-always-on": "Access-Control-Allow-Origin: * is sent with CORS disabled",
  /** Close: a server close with a pending GET answers it with a noop instead of the close packet `1`. */
  "server-close-without-close-packet": "a pending GET gets 6 instead of 1 when the server closes the session",
  /** Errors: an unknown session ID is answered with code 3 instead of code 1. */
  "unknown-sid-wrong-code": "an unknown sid gets error code 3 instead of 1",
  /** Heartbeat (v4): a ping from the client is answered with a pong instead of closing the session. */
  "client-ping-answered": "a client ping is answered instead of closing the v4 session",
} as const;

/** The name of one fault switch. */
export type EngineFault = keyof typeof engineFaults;

/** The set of faults a server runs with; empty for a conforming server. */
export type FaultSet = ReadonlySet<EngineFault>;

/** The empty fault set (a conforming server). */
export const noFaults: FaultSet = new Set<EngineFault>();
