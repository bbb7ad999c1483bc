/**
 * The Socket.IO faults of the mutant servers: each breaks exactly one rule of spec/socket.io-v5.md
 * (or socket.io-v4.md) at the one spot that enforces it, so a mutant differs from the reference
 * server in that one behaviour only. A conformance case that no mutant makes fail checks nothing;
 * these exist to prove the cases do check something. The order is the kill matrix's, and a
 * fault's name is its mutant ID (`sio:<name>`): neither changes.
 */
import type { FaultInfo } from "../fault-info.js";
import { V3_SOCKET_FAULT_TABLE } from "./v3-catalogue.js";

const catalogue = {
  "ack-id-off-by-one": { rule: "SIO5-ACK-04", breaks: "the ACK answering an EVENT carries its id plus one" },
  "connect-reply-extra-key": { rule: "SIO5-CONNECT-13", breaks: "the CONNECT reply holds an unknown key, `nsp`" },
  "connect-error-string-in-v5": {
    rule: "SIO5-ERROR-01",
    breaks: "a middleware refusal goes out in v5 as a bare string instead of `{message, data?}`",
  },
  "unknown-namespace-closes-session": {
    rule: "SIO5-NAMESPACE-02",
    breaks: "the session is closed after refusing an unknown namespace",
  },
  "no-close-on-invalid-packet": {
    rule: "SIO5-PACKET-04",
    breaks: "a payload that is not exactly one JSON value (text after it, whitespace around it) is ignored",
  },
  "unknown-type-accepted": {
    rule: "SIO5-PACKET-04",
    breaks: "an unknown packet type or an empty text (SIO5-PACKET-01) is ignored",
  },
  "bad-event-payload-accepted": {
    rule: "SIO5-EVENT-01",
    breaks: "an EVENT whose payload is not a non-empty array is ignored",
  },
  "bad-ack-accepted": {
    rule: "SIO5-PACKET-04",
    breaks: "an ack id with a sign, a leading zero, letters or above 2^53-1, and an ACK without an array, are ignored",
  },
  "bad-connect-accepted": {
    rule: "SIO5-PACKET-04",
    breaks: "a CONNECT payload that is no object, a DISCONNECT with a payload or an ack id, are ignored",
  },
  "bad-binary-accepted": {
    rule: "SIO5-PACKET-04",
    breaks:
      "a bad attachment count or placeholder, a text while attachments are awaited, a stray attachment, are ignored",
  },
  "duplicate-connect-accepted": {
    rule: "SIO5-CONNECT-05",
    breaks: "a second CONNECT to a joined namespace is answered like the first",
  },
  "disconnect-closes-engine": {
    rule: "SIO5-DISCONNECT-02",
    breaks: "the session closes when the client leaves its last namespace",
  },
  "connect-timeout-ignored": { rule: "SIO5-TIMEOUT-01", breaks: "no connect deadline is set" },
  "binary-placeholder-misnumbered": {
    rule: "SIO5-BINARY-02",
    breaks: "every placeholder num the server writes is one too high",
  },
  "event-without-ack-gets-ack": {
    rule: "SIO5-ACK-05",
    breaks: "handlers of an EVENT without ack id get an ack function that answers with id 0",
  },
  "reserved-event-accepted": { rule: "SIO5-EVENT-03", breaks: "an EVENT with a reserved name is dispatched" },
  "attachments-not-awaited": {
    rule: "SIO5-BINARY-05",
    breaks: "a binary packet is dispatched at once, placeholders in place, and its attachments dropped",
  },
  "recovery-offset-missing": {
    rule: "SIO5-RECOVERY-02",
    breaks: "with recovery on, an EVENT without ack goes out without its offset",
  },
  "unjoined-namespace-packet-ignored": {
    rule: "SIO5-NAMESPACE-04",
    breaks: "a packet for a namespace the client has not joined is ignored",
  },
  "namespace-sid-is-engine-sid": {
    rule: "SIO5-CONNECT-04",
    breaks: "the CONNECT reply carries the Engine.IO sid",
  },
  "unprompted-connect-reply": {
    rule: "SIO5-CONNECT-02",
    breaks: "the server joins the client to `/` right after the handshake, as in v4",
  },
  "second-connect-before-reply-dropped": {
    rule: "SIO5-CONNECT-09",
    breaks: "a CONNECT that arrives while another namespace is being decided is dropped",
  },
  "repeat-connect-closes": {
    rule: "SIO5-CONNECT-11",
    breaks: "a CONNECT repeated before its reply closes the session",
  },
  "repeat-connect-answered-twice": {
    rule: "SIO5-CONNECT-12",
    breaks: "a CONNECT repeated before its reply is decided and answered too",
  },
  "connect-reply-late": {
    rule: "SIO5-CONNECT-07",
    breaks: "on a namespace other than `/` the CONNECT reply goes out after the connection handler ran",
  },
  "namespace-comma-required": {
    rule: "SIO5-NAMESPACE-08",
    breaks: "a namespace that ends the text without its `,` closes the session",
  },
  "auth-dropped": { rule: "SIO5-CONNECT-06", breaks: "the CONNECT payload is dropped and the application gets `{}`" },
  "client-ack-ignored": { rule: "SIO5-ACK-10", breaks: "every client ACK is ignored" },
  "unknown-ack-closes": { rule: "SIO5-ACK-06", breaks: "an ACK with an id nobody waits for closes the session" },
  "event-args-last-dropped": { rule: "SIO5-EVENT-05", breaks: "the last argument of an event is dropped" },
  "events-reordered": {
    rule: "SIO5-EVENT-07",
    breaks: "events that arrive together are delivered pairwise swapped",
  },
  "numeric-event-name-refused": {
    rule: "SIO5-EVENT-01",
    breaks: "an event named by a number closes the session",
  },
  "namespace-written-without-comma": {
    rule: "SIO5-NAMESPACE-01",
    breaks: "the `,` after the namespace is left out of every packet the server sends",
  },
  "namespace-query-stripped": {
    rule: "SIO5-NAMESPACE-03",
    breaks: "a v5 namespace name is cut at the `?`, as in v4",
  },
  "namespace-name-folded": {
    rule: "SIO5-NAMESPACE-03",
    breaks: "a namespace name is looked up in lower case and without a trailing `/`",
  },
  "disconnect-leaves-all": {
    rule: "SIO5-NAMESPACE-06",
    breaks: "a client DISCONNECT silently leaves every namespace",
  },
  "rejoin-ignored": {
    rule: "SIO5-DISCONNECT-04",
    breaks: "a CONNECT for a namespace the client left goes unanswered",
  },
  "server-ack-id-reused": { rule: "SIO5-ACK-07", breaks: "every ack the server asks for carries the id 0" },
  "binary-count-after-namespace": {
    rule: "SIO5-PACKET-05",
    breaks: "a binary packet on a namespace carries its attachment count after the namespace",
  },
  "empty-attachment-ignored": {
    rule: "SIO5-BINARY-08",
    breaks: "a zero-byte attachment is ignored, so its packet waits for ever",
  },
  "close-after-rest-of-payload": {
    rule: "SIO5-ERROR-05",
    breaks: "the close for a violation waits for the messages that arrived with it to be handled",
  },
  "middleware-error-data-dropped": {
    rule: "SIO5-ERROR-01",
    breaks: "the data of a middleware refusal is left out of the CONNECT_ERROR",
  },
  "refusal-sticky": {
    rule: "SIO5-NAMESPACE-07",
    breaks: "after a middleware refusal, later CONNECTs to that namespace go unanswered",
  },
  "placeholder-substituted-in-event": {
    rule: "SIO5-BINARY-06",
    breaks: "a placeholder-shaped object in a plain EVENT is replaced by an empty binary value",
  },
  "connect-error-from-client-ignored": {
    rule: "SIO5-ERROR-04",
    breaks: "a CONNECT_ERROR from a client is ignored",
  },
  "server-disconnect-without-packet": {
    rule: "SIO5-DISCONNECT-05",
    breaks: "a socket the server disconnects is sent no DISCONNECT",
  },
  "close-me-keeps-session": {
    rule: "SIO5-DISCONNECT-05",
    breaks: "`disconnect(true)` sends the DISCONNECTs but keeps the Engine.IO session open",
  },
  "connect-timeout-not-cleared": {
    rule: "SIO5-TIMEOUT-02",
    breaks: "the connect deadline keeps running after a join, so a session that joined and left is closed",
  },
  "deadline-stopped-by-refusal": {
    rule: "SIO5-TIMEOUT-03",
    breaks: "refusing an unknown namespace stops the connect deadline",
  },
  "recovery-sid-changed": { rule: "SIO5-RECOVERY-06", breaks: "a restored socket gets a new sid" },
  "recovery-unknown-pid-closes": {
    rule: "SIO5-RECOVERY-05",
    breaks: "a CONNECT whose pid cannot be restored closes the session",
  },
  "engine-close-spares-namespaces": {
    rule: "DROP-11",
    breaks: "when the Engine.IO session closes, only the socket on `/` is disconnected",
  },
  "connect-reply-empty-sid": { rule: "SIO5-CONNECT-03", breaks: "the sid of the CONNECT reply is the empty string" },
  "missed-events-not-replayed": {
    rule: "SIO5-RECOVERY-04",
    breaks: "a socket is restored but the events it missed are dropped",
  },
  "empty-event-accepted": {
    rule: "SIO5-EVENT-04",
    breaks: "an EVENT without payload (`42`, `42/custom,`, `4212`) is ignored",
  },
  "refusal-closes-session": {
    rule: "SIO5-CONNECT-10",
    breaks: "the session is closed after a middleware refusal's CONNECT_ERROR",
  },
  "client-disconnect-answered": {
    rule: "SIO5-DISCONNECT-03",
    breaks: "the server answers a client DISCONNECT with its own",
  },
  "ack-namespace-crossed": {
    rule: "SIO5-ACK-08",
    breaks: "a client ACK is offered to every namespace of the session",
  },
  "disconnect-with-payload": {
    rule: "SIO5-DISCONNECT-01",
    breaks: "the server writes its DISCONNECTs with a `{}` payload",
  },
  "violation-spares-session": {
    rule: "SIO5-ERROR-02",
    breaks: "a violation on a namespace other than `/` only drops that namespace, silently",
  },
  "packet-before-connect-ignored": {
    rule: "SIO5-CONNECT-08",
    breaks: "a packet other than CONNECT is ignored as long as no CONNECT came",
  },
  "large-ack-id-refused": {
    rule: "SIO5-ACK-01",
    breaks: "an EVENT whose ack id does not fit in 31 bits closes the session",
  },
  "ack-empty-payload-omitted": {
    rule: "SIO5-ACK-03",
    breaks: "an ACK with no arguments is written without its `[]`",
  },
  "binary-ack-typed-as-ack": {
    rule: "SIO5-ACK-09",
    breaks: "an ack with binary arguments goes out with type 3, count and attachments kept",
  },
  "attachments-reversed": {
    rule: "SIO5-BINARY-03",
    breaks: "a packet with several attachments sends them last first",
  },
  "nested-auth-refused": {
    rule: "SIO5-CONNECT-01",
    breaks: "an auth object holding an object or array closes the session",
  },
  "binary-event-as-base64": {
    rule: "SIO5-BINARY-10",
    breaks: "an EVENT holding bytes goes out as a plain EVENT, each byte array a base64 string",
  },
  "recovery-pid-missing": { rule: "SIO5-RECOVERY-01", breaks: "with recovery on, the CONNECT reply has no `pid`" },
  "binary-count-one-low": {
    rule: "SIO5-BINARY-01",
    breaks: "the attachment count written is one too low (`450-` for one attachment)",
  },
  "root-namespace-written": {
    rule: "SIO5-PACKET-07",
    breaks: "the CONNECT reply on `/` is written `0/,{...}`",
  },
  "connect-reply-shares-message": {
    rule: "SIO5-PACKET-03",
    breaks: "over polling, the CONNECT reply on a namespace other than `/` shares one message with the next packet",
  },
  "polling-attachment-as-text": {
    rule: "SIO5-BINARY-07",
    breaks: "over polling, attachments go out as text messages holding their base64",
  },
} as const satisfies Record<string, FaultInfo>;

/** A Socket.IO fault's name, of either version's path (v3-catalogue.ts). */
export type SocketFault = keyof typeof catalogue | keyof typeof V3_SOCKET_FAULT_TABLE;

/** Every Socket.IO fault with the rule it breaks and what the mutant does instead, in the matrix's order: the v5 path's, then the v4 path's. */
export const SOCKET_FAULTS: Readonly<Record<SocketFault, FaultInfo>> = { ...catalogue, ...V3_SOCKET_FAULT_TABLE };
