/**
 * The preconditions of the suite: what a case needs on its way to the rule it checks (a session
 * opens, a POST is accepted, an echo comes back, a probe is answered), each named by the rule
 * it belongs to and by the one case that checks that rule head-on.
 *
 * The clients and the shared checks raise a broken precondition with {@link unmet}; the runner
 * then reports every case that does not cite that rule as `blocked`, pointing at the checking
 * case, so one fault makes the cases of its own rule fail and only blocks the others.
 * A test proves that each `checkedBy` case exists and cites its rule.
 */
import type { Precondition } from "./case.js";

/** Every precondition, by what it says in the protocol's words. */
export const PRECONDITIONS = {
  // ---- Engine.IO: opening a session ----------------------------------------------------------
  /** A polling handshake is answered with status 200. */
  pollingHandshake: { rule: "EIO4-HANDSHAKE-01", checkedBy: "eio4.handshake.polling-status" },
  /** The handshake body starts with an open packet carrying a JSON object with a `sid`. */
  openPacket: { rule: "EIO4-HANDSHAKE-02", checkedBy: "eio4.handshake.polling-open-packet" },
  /** The open packet's `pingInterval` and `pingTimeout` are numbers. */
  handshakeTypes: { rule: "EIO4-HANDSHAKE-04", checkedBy: "eio4.handshake.key-types" },
  /** A WebSocket handshake is accepted and its first frame is the open packet. */
  webSocketOpens: { rule: "EIO4-HANDSHAKE-10", checkedBy: "eio4.handshake.websocket-open" },
  /** A handshake opens a new session: its sid names no session handed out before in the run. */
  freshSid: { rule: "EIO4-HANDSHAKE-15", checkedBy: "eio4.handshake.sid-distinct" },
  /** The open packet is the first frame of a WebSocket session, and is never sent again. */
  openPacketOnce: { rule: "EIO4-HANDSHAKE-10", checkedBy: "eio4.ws.open-first-only" },

  // ---- Engine.IO: moving packets -------------------------------------------------------------
  /** A poll of a live session is answered with 200. */
  pollAnswered: { rule: "EIO4-POLLING-04", checkedBy: "eio4.polling.get-content-type" },
  /** An idle GET is held until the server has a packet for it (its first ping), not answered with a noop of its own. */
  heldGet: { rule: "EIO4-POLLING-05", checkedBy: "eio4.polling.get-held" },
  /** A refused request gets a 4xx, never 200 with the error body. */
  refusalIs4xx: { rule: "EIO4-ERROR-01", checkedBy: "eio4.error.sid-unknown-post" },
  /** A polling response body is a payload that decodes. */
  payloadDecodes: { rule: "EIO4-PAYLOAD-01", checkedBy: "eio4.payload.batch-three" },
  /** A POST of a valid payload is answered `200 ok`. */
  postOk: { rule: "EIO4-POLLING-02", checkedBy: "eio4.polling.post-ok" },
  /** A POST is answered as soon as its body is read, not held (a held pong POST starves the heartbeat). */
  postPrompt: { rule: "EIO4-POLLING-16", checkedBy: "eio4.polling.post-not-held" },
  /** Every WebSocket frame the server sends is one packet in its frame form. */
  frameDecodes: { rule: "EIO4-WS-03", checkedBy: "eio4.ws.text-echo" },
  /** A message posted over polling comes back from the echo endpoint, intact. */
  pollingEcho: { rule: "EIO4-PACKET-09", checkedBy: "eio4.packet.text-echo" },
  /** A message sent over WebSocket comes back from the echo endpoint, intact. */
  webSocketEcho: { rule: "EIO4-WS-02", checkedBy: "eio4.ws.text-echo" },
  /** The echo's witness over polling: `4hello` comes back as the message `hello`, its data unchanged. */
  pollingEchoIntact: { rule: "EIO4-PACKET-06", checkedBy: "eio4.packet.text-echo" },
  /** The echo's witness over WebSocket: the text frame `4hello` comes back as `4hello`. */
  webSocketEchoIntact: { rule: "EIO4-PACKET-06", checkedBy: "eio4.ws.text-echo" },
  /** A binary message sent over WebSocket comes back from the echo endpoint as a binary frame. */
  webSocketBinaryEcho: { rule: "EIO4-WS-05", checkedBy: "eio4.ws.binary-echo" },
  /** A binary message comes back over polling as a `b` record of standard base64. */
  binaryRecords: { rule: "EIO4-PAYLOAD-02", checkedBy: "eio4.packet.binary-polling" },
  /** A record of unknown type in a POST closes the session. */
  unknownTypeCloses: { rule: "EIO4-PACKET-05", checkedBy: "eio4.packet.unknown-type-polling" },
  /** A payload with an empty record (two adjacent separators) closes the session. */
  emptyRecordCloses: { rule: "EIO4-PAYLOAD-04", checkedBy: "eio4.payload.double-separator" },
  /** Three messages posted in one payload come back as three messages (records split on 0x1E). */
  payloadBatches: { rule: "EIO4-PAYLOAD-01", checkedBy: "eio4.payload.batch-three" },
  /** A text frame from the server holds one packet, never a payload with its record separator. */
  framesUnframed: { rule: "EIO4-WS-02", checkedBy: "eio4.ws.text-echo" },
  /** Text reaches the other side as the same characters: UTF-8 read as UTF-8, not as Latin-1. */
  utf8Intact: { rule: "EIO4-PACKET-08", checkedBy: "eio4.packet.utf8-websocket" },

  // ---- Engine.IO: upgrade, heartbeat, close --------------------------------------------------
  /** A probe WebSocket with the session's sid is accepted and `2probe` is answered `3probe`. */
  probeAnswered: { rule: "EIO4-UPGRADE-02", checkedBy: "eio4.upgrade.probe" },
  /** A noop from the client outside an upgrade is ignored (the sid checks ask with one). */
  noopIgnored: { rule: "EIO4-PACKET-11", checkedBy: "eio4.packet.ignored-types" },
  /** A GET pending at the probe is completed (with a noop) before the upgrade completes. */
  pendingGetReleased: { rule: "EIO4-UPGRADE-03", checkedBy: "eio4.upgrade.noop-to-pending-get" },
  /** After `5`, the WebSocket carries the session. */
  upgradeCompletes: { rule: "EIO4-UPGRADE-06", checkedBy: "eio4.upgrade.complete" },
  /** The server sends its first ping within pingInterval of the handshake. */
  firstPing: { rule: "EIO4-HEARTBEAT-01", checkedBy: "eio4.heartbeat.first-ping-polling" },
  /** A session whose client answers every ping with a pong is not closed by the heartbeat. */
  pongKeepsAlive: { rule: "EIO4-HEARTBEAT-04", checkedBy: "eio4.heartbeat.cycles-polling" },
  /** A polling session whose client answers no ping is closed pingTimeout after the ping (its held GET gets `1`). */
  pingTimeoutEnds: { rule: "EIO4-HEARTBEAT-04", checkedBy: "eio4.heartbeat.no-pong-polling" },
  /** A polling session whose client stops sending GETs is ended by the heartbeat (the recovery cases lose a socket this way). */
  stoppedPollingDropped: { rule: "DROP-03", checkedBy: "ops.drop.stops-polling" },
  /** The client's close packet `1` ends the session: its sid is refused from then on. */
  clientCloseEnds: { rule: "EIO4-CLOSE-01", checkedBy: "eio4.close.client-close-sid-gone" },
  /** A session that ended answers later requests with a 4xx (a WebSocket naming it is refused). */
  sessionGone: { rule: "EIO4-CLOSE-07", checkedBy: "eio4.close.sid-gone-everywhere" },
  /** When the server ends a session on WebSocket, it closes that WebSocket (not only forgets the sid). */
  webSocketClosedAtEnd: { rule: "EIO4-CLOSE-07", checkedBy: "eio4.close.server-close-websocket" },
  /** A refused polling request naming a session on WebSocket leaves that session open. */
  refusalKeepsSession: { rule: "EIO4-ERROR-08", checkedBy: "eio4.error.mismatch-keeps-session" },
  /** A request naming a sid the server never issued is refused with a 4xx (what a gone session looks like). */
  unknownSidRefused: { rule: "EIO4-ERROR-05", checkedBy: "eio4.error.sid-unknown-post" },
  /** A polling request naming a session on WebSocket is refused with code 3, unlike an unknown sid (code 1). */
  wsSessionRefusesPolling: { rule: "EIO4-ERROR-06", checkedBy: "eio4.error.transport-mismatch" },

  // ---- Socket.IO ------------------------------------------------------------------------------
  /** The server sends no Socket.IO packet before the client's CONNECT, and no CONNECT reply unasked. */
  nothingBeforeConnect: { rule: "SIO5-CONNECT-02", checkedBy: "sio5.connect.nothing-before-connect" },
  /** A CONNECT to a namespace the server serves is answered with CONNECT and a `sid`. */
  namespaceConnects: { rule: "SIO5-CONNECT-03", checkedBy: "sio5.connect.root-reply" },
  /** The server writes the `,` after every namespace but `/` (`40/custom,{...}`). */
  namespaceComma: { rule: "SIO5-NAMESPACE-01", checkedBy: "sio5.connect.custom-with-payload" },
  /** The `sid` of a CONNECT reply is not the Engine.IO sid. */
  socketSidDistinct: { rule: "SIO5-CONNECT-04", checkedBy: "sio5.connect.sid-distinct" },
  /** The echo app's `auth` event carries the auth object of the CONNECT, unchanged. */
  authDelivered: { rule: "SIO5-CONNECT-06", checkedBy: "sio5.connect.auth-echoed" },
  /** A CONNECT to a namespace the server does not serve is answered with a CONNECT_ERROR carrying a message. */
  refusalAnswered: { rule: "SIO5-NAMESPACE-02", checkedBy: "sio5.namespace.unknown-refused" },
  /** An event emitted to the echo app comes back as `message-back` with equal arguments. */
  eventEchoed: { rule: "SIO5-EVENT-05", checkedBy: "sio5.event.echo-exact" },
  /** An EVENT whose payload is not a non-empty array closes the session. */
  badEventCloses: { rule: "SIO5-EVENT-01", checkedBy: "sio5.event.object-payload" },
  /** An event that asks for an ack gets an ACK with that id. */
  ackAnswered: { rule: "SIO5-ACK-04", checkedBy: "sio5.ack.reply-exact" },
  /** The echo app's `emit-with-ack` asks the client for an ack: its EVENT carries an ack id. */
  serverAsksAck: { rule: "SIO5-ACK-07", checkedBy: "sio5.ack.server-asks" },
  /** The client's ACK reaches the application that asked for it (the echo app answers `ack-back`). */
  ackDelivered: { rule: "SIO5-ACK-10", checkedBy: "sio5.ack.server-asks" },
  /** A binary event is delivered with its attachments (the echo comes back binary, bytes in place). */
  binaryDelivered: { rule: "SIO5-BINARY-05", checkedBy: "sio5.binary.one-attachment" },
  /** A binary packet the server sends carries its attachment count right after its type. */
  binaryCount: { rule: "SIO5-BINARY-01", checkedBy: "sio5.binary.one-attachment" },
  /** Bytes the server sends travel as attachments of a binary packet, not inside the JSON. */
  binaryAsAttachments: { rule: "SIO5-BINARY-10", checkedBy: "sio5.binary.one-attachment" },
  /** The placeholders of a binary packet the server sends are numbered 0..count-1. */
  placeholdersNumbered: { rule: "SIO5-BINARY-02", checkedBy: "sio5.binary.one-attachment" },
  /** A server that removes a client from a namespace sends it a DISCONNECT for it. */
  serverDisconnects: { rule: "SIO5-DISCONNECT-05", checkedBy: "sio5.disconnect.server-root" },
  /** With recovery on, the CONNECT reply carries a `pid`. */
  recoveryPid: { rule: "SIO5-RECOVERY-01", checkedBy: "sio5.recovery.pid" },
  /** With recovery on, an event the server sends without ack carries its offset as the last argument. */
  eventOffset: { rule: "SIO5-RECOVERY-02", checkedBy: "sio5.recovery.offsets" },
  /** With recovery on, a CONNECT with the pid and offset of a socket lost with its session restores it (the same pid). */
  recoveryRestores: { rule: "SIO5-RECOVERY-04", checkedBy: "sio5.recovery.restore" },

  // ---- Engine.IO v3 -------------------------------------------------------------------------
  /** An `EIO=3` polling handshake is answered with 200 and a one-record v3 payload holding the open packet. */
  v3Handshake: { rule: "EIO3-HANDSHAKE-01", checkedBy: "eio3.handshake.polling-open" },
  /** A WebSocket with `EIO=3` and no sid is accepted and its first frame is the open packet. */
  v3WebSocketOpens: { rule: "EIO3-TRANSPORT-01", checkedBy: "eio3.handshake.websocket-open" },
  /** A polling body of a v3 session is a length-prefixed (or XHR2 binary) payload that decodes. */
  v3PayloadDecodes: { rule: "EIO3-PAYLOAD-01", checkedBy: "eio3.payload.batch-three" },
  /** A poll of a live v3 session is answered with 200. */
  v3PollAnswered: { rule: "EIO3-TRANSPORT-01", checkedBy: "eio3.handshake.polling-open" },
  /** A POST of a valid v3 payload is answered `200 ok`. */
  v3PostOk: { rule: "EIO3-PAYLOAD-01", checkedBy: "eio3.payload.batch-three" },
  /** Every WebSocket frame of a v3 session is one packet in its v3 frame form. */
  v3FrameDecodes: { rule: "EIO3-PACKET-01", checkedBy: "eio3.packet.text-echo-websocket" },
  /** A text message comes back from the echo endpoint over polling, intact. */
  v3PollingEcho: { rule: "EIO3-PACKET-01", checkedBy: "eio3.packet.text-echo-polling" },
  /** A ping `2` from the client is answered with a pong `3`. */
  v3PingAnswered: { rule: "EIO3-HEARTBEAT-01", checkedBy: "eio3.heartbeat.ping-answered-polling" },
  /** The probe WebSocket of a v3 session is accepted and `2probe` is answered `3probe`. */
  v3ProbeAnswered: { rule: "EIO3-UPGRADE-01", checkedBy: "eio3.upgrade.probe" },
  /** A GET pending at the probe is completed (with the v3 payload `1:6`) before the upgrade completes. */
  v3PendingGetReleased: { rule: "EIO3-UPGRADE-01", checkedBy: "eio3.upgrade.probe" },
  /** The client's close packet ends a v3 session: its sid is refused from then on. */
  v3ClientCloseEnds: { rule: "EIO3-CLOSE-01", checkedBy: "eio3.close.client-close-polling" },

  // ---- Socket.IO v4 (over Engine.IO v3) --------------------------------------------------------
  /** The server joins a v4 client to `/` on its own: a CONNECT `40` arrives unasked. */
  v4RootJoined: { rule: "SIO4-CONNECT-02", checkedBy: "sio4.connect.root-implicit" },
  /** A CONNECT to a namespace the server serves is answered with the CONNECT for that namespace. */
  v4NamespaceConnects: { rule: "SIO4-CONNECT-03", checkedBy: "sio4.connect.custom-reply" },
  /** An event emitted to the echo app comes back as `message-back` with equal arguments. */
  v4EventEchoed: { rule: "SIO4-EVENT-01", checkedBy: "sio4.event.echo" },
  /** An event that asks for an ack gets an ACK with that id. */
  v4AckAnswered: { rule: "SIO4-ACK-04", checkedBy: "sio4.ack.reply" },
  /** A binary event is delivered with its attachment and echoed back binary. */
  v4BinaryDelivered: { rule: "SIO4-BINARY-05", checkedBy: "sio4.binary.one-attachment" },
} as const satisfies Record<string, Precondition>;

export type PreconditionName = keyof typeof PRECONDITIONS;
