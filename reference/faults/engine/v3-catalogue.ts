/**
 * The Engine.IO faults of the version 3 path: each breaks one rule of spec/engine.io-v3.md at
 * the one spot of the reference server that enforces it for a session opened with `EIO=3`
 * (the v3 wire, the client-driven heartbeat, the probe's `1:6`, the close bodies), or one rule of
 * spec/operations.md as it reads for a version 3 session (the drops). They follow the version 4
 * faults in the kill matrix, so the IDs and order of those stay as they were. Every name starts
 * with `v3-`: such a fault acts on v3 sessions only, and the others on v4 sessions only
 * (index.ts), so each fault breaks its own version.
 */
import type { FaultInfo } from "../fault-info.js";

export const V3_ENGINE_FAULT_TABLE = {
  // ---- transport and handshake ----
  /** EIO3-HANDSHAKE-01: the v3 open packet gives `upgrades` as a string, not an array. */
  "v3-upgrades-not-array": { rule: "EIO3-HANDSHAKE-01", breaks: 'the v3 open packet has "upgrades":"websocket"' },
  /** EIO3-HANDSHAKE-02: the optional maxPayload of the v3 open packet is a string of digits. */
  "v3-max-payload-as-string": { rule: "EIO3-HANDSHAKE-02", breaks: "the v3 open packet's maxPayload is a string" },
  /** EIO3-HANDSHAKE-03: the v3 open packet carries a key beyond those of version 3. */
  "v3-handshake-extra-key": { rule: "EIO3-HANDSHAKE-03", breaks: "the v3 open packet has a sixth key" },
  /** EIO3-TRANSPORT-02: with b64=1, binary messages still go out over WebSocket as binary frames. */
  "v3-b64-ignored-on-websocket": {
    rule: "EIO3-TRANSPORT-02",
    breaks: "a b64=1 session gets binary frames over WebSocket",
  },
  /** EIO3-TRANSPORT-03: a JSONP handshake (`j=<n>`) is answered, but with the payload in single quotes, not as a JSON string. */
  "v3-jsonp-misframed": { rule: "EIO3-TRANSPORT-03", breaks: "JSONP wraps the payload as ___eio[n]('...')" },

  // ---- packets ----
  /** EIO3-PACKET-01: a text message of 5 to 9 characters is delivered with its type digit `4` in front of its data. */
  "v3-text-keeps-type-digit": {
    rule: "EIO3-PACKET-01",
    breaks: "the message hello is delivered as 4hello",
  },
  /** EIO3-PACKET-02: binary messages go out over WebSocket without the type byte 0x04. */
  "v3-binary-frame-untyped": { rule: "EIO3-PACKET-02", breaks: "binary frames carry no 0x04 type byte" },
  /** EIO3-PACKET-02: a binary frame whose first byte is not 0x04 is read as a binary message of the rest. */
  "v3-binary-frame-type-unchecked": {
    rule: "EIO3-PACKET-02",
    breaks: "a binary frame of any first byte is a binary message",
  },
  /** EIO3-PACKET-03: a binary record in a text payload is written `b<base64>`, without the type digit 4. */
  "v3-binary-record-untyped": { rule: "EIO3-PACKET-03", breaks: "binary records are b<base64> instead of b4<base64>" },
  /** EIO3-PACKET-04: a `b4<base64>` text frame is delivered as the text message it spells. */
  "v3-b4-frame-as-text": { rule: "EIO3-PACKET-04", breaks: "the text frame b4AQID is the text message b4AQID" },

  // ---- payloads ----
  /** EIO3-PAYLOAD-01: a text payload of three records or more is written the v4 way, records joined by 0x1E without lengths. */
  "v3-records-unprefixed": { rule: "EIO3-PAYLOAD-01", breaks: "long text payloads are 4a\\x1e4b\\x1e4c" },
  /** EIO3-PAYLOAD-02: the length of a record counts the UTF-8 bytes of the packet, not its UTF-16 code units. */
  "v3-length-in-bytes": { rule: "EIO3-PAYLOAD-02", breaks: "record lengths count UTF-8 bytes" },
  /** EIO3-PAYLOAD-03: a malformed text payload delivers what it could read and leaves the session open. */
  "v3-bad-payload-accepted": { rule: "EIO3-PAYLOAD-03", breaks: "a malformed text payload is accepted" },
  /** EIO3-PAYLOAD-11: lengths with leading zeros and zero-length records are read leniently. */
  "v3-leading-zero-accepted": { rule: "EIO3-PAYLOAD-11", breaks: "06:4hello and 0: records are accepted" },
  /** EIO3-PAYLOAD-08: the empty payload `0:` is a protocol error that ends the session. */
  "v3-empty-payload-refused": { rule: "EIO3-PAYLOAD-08", breaks: "a POST of 0: closes the session" },
  /** EIO3-PAYLOAD-04: the lengths of a binary payload are written as ASCII digits instead of digit bytes 0-9. */
  "v3-binary-lengths-ascii": {
    rule: "EIO3-PAYLOAD-04",
    breaks: "binary payload lengths are ASCII digits (0x30...)",
  },
  /** EIO3-PAYLOAD-05: a poll holding a binary message is a text payload (base64), as if the client had asked b64=1. */
  "v3-binary-poll-as-text": { rule: "EIO3-PAYLOAD-05", breaks: "binary polls go out as text payloads" },
  /** EIO3-PAYLOAD-05: a text payload is served as text/plain without its charset. */
  "v3-text-poll-no-charset": { rule: "EIO3-PAYLOAD-05", breaks: "text polls are Content-Type text/plain" },
  /** EIO3-PAYLOAD-06: an application/octet-stream POST is read as UTF-8 text. */
  "v3-binary-post-as-text": { rule: "EIO3-PAYLOAD-06", breaks: "an octet-stream POST is decoded as text" },
  /** EIO3-PAYLOAD-07: a malformed binary payload delivers what it could read and leaves the session open. */
  "v3-binary-payload-lenient": { rule: "EIO3-PAYLOAD-07", breaks: "a malformed binary payload is accepted" },
  /** EIO3-PAYLOAD-09: a binary record is counted by its decoded bytes, not by its characters. */
  "v3-binary-record-miscounted": {
    rule: "EIO3-PAYLOAD-09",
    breaks: "b4AQIDBA== is written 4:b4AQIDBA==",
  },
  /** EIO3-PAYLOAD-10: a 0x1E inside a text message of a payload is taken for a separator. */
  "v3-record-separator-splits": { rule: "EIO3-PAYLOAD-10", breaks: "4a\\x1eb is the two messages a and b" },

  // ---- heartbeat ----
  /** EIO3-HEARTBEAT-01: a ping resets the timeout but is never answered with a pong. */
  "v3-ping-unanswered": { rule: "EIO3-HEARTBEAT-01", breaks: "no pong for a ping" },
  /** EIO3-HEARTBEAT-02: the pong leaves out the data of its ping, as the official server's does. */
  "v3-pong-without-data": { rule: "EIO3-HEARTBEAT-02", breaks: "2x is answered 3" },
  /** EIO3-HEARTBEAT-03: a session is closed pingInterval after the last ping, not pingInterval + pingTimeout. */
  "v3-timeout-at-ping-interval": {
    rule: "EIO3-HEARTBEAT-03",
    breaks: "a silent v3 session is closed at pingInterval",
  },
  /** EIO3-HEARTBEAT-04: the server pings a v3 session every pingInterval / 2. */
  "v3-server-pings": { rule: "EIO3-HEARTBEAT-04", breaks: "the server sends pings on a v3 session" },
  /** EIO3-HEARTBEAT-04: a pong from the client is ignored instead of ending the session. */
  "v3-client-pong-ignored": { rule: "EIO3-HEARTBEAT-04", breaks: "a client pong does not end the session" },
  /** EIO3-HEARTBEAT-05: a GET held when the session times out is answered `1:6`, not the close packet. */
  "v3-held-get-noop-at-timeout": { rule: "EIO3-HEARTBEAT-05", breaks: "a GET held at the timeout gets 1:6" },
  /** EIO3-HEARTBEAT-06: messages restart the timeout, as pings do. */
  "v3-messages-keep-alive": { rule: "EIO3-HEARTBEAT-06", breaks: "messages keep a v3 session alive" },

  // ---- limits ----
  /** EIO3-LIMIT-01: a POST over maxHttpBufferSize on a v3 session is accepted, as if a v3 client's ignorance of maxPayload bound the server too. */
  "v3-post-over-limit-accepted": { rule: "EIO3-LIMIT-01", breaks: "a v3 POST over the limit is accepted" },

  // ---- close ----
  /** EIO3-CLOSE-01: the noop and close packets that a GET fetches after a server close are written as a v4 payload (`6\x1e1`). */
  "v3-close-body-v4-framing": { rule: "EIO3-CLOSE-01", breaks: "the GET after a server close gets 6\x1e1" },
  /** EIO3-CLOSE-01: the GET pending at the client's close is completed with the empty payload `0:`, not `1:6`. */
  "v3-client-close-empty-answer": { rule: "EIO3-CLOSE-01", breaks: "the GET pending at the client's close gets 0:" },
  /** EIO3-CLOSE-01: when the client closes the WebSocket of an upgraded v3 session, the session falls back to polling instead of ending. */
  "v3-websocket-close-falls-back": {
    rule: "EIO3-CLOSE-01",
    breaks: "an upgraded v3 session outlives its WebSocket, on polling",
  },
  /** EIO3-CLOSE-01: a server close of a bare Engine.IO v3 session on WebSocket ends the session but leaves the WebSocket open. */
  "v3-server-close-leaves-websocket": {
    rule: "EIO3-CLOSE-01",
    breaks: "the WebSocket stays open after the application closes the v3 session",
  },

  // ---- drops (operations.md, read with the version 3 heartbeat) ----
  /** DROP-01: once the client has pinged, the deadline is not armed again, so a client that stops pinging after its first ping is never dropped. */
  "v3-timeout-only-before-first-ping": {
    rule: "DROP-01",
    breaks: "a v3 client that stops pinging after one ping is never dropped",
  },
  /** DROP-03: the timeout of a v3 polling session is skipped while no GET is pending. */
  "v3-timeout-waits-for-get": {
    rule: "DROP-03",
    breaks: "a v3 polling client that stops sending GETs is never dropped",
  },
  /** DROP-04: a pending GET of a v3 session reset by the client ends the session only pingInterval + pingTimeout later. */
  "v3-aborted-get-closes-late": {
    rule: "DROP-04",
    breaks: "an aborted v3 GET ends the session pingInterval + pingTimeout later",
  },
  /** DROP-13: the records of a v3 POST cut half way that did arrive are delivered before the session closes. */
  "v3-aborted-post-delivers": {
    rule: "DROP-13",
    breaks: "the part of a cut v3 POST that arrived is delivered",
  },
  /** DROP-05: when a v3 probe closes before `5`, the packets still buffered for polling are queued a second time. */
  "v3-probe-drop-duplicates-buffer": {
    rule: "DROP-05",
    breaks: "packets sent during a failed v3 upgrade reach the client twice",
  },
  /** DROP-06: when the WebSocket of an upgraded v3 session drops (no close frame), the session waits for its timeout. */
  "v3-websocket-drop-keeps-session": {
    rule: "DROP-06",
    breaks: "an upgraded v3 session outlives its dropped WebSocket until the timeout",
  },

  // ---- upgrade ----
  /** EIO3-UPGRADE-01: the pending GET is not released with `1:6` when the probe is answered. */
  "v3-probe-holds-get": { rule: "EIO3-UPGRADE-01", breaks: "no 1:6 to the pending GET during the upgrade" },
  /** EIO3-UPGRADE-02: a ping that arrives over polling while a probe is open is not answered. */
  "v3-ping-unanswered-while-probing": {
    rule: "EIO3-UPGRADE-02",
    breaks: "pings during the upgrade get no pong",
  },
  /** EIO3-UPGRADE-01: a v3 probe that never sends `5` is never closed (no upgradeTimeout, EIO4-UPGRADE-09); the session stays upgrading. */
  "v3-no-upgrade-timeout": {
    rule: "EIO3-UPGRADE-01",
    breaks: "a v3 probe WebSocket is not closed at upgradeTimeout",
  },
  /** EIO3-UPGRADE-03: once upgraded from polling, binary messages go out over WebSocket without the type byte 0x04. */
  "v3-upgraded-binary-untyped": {
    rule: "EIO3-UPGRADE-03",
    breaks: "binary frames on an upgraded session carry no 0x04",
  },
} as const satisfies Record<string, FaultInfo>;

/** The name of one Engine.IO fault of the version 3 path. */
export type V3EngineFault = keyof typeof V3_ENGINE_FAULT_TABLE;
