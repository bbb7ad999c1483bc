/**
 * The Engine.IO faults: each breaks one rule of the Engine.IO spec (or of the operations
 * chapter) at the one spot of the reference server that enforces it, so that every conformance
 * case can be shown to fail against at least one mutant. Each entry names the rule it breaks
 * (`rule`) and what the mutant does instead (`breaks`). The order is the kill matrix's, and a
 * name is a stable mutant ID (`eio:<name>`).
 */
import type { FaultInfo } from "../fault-info.js";
import type { V3EngineFault } from "./v3-catalogue.js";

export const ENGINE_FAULT_TABLE = {
  /** EIO4-UPGRADE-03: while a probe is answered, no noop `6` goes to the pending GET (nor is repeated). */
  "no-noop-during-upgrade": {
    rule: "EIO4-UPGRADE-03",
    breaks: "no noop is sent to the polling transport during the upgrade",
  },
  /** EIO4-PAYLOAD-01: records of a GET response are joined with `\n` instead of the record separator 0x1e. */
  "wrong-separator": {
    rule: "EIO4-PAYLOAD-01",
    breaks: "polling payload records are separated by \\n instead of \\x1e",
  },
  /** EIO4-HEARTBEAT-01: the server never writes its ping; the session still times out for want of a pong. */
  "ping-never-sent": { rule: "EIO4-HEARTBEAT-01", breaks: "the server never sends a ping packet" },
  /** EIO4-HEARTBEAT-04: a pong does not clear the ping timeout, so an answering client is dropped. */
  "pong-ignored": { rule: "EIO4-HEARTBEAT-04", breaks: "a pong does not clear the ping timeout" },
  /** EIO4-CLOSE-07: a polling session that timed out stays in the session table and keeps answering GETs (with a noop). */
  "session-not-freed-after-timeout": {
    rule: "EIO4-CLOSE-07",
    breaks: "a polling session ended by ping timeout keeps answering GETs instead of 400 code 1",
  },
  /** EIO4-POLLING-08: an overlapping GET or POST is answered with HTTP 500 instead of 400. */
  "status-500-instead-of-400": {
    rule: "EIO4-POLLING-08",
    breaks: "an overlapping polling request gets 500 instead of 400",
  },
  /** EIO4-LIMIT-02: a POST body over maxHttpBufferSize is accepted instead of refused with 413. */
  "no-413": { rule: "EIO4-LIMIT-02", breaks: "a POST over maxHttpBufferSize is accepted" },
  /** EIO4-WS-07: a second WebSocket on a session that is upgrading or upgraded is left open. */
  "second-websocket-accepted": { rule: "EIO4-WS-07", breaks: "a second WebSocket for the same session is not closed" },
  /** EIO4-UPGRADE-06: packets buffered at the upgrade are flushed to the WebSocket in reverse order. */
  "upgrade-flush-reordered": {
    rule: "EIO4-UPGRADE-06",
    breaks: "the send buffer is flushed in reverse order after the upgrade",
  },
  /** EIO4-HANDSHAKE-02: the open packet carries an extra key next to the five the spec lists. */
  "handshake-extra-key": { rule: "EIO4-HANDSHAKE-02", breaks: "the handshake object has a sixth key" },
  /** EIO4-HANDSHAKE-05: a session opened over WebSocket advertises ["websocket"] instead of []. */
  "upgrades-wrong-over-websocket": {
    rule: "EIO4-HANDSHAKE-05",
    breaks: 'a WebSocket handshake advertises upgrades ["websocket"]',
  },
  /** EIO4-HEARTBEAT-09: the first ping goes out at pingInterval/2 instead of pingInterval after the open. */
  "first-ping-early": { rule: "EIO4-HEARTBEAT-09", breaks: "the first ping is sent at pingInterval/2" },
  /** EIO4-POLLING-08: an overlapping request is refused but the session is not closed. */
  "no-close-on-overlap": {
    rule: "EIO4-POLLING-08",
    breaks: "an overlapping polling request does not close the session",
  },
  /** EIO4-POLLING-02: a successful POST is answered with `OK` instead of `ok`. */
  "post-ok-wrong-body": { rule: "EIO4-POLLING-02", breaks: "a successful POST answers OK instead of ok" },
  /** EIO4-POLLING-18: a GET response is served as text/html instead of text/plain; charset=UTF-8. */
  "get-wrong-content-type": { rule: "EIO4-POLLING-18", breaks: "a GET response has Content-Type text/html" },
  /** EIO4-CLOSE-02: a close packet `1` received over WebSocket is ignored (the session lives on). */
  "client-close-ignored-on-websocket": {
    rule: "EIO4-CLOSE-02",
    breaks: "a close packet over WebSocket does not end the session",
  },
  /** EIO4-UPGRADE-02: the probe `2probe` is not answered with `3probe`. */
  "probe-answer-missing": { rule: "EIO4-UPGRADE-02", breaks: "the probe ping is not answered" },
  /** EIO4-PAYLOAD-13: a `b` record or frame with invalid base64 is decoded leniently instead of refused. */
  "base64-lenient": { rule: "EIO4-PAYLOAD-13", breaks: "invalid base64 in a binary packet is accepted" },
  /** EIO4-UPGRADE-07: polling requests on an upgraded session are served instead of refused with 400 code 3. */
  "polling-after-upgrade-accepted": {
    rule: "EIO4-UPGRADE-07",
    breaks: "polling requests after the upgrade are served",
  },
  /** SEC-02: a handshake gets the sid of the ended session that the last request on its connection named (a sid recycled). */
  "sid-reissued": { rule: "SEC-02", breaks: "an ended session's sid is handed out again" },
  /** EIO4-ERROR-06 (and EIO4-UPGRADE-12): polling requests naming a session opened over WebSocket are served instead of refused with 400 code 3. */
  "websocket-session-polled": { rule: "EIO4-ERROR-06", breaks: "polling requests on a WebSocket session are served" },
  /** EIO4-CORS-01: CORS headers are sent even when CORS is off. */
  "cors-always-on": { rule: "EIO4-CORS-01", breaks: "Access-Control-Allow-Origin: * is sent with CORS off" },
  /** EIO4-CLOSE-04: a server close with a pending GET answers it with a noop instead of the close packet `1`. */
  "server-close-without-close-packet": {
    rule: "EIO4-CLOSE-04",
    breaks: "a pending GET gets 6 instead of 1 when the server closes the session",
  },
  /** EIO4-ERROR-05: an unknown session ID is answered with code 3 instead of code 1. */
  "unknown-sid-wrong-code": { rule: "EIO4-ERROR-05", breaks: "an unknown sid gets error code 3 instead of 1" },
  /** EIO4-HEARTBEAT-06: a ping from the client is answered with a pong instead of closing the v4 session. */
  "client-ping-answered": {
    rule: "EIO4-HEARTBEAT-06",
    breaks: "a client ping is answered instead of closing the v4 session",
  },

  // ---- packets and payloads ----
  /**
   * EIO4-PACKET-06: a fast path for short text messages (at most 9 characters of data) keeps the type digit `4` in
   * front of the data. Longer messages, such as the suite's probe, come through intact.
   */
  "short-text-keeps-type-digit": {
    rule: "EIO4-PACKET-06",
    breaks: "a short text message is delivered with its type digit in front of its data",
  },
  /** EIO4-PACKET-08: the UTF-8 bytes of a text message are read as Latin-1, one character per byte. */
  "utf8-as-latin1": { rule: "EIO4-PACKET-08", breaks: "text data is delivered as its UTF-8 bytes read as Latin-1" },
  /** EIO4-PAYLOAD-02: a binary message goes into a polling payload as `b4<base64>`, with a type digit after the `b`. */
  "binary-record-with-type-digit": {
    rule: "EIO4-PAYLOAD-02",
    breaks: "a binary record is b4<base64> instead of b<base64>",
  },
  /** EIO4-WS-05: a binary message is sent over WebSocket as the text frame `b<base64>` instead of a binary frame. */
  "binary-frame-as-base64": { rule: "EIO4-WS-05", breaks: "binary messages go out as b<base64> text frames" },
  /** EIO4-WS-03: a binary message of a non-zero multiple of 4 bytes goes out as a binary frame with the type byte 0x04 in front of its data. */
  "binary-frame-type-byte": { rule: "EIO4-WS-03", breaks: "binary frames of 4n bytes carry a leading type byte" },
  /** EIO4-PACKET-05: a record or text frame of unknown type (or empty) is taken for a noop instead of closing the session. */
  "unknown-type-ignored": { rule: "EIO4-PACKET-05", breaks: "a packet of unknown type is ignored" },
  /** EIO4-PACKET-01: a polling record of type `7` is read as a message (an eighth packet type), instead of closing the session. */
  "type-seven-as-message": { rule: "EIO4-PACKET-01", breaks: "7x in a payload is the message x" },
  /** EIO4-PACKET-02: a text message whose data reads as a `b` record (`bAQIDBA==`) goes into a payload without its type digit `4`. */
  "base64-like-text-untyped": {
    rule: "EIO4-PACKET-02",
    breaks: "the text message bAQ== is written as the record bAQ==",
  },
  /** EIO4-PACKET-04: a binary frame whose first byte is a type digit (`0`-`6`) is read as the text packet it spells instead of a binary message. */
  "binary-frame-sniffed-as-text": { rule: "EIO4-PACKET-04", breaks: "the binary frame <34 61> is the text message a" },
  /** EIO4-PACKET-09: an empty text message `4` posted over polling is not delivered to the application. */
  "empty-message-dropped": { rule: "EIO4-PACKET-09", breaks: "the message 4 is dropped" },
  /** EIO4-PACKET-07: the data after a close, upgrade or noop type digit is dropped instead of closing the session. */
  "dataless-data-ignored": { rule: "EIO4-PACKET-07", breaks: "1x, 5x and 6x are read as 1, 5 and 6" },
  /** EIO4-PACKET-11: a noop from the client outside an upgrade closes the session instead of being ignored. */
  "noop-closes-session": { rule: "EIO4-PACKET-11", breaks: "a stray noop packet closes the session" },
  /** EIO4-PACKET-13: a pong with data other than nothing closes the session. */
  "pong-data-rejected": { rule: "EIO4-PACKET-13", breaks: "a pong carrying data closes the session" },
  /** EIO4-PAYLOAD-14: a payload with a bad record delivers none of its records, not even those before it. */
  "payload-all-or-nothing": { rule: "EIO4-PAYLOAD-14", breaks: "the records before a bad record are not delivered" },
  /** EIO4-PAYLOAD-04: empty records (empty body, leading, trailing or doubled separator) are skipped instead of refused. */
  "empty-record-skipped": { rule: "EIO4-PAYLOAD-04", breaks: "empty records in a payload are skipped" },
  /** EIO4-PAYLOAD-03: a `+` in the base64 of a `b` record is read as `/` (`b/+8=` decodes to <ff ff>, not <ff ef>). */
  "base64-plus-as-slash": { rule: "EIO4-PAYLOAD-03", breaks: "+ in base64 decodes as /" },
  /** EIO4-PAYLOAD-06: a 0x1E followed by a record that is no packet is kept as data of the text message before it (`4a\x1ez` is the message `a\x1ez`). */
  "separator-before-garbage-is-data": {
    rule: "EIO4-PAYLOAD-06",
    breaks: "4a\x1ez is one message instead of a and a protocol error",
  },
  /** EIO4-PAYLOAD-07: a bad record in a payload of several records is skipped; the session lives on (a bad record alone still closes it). */
  "bad-record-in-batch-skipped": {
    rule: "EIO4-PAYLOAD-07",
    breaks: "a bad record among others is skipped instead of closing the session",
  },
  /** EIO4-PAYLOAD-11: a payload of 3 to 10 text messages is delivered last record first. */
  "text-batch-reversed": {
    rule: "EIO4-PAYLOAD-11",
    breaks: "the records of a text payload are delivered in reverse order",
  },
  /** EIO4-PAYLOAD-09: in a payload of several records, characters outside the BMP (4-byte UTF-8) become U+FFFD. */
  "batch-astral-mangled": {
    rule: "EIO4-PAYLOAD-09",
    breaks: "4-byte characters of a multi-record payload are replaced",
  },
  /** EIO4-PAYLOAD-08: a POST of an invalid payload is answered 200 ok (the session still closes). */
  "bad-payload-200": { rule: "EIO4-PAYLOAD-08", breaks: "an invalid payload is answered 200 ok instead of 400 code 3" },
  /** EIO4-PAYLOAD-10: a POST body that is not UTF-8 is decoded with replacement characters and delivered. */
  "utf8-lenient": { rule: "EIO4-PAYLOAD-10", breaks: "a POST body that is not UTF-8 is accepted" },

  // ---- polling ----
  /** EIO4-POLLING-03: the `ok` answer to a POST is text/plain instead of text/html. */
  "post-ok-text-plain": { rule: "EIO4-POLLING-03", breaks: "the ok answer has Content-Type text/plain" },
  /** EIO4-TRANSPORT-10: no HTTP answer (handshake, GET, POST, refusal) carries a Cache-Control header. */
  "no-cache-control": { rule: "EIO4-TRANSPORT-10", breaks: "HTTP answers have no Cache-Control: no-store" },
  /** EIO4-POLLING-19: a held GET is answered only when a ping is queued, not as soon as a packet is. */
  "get-flushed-at-ping-only": {
    rule: "EIO4-POLLING-19",
    breaks: "a pending GET waits for the next ping before it is answered",
  },
  /** EIO4-POLLING-11: a pending GET the client aborts is forgotten; the session lives on. */
  "aborted-get-ignored": { rule: "EIO4-POLLING-11", breaks: "an aborted GET does not close the session" },
  /** EIO4-POLLING-12: the records of an aborted POST that did arrive are delivered before the session closes. */
  "aborted-post-delivers": { rule: "EIO4-POLLING-12", breaks: "the part of an aborted POST that arrived is delivered" },
  /** EIO4-POLLING-13: a v4 POST with Content-Type application/octet-stream is refused as a protocol error (as the official servers do), instead of read as the payload it holds. */
  "octet-stream-refused": {
    rule: "EIO4-POLLING-13",
    breaks: "an octet-stream POST on a v4 session closes it and gets 400",
  },
  /** EIO4-POLLING-13: a v4 POST without Content-Type is refused as a protocol error, as if the label were required. */
  "post-without-type-refused": {
    rule: "EIO4-POLLING-13",
    breaks: "a POST without Content-Type closes the session and gets 400",
  },
  /** EIO4-POLLING-07: a GET answer of more than 25 packets lists them last first. */
  "long-get-reversed": { rule: "EIO4-POLLING-07", breaks: "a long GET answer is in reverse order" },
  /** EIO4-POLLING-09: the 400 that answers an overlapping GET or POST has an empty body, as the official server's. */
  "overlap-refusal-empty": { rule: "EIO4-POLLING-09", breaks: "the 400 for an overlapping request has no error body" },
  /** EIO4-POLLING-14: a PUT naming a session is served as if it were a POST. */
  "put-as-post": { rule: "EIO4-POLLING-14", breaks: "PUT with a sid is served as a POST" },
  /** EIO4-POLLING-16: the `ok` answer to a POST is held back for pingInterval, as if waiting for something to send. */
  "post-held-until-flush": { rule: "EIO4-POLLING-16", breaks: "a POST is answered only pingInterval after its body" },
  /** EIO4-POLLING-05: a GET that finds nothing to send is held only pingInterval/2, then answered with a noop. */
  "idle-get-answered-noop": {
    rule: "EIO4-POLLING-05",
    breaks: "an idle GET is answered 6 after pingInterval/2, before the ping",
  },
  /** EIO4-POLLING-04: a poll (GET with a sid) that carries a message or a ping is answered with status 202 instead of 200, its payload unchanged. */
  "poll-status-202": { rule: "EIO4-POLLING-04", breaks: "a GET answer holding a message or ping has status 202" },
  /** EIO4-POLLING-10: a second POST while one is still arriving is served, as if POSTs could overlap. */
  "overlapping-post-served": {
    rule: "EIO4-POLLING-10",
    breaks: "an overlapping POST is answered ok and the session lives on",
  },

  // ---- WebSocket ----
  /** EIO4-WS-02: every text frame the server sends after the open packet ends with the record separator 0x1E, as if it were a payload. */
  "ws-frame-separator-appended": { rule: "EIO4-WS-02", breaks: "text frames carry a trailing 0x1E" },
  /** EIO4-WS-02: a text frame is split at 0x1E into several packets, as if it were a polling payload. */
  "ws-frame-split-on-separator": { rule: "EIO4-WS-02", breaks: "0x1E in a text frame splits it into packets" },
  /** EIO4-WS-04: a text frame `b<base64>` is refused as a packet of unknown type. */
  "b-text-frame-rejected": { rule: "EIO4-WS-04", breaks: "a b<base64> text frame closes the session" },
  /** EIO4-HANDSHAKE-10: a session opened over WebSocket gets its open packet twice. */
  "ws-open-twice": { rule: "EIO4-HANDSHAKE-10", breaks: "the open packet is sent twice over WebSocket" },
  /** EIO4-WS-06: a text frame that is no valid packet closes the WebSocket but not the session, which lives until its heartbeat times out. */
  "ws-invalid-frame-closes-socket-only": {
    rule: "EIO4-WS-06",
    breaks: "an invalid text frame closes the WebSocket but not the session",
  },
  /** EIO4-WS-06: text frames are not checked for UTF-8; invalid bytes become replacement characters. */
  "ws-utf8-unchecked": { rule: "EIO4-WS-06", breaks: "a text frame that is not UTF-8 does not fail the WebSocket" },
  /** EIO4-CLOSE-11: a server close over WebSocket takes effect 50 ms late; frames arriving meanwhile are delivered. */
  "deliver-after-close": { rule: "EIO4-CLOSE-11", breaks: "frames after a server close are still delivered" },
  /** EIO4-HANDSHAKE-15: every session opened over WebSocket gets the same sid instead of a new one. */
  "ws-sid-reused": { rule: "EIO4-HANDSHAKE-15", breaks: "WebSocket sessions share one sid" },
  /** EIO4-WS-07: a second WebSocket naming a session opened over WebSocket is accepted and replaces the first, which is closed. */
  "second-websocket-takes-over": { rule: "EIO4-WS-07", breaks: "a second WebSocket takes over a WebSocket session" },
  /** EIO4-WS-09: when the WebSocket of a WebSocket session closes, the session waits for its heartbeat to time out. */
  "ws-close-keeps-session": { rule: "EIO4-WS-09", breaks: "a closed WebSocket does not end its session" },

  // ---- handshake ----
  /** EIO4-HANDSHAKE-09: the polling handshake is answered with status 201 instead of 200. */
  "handshake-status-201": { rule: "EIO4-HANDSHAKE-09", breaks: "the polling handshake answers 201" },
  /** EIO4-HANDSHAKE-09: a noop is batched with the open packet in the handshake response. */
  "handshake-with-noop": { rule: "EIO4-HANDSHAKE-09", breaks: "the handshake response holds 0{...} and 6" },
  /** EIO4-HANDSHAKE-02: the open packet's data is a JavaScript object literal with unquoted keys, not JSON. */
  "handshake-not-json": { rule: "EIO4-HANDSHAKE-02", breaks: "the open packet's keys are unquoted" },
  /** EIO4-HANDSHAKE-04: pingInterval, pingTimeout and maxPayload are written as strings of digits. */
  "handshake-timings-as-strings": { rule: "EIO4-HANDSHAKE-04", breaks: "the handshake's numbers are strings" },
  /** EIO4-HANDSHAKE-05: a polling session advertises no upgrade although the server offers websocket. */
  "polling-upgrades-empty": { rule: "EIO4-HANDSHAKE-05", breaks: "upgrades is [] over polling with websocket offered" },
  /** EIO4-HANDSHAKE-14: the sid is 12 characters long instead of at least 16. */
  "sid-short": { rule: "EIO4-HANDSHAKE-14", breaks: "sids of 12 characters" },
  /** EIO4-HANDSHAKE-15: every session opened over polling gets the same sid, so a handshake takes over the session of the one before. */
  "polling-sid-reused": { rule: "EIO4-HANDSHAKE-15", breaks: "polling sessions share one sid" },
  /** EIO4-HANDSHAKE-06: every sid starts with `+/`, characters a URL does not carry unescaped. */
  "sid-not-url-safe": { rule: "EIO4-HANDSHAKE-06", breaks: "sids hold + and /" },
  /** EIO4-HANDSHAKE-11: a handshake with a method other than GET (POST, PUT, DELETE) opens a session as a GET does. */
  "handshake-any-method": { rule: "EIO4-HANDSHAKE-11", breaks: "a POST handshake opens a session" },
  /** EIO4-HANDSHAKE-08: the open packet advertises maxPayload twice the limit the server applies. */
  "max-payload-overstated": { rule: "EIO4-HANDSHAKE-08", breaks: "maxPayload is advertised doubled" },
  /** EIO4-HANDSHAKE-07: sids are a counter (`S0000000000000000001`, ...): distinct, but anyone can guess the next one. */
  "sid-sequential": { rule: "EIO4-HANDSHAKE-07", breaks: "sids count up from 1" },
  /** EIO4-HANDSHAKE-03: the open packet lists its keys last first (maxPayload ... sid). */
  "handshake-keys-reordered": { rule: "EIO4-HANDSHAKE-03", breaks: "the open packet's keys come in reverse order" },
  /** EIO4-HANDSHAKE-13: pingTimeout is advertised (and applied) with half a millisecond more, not a whole number. */
  "timings-fractional": { rule: "EIO4-HANDSHAKE-13", breaks: "pingTimeout is 200.5" },
  /** EIO4-TRANSPORT-08: a request with a query parameter the server does not know is refused with code 3. */
  "unknown-param-refused": { rule: "EIO4-TRANSPORT-08", breaks: "unknown query parameters are refused" },
  /** EIO4-TRANSPORT-07: a request naming a session and carrying the cache-busting `t` is refused with code 3. */
  "t-param-refused": { rule: "EIO4-TRANSPORT-07", breaks: "t on a session request is refused" },

  // ---- errors ----
  /** EIO4-ERROR-03: an unknown or missing transport is refused with code 3 instead of 0. */
  "unknown-transport-code-3": { rule: "EIO4-ERROR-03", breaks: "an unknown transport gets code 3" },
  /** EIO4-ERROR-02: a handshake with a method other than GET is refused with code 3 instead of 2. */
  "bad-method-code-3": { rule: "EIO4-ERROR-02", breaks: "a POST or PUT handshake gets code 3" },
  /** EIO4-ERROR-06: transport=websocket over a plain GET is refused with code 0 instead of 3. */
  "ws-without-upgrade-code-0": { rule: "EIO4-ERROR-06", breaks: "websocket without Upgrade gets code 0" },
  /** EIO4-ERROR-04: with v3 off, an EIO=3 handshake is refused with code 3 instead of 5. */
  "eio3-wrong-code": { rule: "EIO4-ERROR-04", breaks: "EIO=3 gets code 3 when v3 is off" },
  /** EIO4-ERROR-04: any EIO value (missing, 5, abc, 04, and 3 when v3 is off) is served as version 4. */
  "version-unchecked": { rule: "EIO4-ERROR-04", breaks: "an unsupported or missing EIO is served as v4" },
  /** EIO4-ERROR-07: with a sid, the version is checked before the session (code 5 instead of 1). */
  "version-before-sid": { rule: "EIO4-ERROR-07", breaks: "an unsupported version is reported before an unknown sid" },
  /** EIO4-ERROR-01: a POST naming no session is refused with the code 1 body but status 200. */
  "unknown-sid-post-200": { rule: "EIO4-ERROR-01", breaks: "a POST with an unknown sid gets 200 and the code 1 body" },
  /** EIO4-ERROR-08: a refused request that names a live session closes that session. */
  "refusal-closes-session": { rule: "EIO4-ERROR-08", breaks: "a refused request closes the session it names" },
  /** EIO4-ERROR-11: a request with a repeated query parameter is answered 500. */
  "repeated-param-500": { rule: "EIO4-ERROR-11", breaks: "a repeated sid, transport or EIO parameter gets 500" },

  // ---- limits ----
  /** EIO4-LIMIT-01: the limit is exclusive: a POST body or WebSocket message of exactly maxPayload bytes is refused. */
  "limit-exclusive": { rule: "EIO4-LIMIT-01", breaks: "a body of exactly maxPayload bytes is refused" },
  /** EIO4-LIMIT-01: a POST is measured by its decoded data (characters, decoded bytes), not by the bytes of the body. */
  "limit-counts-data": { rule: "EIO4-LIMIT-01", breaks: "the POST limit counts decoded data instead of body bytes" },
  /** EIO4-LIMIT-03: WebSocket messages have no size limit. */
  "ws-no-limit": { rule: "EIO4-LIMIT-03", breaks: "a WebSocket message over maxPayload is accepted" },

  // ---- CORS ----
  /** EIO4-CORS-01: with CORS off, answers to requests naming a sid, and preflights, carry Access-Control-Allow-Origin: * (handshakes do not). */
  "cors-leak-when-off": {
    rule: "EIO4-CORS-01",
    breaks: "CORS headers leak onto session requests and preflights with CORS off",
  },
  /** EIO4-CORS-05: a preflight is served as a GET: it opens a session (or polls the one it names). */
  "preflight-opens-session": { rule: "EIO4-CORS-05", breaks: "a preflight is answered as a handshake" },
  /** EIO4-CORS-02: with CORS on, a preflight is answered 204 without Access-Control-Allow-Headers. */
  "preflight-without-allow-headers": {
    rule: "EIO4-CORS-02",
    breaks: "a preflight does not allow the headers it was asked for",
  },
  /** EIO4-CORS-03: with CORS on, the answer to a poll (GET with a sid) has no Access-Control-Allow-Origin. */
  "cors-missing-on-get": { rule: "EIO4-CORS-03", breaks: "polls lack Access-Control-Allow-Origin" },
  /** EIO4-CORS-06: with CORS on, error answers (status 400 and above) have no Access-Control-Allow-Origin. */
  "cors-not-on-errors": { rule: "EIO4-CORS-06", breaks: "refusals lack Access-Control-Allow-Origin" },
  /** EIO4-CORS-04: with CORS on with credentials and any origin allowed, `*` is sent instead of the request's origin. */
  "cors-credentials-star": { rule: "EIO4-CORS-04", breaks: "Access-Control-Allow-Origin: * together with credentials" },

  // ---- upgrade ----
  /** EIO4-UPGRADE-11: a probe WebSocket that closes before `5` (closed by the client or dropped) ends the whole session. */
  "probe-close-ends-session": {
    rule: "EIO4-UPGRADE-11",
    breaks: "a probe WebSocket closing before 5 ends the session",
  },
  /** EIO4-UPGRADE-11: the packets buffered for polling are discarded when a probe WebSocket closes before `5`. */
  "probe-drop-loses-buffer": {
    rule: "EIO4-UPGRADE-11",
    breaks: "the send buffer is emptied when a probe closes before 5",
  },
  /** EIO4-UPGRADE-02: a session takes one probe only; once a probe has ended, a new probe WebSocket is closed at once. */
  "probe-slot-not-freed": {
    rule: "EIO4-UPGRADE-02",
    breaks: "a new probe after a failed one is closed instead of answered",
  },
  /** EIO4-UPGRADE-10: a second WebSocket during the probe is closed, and the probe WebSocket in progress is closed with it. */
  "second-websocket-closes-probe": {
    rule: "EIO4-UPGRADE-10",
    breaks: "a second WebSocket during the probe ends the probe too",
  },
  /** EIO4-UPGRADE-13: the heartbeat stops when the upgrade completes: no ping (and no ping timeout) over the new WebSocket. */
  "heartbeat-stops-at-upgrade": { rule: "EIO4-UPGRADE-13", breaks: "no ping after the upgrade" },
  /** EIO4-UPGRADE-04: packets the server sends while a probe is open go out on the probe WebSocket instead of over polling. */
  "packets-on-probe-before-upgrade": {
    rule: "EIO4-UPGRADE-04",
    breaks: "packets sent during the probe go on the probe WebSocket",
  },
  /**
   * EIO4-UPGRADE-14: as engine.io 6.6.12 does, the first noop waits for the 100 ms check instead of
   * leaving at `2probe`, and a GET still pending when `5` arrives gets the close packet `1` instead of `6`.
   */
  "pending-get-closed-at-upgrade": {
    rule: "EIO4-UPGRADE-14",
    breaks: "a GET pending when 5 arrives early gets 1 instead of 6",
  },
  /** EIO4-UPGRADE-08: a probe WebSocket whose frames are wrong ends the whole session, not only that WebSocket. */
  "bad-probe-closes-session": { rule: "EIO4-UPGRADE-08", breaks: "a wrong frame on the probe ends the session" },
  /** EIO4-UPGRADE-09: a probe that never sends `5` is never closed (no upgradeTimeout); the session stays upgrading. */
  "no-upgrade-timeout": { rule: "EIO4-UPGRADE-09", breaks: "a probe WebSocket is not closed at upgradeTimeout" },
  /**
   * EIO4-ERROR-03: a WebSocket request is served although the server does not offer websocket.
   * Visible only on a server configured with transports ["polling"].
   */
  "websocket-accepted-when-disabled": {
    rule: "EIO4-ERROR-03",
    breaks: "a WebSocket is accepted with websocket not offered",
  },
  /** EIO4-WS-08: a WebSocket request whose sid names no session opens a new session, as if it carried no sid. */
  "unknown-sid-websocket-opens-session": {
    rule: "EIO4-WS-08",
    breaks: "a WebSocket with an unknown sid gets 101 and a fresh open packet",
  },
  /** EIO4-ERROR-09: a WebSocket request naming no session is accepted with `101` and closed at once, instead of refused before `101`. */
  "unknown-sid-websocket-accepted": {
    rule: "EIO4-ERROR-09",
    breaks: "a WebSocket with an unknown sid gets 101, then a close",
  },

  // ---- heartbeat ----
  /** EIO4-HEARTBEAT-03: the next ping is due pingInterval after the previous ping, not after its pong. */
  "next-ping-from-ping": {
    rule: "EIO4-HEARTBEAT-03",
    breaks: "the ping interval is counted from the ping instead of the pong",
  },
  /** EIO4-HEARTBEAT-07: a pong that answers no ping closes the session as a protocol error. */
  "unsolicited-pong-closes": { rule: "EIO4-HEARTBEAT-07", breaks: "an unsolicited pong closes the session" },
  /** EIO4-HEARTBEAT-10: over polling, a ping alone does not wake the held GET; it waits for the next GET (or another packet). */
  "held-get-not-woken-by-ping": { rule: "EIO4-HEARTBEAT-10", breaks: "a held GET is not answered with the ping" },
  /** EIO4-HEARTBEAT-05: a message from the client while a pong is awaited restarts the pingTimeout, as if it were a pong. */
  "messages-as-liveness": { rule: "EIO4-HEARTBEAT-05", breaks: "messages postpone the ping timeout" },
  /** EIO4-HEARTBEAT-04: a ping with no pong ends the session 2 × pingTimeout after it, not pingTimeout. */
  "ping-timeout-late": { rule: "EIO4-HEARTBEAT-04", breaks: "an unanswered ping ends the session pingTimeout late" },
  /** DROP-01: once the client has answered one ping, a later unanswered ping never ends the session (only a first ping is timed). */
  "timeout-only-before-first-pong": {
    rule: "DROP-01",
    breaks: "a client that stops ponging after its first pong is never dropped",
  },
  /** DROP-03: the ping timeout of a polling session is skipped while no GET is pending, so a client that stopped polling is never dropped. */
  "timeout-waits-for-get": { rule: "DROP-03", breaks: "a polling client that stops sending GETs is never dropped" },
  /** DROP-04: a pending GET reset by the client ends the session only at the heartbeat bound, not at once. */
  "aborted-get-closes-late": {
    rule: "DROP-04",
    breaks: "an aborted GET ends the session pingInterval + pingTimeout later",
  },
  /** DROP-05: when a probe closes before `5`, the packets still buffered for polling are queued a second time. */
  "probe-drop-duplicates-buffer": {
    rule: "DROP-05",
    breaks: "packets sent during a failed upgrade reach the client twice",
  },

  // ---- close ----
  /** EIO4-CLOSE-03: when the client closes over polling, the pending GET gets the close packet `1` instead of the noop `6`. */
  "client-close-answers-close-packet": {
    rule: "EIO4-CLOSE-03",
    breaks: "a GET pending at the client's close gets 1 instead of 6",
  },
  /** EIO4-CLOSE-01: a close record in a POST takes effect after the rest of that payload, so the records after it are delivered. */
  "records-after-close-delivered": { rule: "EIO4-CLOSE-01", breaks: "records after 1 in the same POST are delivered" },
  /** EIO4-CLOSE-05: an application close over polling with no GET pending discards the buffered packets. */
  "close-drops-buffer": { rule: "EIO4-CLOSE-05", breaks: "buffered packets are lost when the application closes" },
  /** EIO4-CLOSE-11: an application close over polling takes effect after the payload being read; its later records are delivered. */
  "polling-deliver-after-close": {
    rule: "EIO4-CLOSE-11",
    breaks: "records after a server close over polling are delivered",
  },
  /** EIO4-CLOSE-05: an application close over polling with no GET pending frees the session at once, so no GET gets the close packet. */
  "server-close-freed-at-once": {
    rule: "EIO4-CLOSE-05",
    breaks: "the next GET after a server close gets 400 instead of the close packet",
  },
  /** EIO4-CLOSE-08: a server close over WebSocket drops the TCP connection: no close frame, and frames not yet written are lost. */
  "ws-close-terminates": { rule: "EIO4-CLOSE-08", breaks: "a server close over WebSocket sends no close frame" },
  /** EIO4-CLOSE-07: a session that ends during an upgrade leaves its probe WebSocket open. */
  "probe-left-open-on-close": {
    rule: "EIO4-CLOSE-07",
    breaks: "the probe WebSocket stays open after the session ends",
  },
  /** EIO4-CLOSE-07: an application close of a session on WebSocket ends the session but leaves its WebSocket open. */
  "server-close-leaves-websocket-open": {
    rule: "EIO4-CLOSE-07",
    breaks: "the WebSocket stays open after the application closes the session",
  },
} as const satisfies Record<string, FaultInfo>;

/** The name of one Engine.IO fault, of either version's path (v3-catalogue.ts). */
export type EngineFault = keyof typeof ENGINE_FAULT_TABLE | V3EngineFault;

/** The set of faults a mutant server runs with. */
export type FaultSet = ReadonlySet<EngineFault>;
