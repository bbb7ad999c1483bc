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
  /** Breaks SIO5-CONNECT-13 (the CONNECT reply holds `sid`, plus `pid` only with recovery): adds an unknown key. */
  | "connect-reply-extra-key"
  /** Breaks SIO5-ERROR-01 (a v5 CONNECT_ERROR payload is an object `{message, data?}`): middleware errors go out as a bare string. */
  | "connect-error-string-in-v5"
  /** Breaks SIO5-NAMESPACE-02 (an unknown namespace is refused and the session stays open): closes the session after the refusal. */
  | "unknown-namespace-closes-session"
  /**
   * Breaks SIO5-PACKET-04 (a packet that does not decode closes the session) for a payload that is
   * not exactly one JSON value (text after it, whitespace around it): the packet is ignored instead.
   */
  | "no-close-on-invalid-packet"
  /** Breaks SIO5-PACKET-04 for an unknown packet type or an empty text (SIO5-PACKET-01): the packet is ignored instead. */
  | "unknown-type-accepted"
  /** Breaks SIO5-EVENT-01 (an EVENT whose payload is not a non-empty array closes the session): the packet is ignored instead. */
  | "bad-event-payload-accepted"
  /**
   * Breaks SIO5-PACKET-04 for ack ids and ACK payloads: an ack id with a sign, a leading zero, letters
   * or above 2^53-1, and an ACK without an array payload are ignored instead of closing the session.
   */
  | "bad-ack-accepted"
  /**
   * Breaks SIO5-PACKET-04 for CONNECT and DISCONNECT packets: a CONNECT payload that is no object, a
   * DISCONNECT with a payload or an ack id are ignored instead of closing the session.
   */
  | "bad-connect-accepted"
  /**
   * Breaks SIO5-PACKET-04 for binary packets: an attachment count of 0, a placeholder out of range or
   * repeated, a text while attachments are awaited, an attachment nobody announced are ignored.
   */
  | "bad-binary-accepted"
  /** Breaks SIO5-CONNECT-05 (a second CONNECT to a joined namespace closes the session): it is answered like the first. */
  | "duplicate-connect-accepted"
  /** Breaks SIO5-DISCONNECT-02 (the session stays open when the client leaves its last namespace): it closes. */
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
  | "recovery-offset-missing"
  /** Breaks SIO5-NAMESPACE-04 (a packet for a namespace the client has not joined closes the session): it is ignored. */
  | "unjoined-namespace-packet-ignored"
  /** Breaks SIO5-CONNECT-04 (the namespace sid differs from the Engine.IO sid): the CONNECT reply carries the Engine.IO sid. */
  | "namespace-sid-is-engine-sid"
  /** Breaks SIO5-CONNECT-02 (no CONNECT before the client asks): the server joins the client to `/` right after the handshake, as in v4. */
  | "unprompted-connect-reply"
  /** Breaks SIO5-CONNECT-09 (a CONNECT may come before the reply to another): a CONNECT that arrives while another namespace is being decided is dropped. */
  | "second-connect-before-reply-dropped"
  /** Breaks SIO5-CONNECT-11 (a CONNECT repeated before its reply does not close the session): it closes the session. */
  | "repeat-connect-closes"
  /** Breaks SIO5-CONNECT-12 (a CONNECT repeated before its reply is answered once): the repeat is decided and answered too. */
  | "repeat-connect-answered-twice"
  /**
   * Breaks SIO5-CONNECT-07 (the CONNECT reply comes before any other packet on its namespace): on a
   * namespace other than `/` it is sent after the application's connection handler ran.
   */
  | "connect-reply-late"
  /** Breaks SIO5-NAMESPACE-08 (a namespace that ends the text without its `,` is accepted): such a packet closes the session. */
  | "namespace-comma-required"
  /** Breaks SIO5-CONNECT-06 (the auth object reaches the application unchanged): the CONNECT payload is dropped and the application gets `{}`. */
  | "auth-dropped"
  /** Breaks SIO5-ACK-10 (an ACK matching an acknowledgement the server waits for reaches whoever asked): every client ACK is ignored. */
  | "client-ack-ignored"
  /** Breaks SIO5-ACK-06 (an ACK with an id nobody waits for is ignored): it closes the session. */
  | "unknown-ack-closes"
  /** Breaks SIO5-EVENT-05 (an event's arguments reach the application unchanged): the last argument is dropped. */
  | "event-args-last-dropped"
  /** Breaks SIO5-EVENT-07 (events are delivered in the order they were sent): events that arrive together are delivered pairwise swapped. */
  | "events-reordered"
  /** Breaks SIO5-EVENT-01 (a number is a valid event name): an event named by a number closes the session. */
  | "numeric-event-name-refused"
  /** Breaks SIO5-NAMESPACE-01 (a sender writes the `,` after every namespace but `/`): the comma is left out of every packet the server sends. */
  | "namespace-written-without-comma"
  /** Breaks SIO5-NAMESPACE-03 (in v5 a `?` is part of the namespace name): the name is cut at the `?`, as in v4. */
  | "namespace-query-stripped"
  /** Breaks SIO5-NAMESPACE-03 (names are compared exactly): a name is looked up in lower case and without a trailing `/`. */
  | "namespace-name-folded"
  /** Breaks SIO5-NAMESPACE-06 (leaving one namespace leaves the others alone): a client DISCONNECT silently leaves every namespace. */
  | "disconnect-leaves-all"
  /** Breaks SIO5-DISCONNECT-04 (a CONNECT after a DISCONNECT is handled as a first one): a CONNECT for a namespace the client left goes unanswered. */
  | "rejoin-ignored"
  /** Breaks SIO5-ACK-07 (no two outstanding requests share an ack id): every ack the server asks for carries the id 0. */
  | "server-ack-id-reused"
  /** Breaks SIO5-PACKET-05 (the parts of a packet come in the grammar's order): a binary packet on a namespace carries its count after the namespace. */
  | "binary-count-after-namespace"
  /** Breaks SIO5-BINARY-08 (a zero-byte attachment is delivered): an empty binary message is ignored, so its packet waits for ever. */
  | "empty-attachment-ignored"
  /** Breaks SIO5-ERROR-05 (nothing behind a violation is delivered): the close waits for the messages that arrived with it to be handled. */
  | "close-after-rest-of-payload"
  /** Breaks SIO5-ERROR-01 (a CONNECT_ERROR carries the application's `data`): the data of a middleware error is left out. */
  | "middleware-error-data-dropped"
  /** Breaks SIO5-NAMESPACE-07 (a CONNECT after a refusal is handled as a first one): after a middleware refusal, later CONNECTs to that namespace go unanswered. */
  | "refusal-sticky"
  /** Breaks SIO5-BINARY-06 (a placeholder-shaped object in a plain EVENT is data): it is replaced by an empty binary value. */
  | "placeholder-substituted-in-event"
  /** Breaks SIO5-ERROR-04 (a CONNECT_ERROR from a client closes the session): it is ignored. */
  | "connect-error-from-client-ignored"
  /** Breaks SIO5-DISCONNECT-05 (a server that removes a client from a namespace sends it a DISCONNECT): no DISCONNECT is sent. */
  | "server-disconnect-without-packet"
  /**
   * Breaks the server-side close that SIO5-DISCONNECT-05 and SIO5-ERROR-03 describe, as the echo
   * contract's `close-me` asks for it (`disconnect(true)` closes the whole Engine.IO session):
   * only the DISCONNECTs go out and the session stays open.
   */
  | "close-me-keeps-session"
  /** Breaks SIO5-TIMEOUT-02 (once a namespace is joined no deadline applies): the connect deadline keeps running, so a session that joined and left is closed. */
  | "connect-timeout-not-cleared"
  /** Breaks SIO5-TIMEOUT-03 (a refused CONNECT does not stop the deadline): the refusal of an unknown namespace stops it. */
  | "deadline-stopped-by-refusal"
  /** Breaks SIO5-RECOVERY-06 (a restored socket keeps its sid): the restored socket gets a new sid. */
  | "recovery-sid-changed"
  /** Breaks SIO5-RECOVERY-05 (a CONNECT whose pid cannot be restored is a new one, not a violation): it closes the session. */
  | "recovery-unknown-pid-closes"
  /** Breaks DROP-11 (when the Engine.IO session closes, every namespace socket of it is disconnected at once): only the one on `/` is. */
  | "engine-close-spares-namespaces"
  /** Breaks SIO5-CONNECT-03 (the CONNECT reply carries a non-empty string `sid`): the sid is the empty string. */
  | "connect-reply-empty-sid"
  /** Breaks SIO5-RECOVERY-04 (a restored socket gets the events it missed): the socket is restored, its missed events are dropped. */
  | "missed-events-not-replayed"
  /** Breaks SIO5-EVENT-04 (an EVENT without payload closes the session): `42`, `42/custom,`, `4212` are ignored instead. */
  | "empty-event-accepted"
  /** Breaks SIO5-CONNECT-10 (a middleware refusal keeps the session open): the session is closed after the CONNECT_ERROR. */
  | "refusal-closes-session"
  /** Breaks SIO5-DISCONNECT-03 (a DISCONNECT is not answered): the server answers a client DISCONNECT with its own. */
  | "client-disconnect-answered"
  /** Breaks SIO5-ACK-08 (an ACK answers only an EVENT of its own namespace): a client ACK is offered to every namespace of the session. */
  | "ack-namespace-crossed"
  /** Breaks SIO5-DISCONNECT-01 (a DISCONNECT carries no payload): the server writes its DISCONNECTs with a `{}` payload. */
  | "disconnect-with-payload"
  /** Breaks SIO5-ERROR-02 (a violation closes the whole session): a violation on a namespace other than `/` only drops that namespace, silently. */
  | "violation-spares-session"
  /** Breaks SIO5-CONNECT-08 (a first packet that is not a CONNECT closes the session): it is ignored, as long as no CONNECT came. */
  | "packet-before-connect-ignored"
  /** Breaks SIO5-ACK-01 (every ack id up to 2^53-1 is accepted): an EVENT whose ack id does not fit in 31 bits closes the session. */
  | "large-ack-id-refused"
  /** Breaks SIO5-ACK-03 (an ACK payload is an array, possibly empty): an ACK with no arguments is written without its `[]`. */
  | "ack-empty-payload-omitted"
  /** Breaks SIO5-ACK-09 (an ack with binary arguments is a BINARY_ACK): it goes out with type 3, count and attachments kept. */
  | "binary-ack-typed-as-ack"
  /** Breaks SIO5-BINARY-03 (attachments follow in the order of their numbers): a packet with several attachments sends them last first. */
  | "attachments-reversed"
  /** Breaks SIO5-CONNECT-01 (any JSON object is a valid auth payload): an auth object holding an object or array closes the session. */
  | "nested-auth-refused"
  /** Breaks SIO5-BINARY-10 (binary data goes as attachments): an EVENT holding bytes goes out as a plain EVENT with each byte array as a base64 string. */
  | "binary-event-as-base64"
  /** Breaks SIO5-RECOVERY-01 (with recovery on, the CONNECT reply carries a `pid`): the pid is left out. */
  | "recovery-pid-missing"
  /** Breaks SIO5-BINARY-01 (a binary packet carries its attachment count, at least 1): the count written is one too low (`450-` for one attachment). */
  | "binary-count-one-low"
  /** Breaks SIO5-PACKET-07 (the namespace is left out when it is `/`): the CONNECT reply on `/` is written `0/,{...}`. */
  | "root-namespace-written"
  /** Breaks SIO5-PACKET-03 (one Engine.IO message holds one packet): over polling, the CONNECT reply on a namespace other than `/` goes out in one message with the packet after it. */
  | "connect-reply-shares-message"
  /** Breaks SIO5-BINARY-07 (an attachment is one Engine.IO binary message): over polling, attachments go out as text messages holding their base64. */
  | "polling-attachment-as-text";

/** Every fault switch, in the order documented above. */
export const SOCKET_FAULTS: readonly SocketFault[] = [
  "ack-id-off-by-one",
  "connect-reply-extra-key",
  "connect-error-string-in-v5",
  "unknown-namespace-closes-session",
  "no-close-on-invalid-packet",
  "unknown-type-accepted",
  "bad-event-payload-accepted",
  "bad-ack-accepted",
  "bad-connect-accepted",
  "bad-binary-accepted",
  "duplicate-connect-accepted",
  "disconnect-closes-engine",
  "connect-timeout-ignored",
  "binary-placeholder-misnumbered",
  "event-without-ack-gets-ack",
  "reserved-event-accepted",
  "attachments-not-awaited",
  "recovery-offset-missing",
  "unjoined-namespace-packet-ignored",
  "namespace-sid-is-engine-sid",
  "unprompted-connect-reply",
  "second-connect-before-reply-dropped",
  "repeat-connect-closes",
  "repeat-connect-answered-twice",
  "connect-reply-late",
  "namespace-comma-required",
  "auth-dropped",
  "client-ack-ignored",
  "unknown-ack-closes",
  "event-args-last-dropped",
  "events-reordered",
  "numeric-event-name-refused",
  "namespace-written-without-comma",
  "namespace-query-stripped",
  "namespace-name-folded",
  "disconnect-leaves-all",
  "rejoin-ignored",
  "server-ack-id-reused",
  "binary-count-after-namespace",
  "empty-attachment-ignored",
  "close-after-rest-of-payload",
  "middleware-error-data-dropped",
  "refusal-sticky",
  "placeholder-substituted-in-event",
  "connect-error-from-client-ignored",
  "server-disconnect-without-packet",
  "close-me-keeps-session",
  "connect-timeout-not-cleared",
  "deadline-stopped-by-refusal",
  "recovery-sid-changed",
  "recovery-unknown-pid-closes",
  "engine-close-spares-namespaces",
  "connect-reply-empty-sid",
  "missed-events-not-replayed",
  "empty-event-accepted",
  "refusal-closes-session",
  "client-disconnect-answered",
  "ack-namespace-crossed",
  "disconnect-with-payload",
  "violation-spares-session",
  "packet-before-connect-ignored",
  "large-ack-id-refused",
  "ack-empty-payload-omitted",
  "binary-ack-typed-as-ack",
  "attachments-reversed",
  "nested-auth-refused",
  "binary-event-as-base64",
  "recovery-pid-missing",
  "binary-count-one-low",
  "root-namespace-written",
  "connect-reply-shares-message",
  "polling-attachment-as-text",
];

/** The rule each fault switch breaks (the first its doc above names), e.g. for the kill matrix legend. */
export const SOCKET_FAULT_RULES: Readonly<Record<SocketFault, string>> = {
  "ack-id-off-by-one": "SIO5-ACK-04",
  "connect-reply-extra-key": "SIO5-CONNECT-13",
  "connect-error-string-in-v5": "SIO5-ERROR-01",
  "unknown-namespace-closes-session": "SIO5-NAMESPACE-02",
  "no-close-on-invalid-packet": "SIO5-PACKET-04",
  "unknown-type-accepted": "SIO5-PACKET-04",
  "bad-event-payload-accepted": "SIO5-EVENT-01",
  "bad-ack-accepted": "SIO5-PACKET-04",
  "bad-connect-accepted": "SIO5-PACKET-04",
  "bad-binary-accepted": "SIO5-PACKET-04",
  "duplicate-connect-accepted": "SIO5-CONNECT-05",
  "disconnect-closes-engine": "SIO5-DISCONNECT-02",
  "connect-timeout-ignored": "SIO5-TIMEOUT-01",
  "binary-placeholder-misnumbered": "SIO5-BINARY-02",
  "event-without-ack-gets-ack": "SIO5-ACK-05",
  "reserved-event-accepted": "SIO5-EVENT-03",
  "attachments-not-awaited": "SIO5-BINARY-05",
  "recovery-offset-missing": "SIO5-RECOVERY-02",
  "unjoined-namespace-packet-ignored": "SIO5-NAMESPACE-04",
  "namespace-sid-is-engine-sid": "SIO5-CONNECT-04",
  "unprompted-connect-reply": "SIO5-CONNECT-02",
  "second-connect-before-reply-dropped": "SIO5-CONNECT-09",
  "repeat-connect-closes": "SIO5-CONNECT-11",
  "repeat-connect-answered-twice": "SIO5-CONNECT-12",
  "connect-reply-late": "SIO5-CONNECT-07",
  "namespace-comma-required": "SIO5-NAMESPACE-08",
  "auth-dropped": "SIO5-CONNECT-06",
  "client-ack-ignored": "SIO5-ACK-10",
  "unknown-ack-closes": "SIO5-ACK-06",
  "event-args-last-dropped": "SIO5-EVENT-05",
  "events-reordered": "SIO5-EVENT-07",
  "numeric-event-name-refused": "SIO5-EVENT-01",
  "namespace-written-without-comma": "SIO5-NAMESPACE-01",
  "namespace-query-stripped": "SIO5-NAMESPACE-03",
  "namespace-name-folded": "SIO5-NAMESPACE-03",
  "disconnect-leaves-all": "SIO5-NAMESPACE-06",
  "rejoin-ignored": "SIO5-DISCONNECT-04",
  "server-ack-id-reused": "SIO5-ACK-07",
  "binary-count-after-namespace": "SIO5-PACKET-05",
  "empty-attachment-ignored": "SIO5-BINARY-08",
  "close-after-rest-of-payload": "SIO5-ERROR-05",
  "middleware-error-data-dropped": "SIO5-ERROR-01",
  "refusal-sticky": "SIO5-NAMESPACE-07",
  "placeholder-substituted-in-event": "SIO5-BINARY-06",
  "connect-error-from-client-ignored": "SIO5-ERROR-04",
  "server-disconnect-without-packet": "SIO5-DISCONNECT-05",
  "close-me-keeps-session": "SIO5-DISCONNECT-05",
  "connect-timeout-not-cleared": "SIO5-TIMEOUT-02",
  "deadline-stopped-by-refusal": "SIO5-TIMEOUT-03",
  "recovery-sid-changed": "SIO5-RECOVERY-06",
  "recovery-unknown-pid-closes": "SIO5-RECOVERY-05",
  "engine-close-spares-namespaces": "DROP-11",
  "connect-reply-empty-sid": "SIO5-CONNECT-03",
  "missed-events-not-replayed": "SIO5-RECOVERY-04",
  "empty-event-accepted": "SIO5-EVENT-04",
  "refusal-closes-session": "SIO5-CONNECT-10",
  "client-disconnect-answered": "SIO5-DISCONNECT-03",
  "ack-namespace-crossed": "SIO5-ACK-08",
  "disconnect-with-payload": "SIO5-DISCONNECT-01",
  "violation-spares-session": "SIO5-ERROR-02",
  "packet-before-connect-ignored": "SIO5-CONNECT-08",
  "large-ack-id-refused": "SIO5-ACK-01",
  "ack-empty-payload-omitted": "SIO5-ACK-03",
  "binary-ack-typed-as-ack": "SIO5-ACK-09",
  "attachments-reversed": "SIO5-BINARY-03",
  "nested-auth-refused": "SIO5-CONNECT-01",
  "binary-event-as-base64": "SIO5-BINARY-10",
  "recovery-pid-missing": "SIO5-RECOVERY-01",
  "binary-count-one-low": "SIO5-BINARY-01",
  "root-namespace-written": "SIO5-PACKET-07",
  "connect-reply-shares-message": "SIO5-PACKET-03",
  "polling-attachment-as-text": "SIO5-BINARY-07",
};

/**
 * The decode errors each lenient-decoding fault lets through, by the rule the error cites: the
 * packet is dropped and the session stays open, as a server without that check would do.
 */
const LENIENT_DECODING: Partial<Record<SocketFault, readonly string[]>> = {
  "no-close-on-invalid-packet": ["SIO5-PACKET-02"],
  "unknown-type-accepted": ["SIO5-PACKET-01"],
  "bad-event-payload-accepted": ["SIO5-EVENT-01"],
  // `42abc[...]` fails as a namespace without its slash: letters where the ack id stands.
  "bad-ack-accepted": ["SIO5-ACK-01", "SIO5-ACK-03", "SIO5-NAMESPACE-01"],
  "bad-connect-accepted": ["SIO5-CONNECT-01", "SIO5-DISCONNECT-01", "SIO5-ACK-02"],
  "bad-binary-accepted": ["SIO5-BINARY-01", "SIO5-BINARY-02", "SIO5-BINARY-03", "SIO5-BINARY-04"],
};

/** True when one of `faults` lets a decode error citing `rule` through. */
export function toleratesDecodeError(faults: ReadonlySet<SocketFault>, rule: string): boolean {
  for (const fault of faults) if (LENIENT_DECODING[fault]?.includes(rule)) return true;
  return false;
}

/** True when `name` is one of the fault switches above. */
export function isSocketFault(name: string): name is SocketFault {
  return (SOCKET_FAULTS as readonly string[]).includes(name);
}
