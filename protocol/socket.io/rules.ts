/**
 * The spec rule each Socket.IO decode error cites, per protocol version. Both versions share
 * one grammar, so the codec core takes one of these tables and never spells a rule ID itself.
 */
export interface SocketIORules {
  /** The packet type is exactly one digit 0-6; an empty message is no packet. */
  readonly type: string;
  /** `N-` appears only on types 5 and 6, N plain digits in 1..maxAttachments. */
  readonly attachments: string;
  /** The namespace starts with `/` and runs to the first `,` or the end of the text. */
  readonly namespace: string;
  /** An attachment count above the receiver's cap (maxAttachments). */
  readonly attachmentLimit: string;
  /** The ack id is plain decimal digits, no leading zero, at most 2^53-1. */
  readonly ackId: string;
  /** ACK and BINARY_ACK carry an ack id. */
  readonly ackIdRequired: string;
  /** CONNECT, DISCONNECT and CONNECT_ERROR carry no ack id. */
  readonly ackIdNotAllowed: string;
  /** The payload is exactly one JSON value, nothing before or after it. */
  readonly json: string;
  /** CONNECT payload shape (v5: an object if present; v4: none). */
  readonly connect: string;
  /** DISCONNECT carries no payload. */
  readonly disconnect: string;
  /** EVENT payload: mandatory non-empty array, first element a non-reserved string or a number. */
  readonly event: string;
  /** An EVENT named with a reserved name. */
  readonly reservedEvent: string;
  /** ACK: mandatory array payload. */
  readonly ack: string;
  /** CONNECT_ERROR payload shape. */
  readonly connectError: string;
  /** Placeholders: valid shape, num in [0, attachments), each attachment referenced once. */
  readonly placeholder: string;
  /** No text message arrives while attachments are pending. */
  readonly interleaved: string;
  /** A binary message arrives only while attachments are pending. */
  readonly unexpectedBinary: string;
}

/** Rules of spec/socket.io-v5.md. */
export const SIO5_RULES: SocketIORules = {
  type: "SIO5-PACKET-01",
  attachments: "SIO5-BINARY-01",
  attachmentLimit: "SIO5-BINARY-09",
  namespace: "SIO5-NAMESPACE-01",
  ackId: "SIO5-ACK-01",
  ackIdRequired: "SIO5-PACKET-06",
  ackIdNotAllowed: "SIO5-ACK-02",
  json: "SIO5-PACKET-02",
  connect: "SIO5-CONNECT-01",
  disconnect: "SIO5-DISCONNECT-01",
  event: "SIO5-EVENT-01",
  reservedEvent: "SIO5-EVENT-03",
  ack: "SIO5-ACK-03",
  connectError: "SIO5-ERROR-01",
  placeholder: "SIO5-BINARY-02",
  interleaved: "SIO5-BINARY-03",
  unexpectedBinary: "SIO5-BINARY-04",
};

/** Rules of spec/socket.io-v4.md. */
export const SIO4_RULES: SocketIORules = {
  type: "SIO4-PACKET-01",
  attachments: "SIO4-BINARY-01",
  attachmentLimit: "SIO4-BINARY-01",
  namespace: "SIO4-NAMESPACE-01",
  ackId: "SIO4-ACK-01",
  ackIdRequired: "SIO4-PACKET-04",
  ackIdNotAllowed: "SIO4-ACK-02",
  json: "SIO4-PACKET-02",
  connect: "SIO4-CONNECT-01",
  disconnect: "SIO4-DISCONNECT-01",
  event: "SIO4-EVENT-01",
  reservedEvent: "SIO4-EVENT-01",
  ack: "SIO4-ACK-03",
  connectError: "SIO4-ERROR-01",
  placeholder: "SIO4-BINARY-02",
  interleaved: "SIO4-BINARY-03",
  unexpectedBinary: "SIO4-BINARY-04",
};
