/**
 * The Socket.IO faults of the version 3 path: each breaks one rule of spec/socket.io-v4.md at the
 * one spot that enforces it for a session opened with `EIO=3` (the implicit join of `/`, the
 * CONNECT reply without payload, the query string as auth, the v4 ERROR payloads, events, acks,
 * attachments and DISCONNECTs written the version 4 way). They follow the version 5 faults in
 * the kill matrix, and act on v3 sessions only (index.ts).
 */
import type { FaultInfo } from "../fault-info.js";

export const V3_SOCKET_FAULT_TABLE = {
  // ---- connect and namespaces ----
  "v3-root-connect-named": {
    rule: "SIO4-CONNECT-02",
    breaks: "over WebSocket, the unasked CONNECT for / is written 40/, instead of 40",
  },
  "v3-root-reply-v5-form": {
    rule: "SIO4-PACKET-03",
    breaks: 'over polling, the CONNECT for / is written in its v5 form, 40{"sid":...}',
  },
  "v3-connect-reply-with-sid": {
    rule: "SIO4-CONNECT-03",
    breaks: 'the CONNECT reply for a namespace carries {"sid":...}, as in v5',
  },
  "v3-reply-keeps-query": {
    rule: "SIO4-CONNECT-04",
    breaks: "the CONNECT reply names the namespace with the query string of the CONNECT",
  },
  "v3-query-not-auth": { rule: "SIO4-CONNECT-07", breaks: "the query string of a CONNECT is not handed over as auth" },
  "v3-repeated-connect-answered": {
    rule: "SIO4-CONNECT-05",
    breaks: "a CONNECT for a joined namespace joins it again",
  },
  "v3-repeat-connect-closes": {
    rule: "SIO4-CONNECT-06",
    breaks: "a CONNECT repeated before its reply closes the session",
  },
  "v3-namespace-comma-dropped": {
    rule: "SIO4-NAMESPACE-01",
    breaks: "EVENTs on a namespace are written without the `,` after it",
  },
  "v3-unknown-namespace-closes": {
    rule: "SIO4-NAMESPACE-02",
    breaks: "the session is closed after refusing an unknown namespace",
  },
  "v3-unknown-namespace-string": {
    rule: "SIO4-NAMESPACE-03",
    breaks: 'an unknown namespace is refused with the string "Invalid namespace"',
  },
  "v3-refusal-payload-number": {
    rule: "SIO4-ERROR-01",
    breaks: "a middleware refusal carries the number 403 as its payload",
  },
  "v3-refusal-without-message": {
    rule: "SIO4-ERROR-03",
    breaks: 'a middleware refusal carries an object without `message`, {"error":"<message>"}',
  },

  // ---- events and acks ----
  "v3-event-payload-object": {
    rule: "SIO4-EVENT-01",
    breaks: 'an EVENT without ack id, of three arguments or more, is written with the payload {"<name>":[args]}',
  },
  "v3-ack-id-signed": {
    rule: "SIO4-ACK-01",
    breaks: "the ack id of an EVENT the server sends is written with a + sign",
  },
  "v3-ack-payload-object": { rule: "SIO4-ACK-03", breaks: 'an ACK payload is an object {"0":...}, not an array' },
  "v3-ack-id-off-by-one": { rule: "SIO4-ACK-04", breaks: "the ACK answering an EVENT carries its id plus one" },

  // ---- binary ----
  "v3-binary-count-missing": {
    rule: "SIO4-BINARY-01",
    breaks: "over WebSocket, binary packets are written without their attachment count",
  },
  "v3-placeholder-misnumbered": {
    rule: "SIO4-BINARY-02",
    breaks: "over WebSocket, every placeholder num of a BINARY_EVENT is one too high",
  },
  "v3-attachments-first": {
    rule: "SIO4-BINARY-03",
    breaks: "the attachments of a BINARY_EVENT go out before its text",
  },
  "v3-attachments-as-text": {
    rule: "SIO4-BINARY-05",
    breaks: "the attachments of a BINARY_EVENT go out as text messages holding their base64",
  },

  // ---- disconnect ----
  "v3-disconnect-with-payload": { rule: "SIO4-DISCONNECT-01", breaks: "the server writes its DISCONNECTs with {}" },
  "v3-rejoin-ignored": {
    rule: "SIO4-DISCONNECT-02",
    breaks: "a CONNECT for a namespace the client left goes unanswered",
  },
  "v3-leaving-root-closes": {
    rule: "SIO4-DISCONNECT-03",
    breaks: "the session closes when the client leaves /",
  },

  // ---- violations ----
  "v3-bad-packet-ignored": {
    rule: "SIO4-ERROR-02",
    breaks:
      "an undecodable text packet or a CONNECT_ERROR from the client is ignored (a violation with a fault of its own aside)",
  },
  "v3-reserved-event-accepted": { rule: "SIO4-EVENT-02", breaks: "an EVENT with a reserved name is ignored" },
  "v3-ack-leading-zero-accepted": {
    rule: "SIO4-ACK-05",
    breaks: "a packet whose ack id has a leading zero is ignored",
  },
  "v3-empty-ack-accepted": { rule: "SIO4-ACK-06", breaks: "an ACK without payload is ignored" },
} as const satisfies Record<string, FaultInfo>;

/** A Socket.IO fault of the version 3 path. */
export type V3SocketFault = keyof typeof V3_SOCKET_FAULT_TABLE;
