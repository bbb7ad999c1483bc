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

  // ---- Engine.IO: moving packets -------------------------------------------------------------
  /** A poll of a live session is answered with 200. */
  pollAnswered: { rule: "EIO4-POLLING-04", checkedBy: "eio4.polling.get-content-type" },
  /** A polling response body is a payload that decodes. */
  payloadDecodes: { rule: "EIO4-PAYLOAD-01", checkedBy: "eio4.payload.batch-three" },
  /** A POST of a valid payload is answered `200 ok`. */
  postOk: { rule: "EIO4-POLLING-02", checkedBy: "eio4.polling.post-ok" },
  /** Every WebSocket frame the server sends is one packet in its frame form. */
  frameDecodes: { rule: "EIO4-WS-03", checkedBy: "eio4.ws.text-echo" },
  /** A message posted over polling comes back from the echo endpoint, intact. */
  pollingEcho: { rule: "EIO4-PACKET-09", checkedBy: "eio4.packet.text-echo" },
  /** A message sent over WebSocket comes back from the echo endpoint, intact. */
  webSocketEcho: { rule: "EIO4-WS-02", checkedBy: "eio4.ws.text-echo" },

  // ---- Engine.IO: upgrade, heartbeat, close --------------------------------------------------
  /** A probe WebSocket with the session's sid is accepted and `2probe` is answered `3probe`. */
  probeAnswered: { rule: "EIO4-UPGRADE-02", checkedBy: "eio4.upgrade.probe" },
  /** A GET pending at the probe is completed (with a noop) before the upgrade completes. */
  pendingGetReleased: { rule: "EIO4-UPGRADE-03", checkedBy: "eio4.upgrade.noop-to-pending-get" },
  /** After `5`, the WebSocket carries the session. */
  upgradeCompletes: { rule: "EIO4-UPGRADE-06", checkedBy: "eio4.upgrade.complete" },
  /** The server sends its first ping within pingInterval of the handshake. */
  firstPing: { rule: "EIO4-HEARTBEAT-01", checkedBy: "eio4.heartbeat.first-ping-polling" },
  /** A session that ended answers later requests with a 4xx (a WebSocket naming it is refused). */
  sessionGone: { rule: "EIO4-CLOSE-07", checkedBy: "eio4.close.sid-gone-everywhere" },

  // ---- Socket.IO ------------------------------------------------------------------------------
  /** A CONNECT to a namespace the server serves is answered with CONNECT and a `sid`. */
  namespaceConnects: { rule: "SIO5-CONNECT-03", checkedBy: "sio5.connect.root-reply" },
  /** An event emitted to the echo app comes back as `message-back` with equal arguments. */
  eventEchoed: { rule: "SIO5-EVENT-05", checkedBy: "sio5.event.echo-exact" },
  /** An event that asks for an ack gets an ACK with that id and equal arguments. */
  ackAnswered: { rule: "SIO5-ACK-04", checkedBy: "sio5.ack.reply-exact" },
} as const satisfies Record<string, Precondition>;

export type PreconditionName = keyof typeof PRECONDITIONS;
