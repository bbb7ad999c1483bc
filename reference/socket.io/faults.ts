/**
 * Fault switches for the conformance suite's mutant servers. Each one breaks exactly one rule
 * of spec/socket.io-v5.md (or socket.io-v4.md), and each is read at exactly one spot of the
 * Socket.IO layer, so a mutant differs from the reference server in that one behaviour only.
 * A conformance case that no mutant can make fail checks nothing; these exist to prove the
 * cases do check something.
 */
export type SocketFault =
  /** Breaks SIO5-ACK-04 (an ACK carries the id of the EVENT it answers): the reply id is one too high. */
  | "ack-id-off-by-one"
  /** Breaks SIO5-CONNECT-03 (the CONNECT reply holds `sid`, plus `pid` only with recovery): adds an unknown key. */
  | "connect-reply-extra-key"
  /** Breaks SIO5-ERROR-01 (a v5 CONNECT_ERROR payload is an object `{message, data?}`): middleware errors go out as a bare string. */
  | "connect-error-string-in-v5"
  /** Breaks SIO5-NAMESPACE-02 (an unknown namespace is refused and the session stays open): closes the session after the refusal. */
  | "unknown-namespace-closes-session"
  /** Breaks SIO5-PACKET-04 (a packet that does not decode closes the session): it is ignored instead. */
  | "no-close-on-invalid-packet"
  /** Breaks SIO5-CONNECT-05 (a second CONNECT to a joined namespace closes the session): it is answered like the first. */
  | "duplicate-connect-accepted"
  /** Breaks SIO5-DISCONNECT-02 (the session stays open when the client leaves its last namespace): a client DISCONNECT closes it. */
  | "disconnect-closes-engine"
  /** Breaks SIO5-TIMEOUT-01 (a session with no CONNECT within connectTimeout is closed): no deadline is set. */
  | "connect-timeout-ignored"
  /** Breaks SIO5-BINARY-02 (placeholders are numbered from 0 in attachment order): every num is one too high. */
  | "binary-placeholder-misnumbered"
  /** Breaks SIO5-ACK-05 (an EVENT without an ack id gets no ACK): handlers get an ack function that answers with id 0. */
  | "event-without-ack-gets-ack"
  /** Breaks SIO5-EVENT-03 (a reserved event name closes the session): the event is dispatched. */
  | "reserved-event-accepted"
  /** Breaks SIO5-BINARY-05 (a binary packet is delivered only once all its attachments arrived): it is dispatched at once, placeholders in place, and the attachments are dropped. */
  | "attachments-not-awaited"
  /** Breaks SIO5-RECOVERY-02 (with recovery on, an EVENT without ack carries its offset as the last argument): the offset is left out. */
  | "recovery-offset-missing";

/** Every fault switch, in the order documented above. */
export const SOCKET_FAULTS: readonly SocketFault[] = [
  "ack-id-off-by-one",
  "connect-reply-extra-key",
  "connect-error-string-in-v5",
  "unknown-namespace-closes-session",
  "no-close-on-invalid-packet",
  "duplicate-connect-accepted",
  "disconnect-closes-engine",
  "connect-timeout-ignored",
  "binary-placeholder-misnumbered",
  "event-without-ack-gets-ack",
  "reserved-event-accepted",
  "attachments-not-awaited",
  "recovery-offset-missing",
];

/** True when `name` is one of the fault switches above. */
export function isSocketFault(name: string): name is SocketFault {
  return (SOCKET_FAULTS as readonly string[]).includes(name);
}
