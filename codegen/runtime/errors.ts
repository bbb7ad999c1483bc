/**
 * The errors of the generated code. A validation failure names the event, the JSON pointer into
 * its arguments, and a code: REQUEST_VALIDATION_ERROR for an event's arguments,
 * RESPONSE_VALIDATION_ERROR for an acknowledgement's. The same facts travel to the peer as a
 * plain object (the envelope), as the argument of the acknowledgement it asked for, so that its
 * request fails at once instead of timing out.
 *
 * This file is copied into every generated package: it imports nothing and runs in Node and in
 * browsers alike.
 */

/** What kind of failure: an event's arguments, an acknowledgement's arguments, or a handler that threw. */
export type ContractErrorCode = "REQUEST_VALIDATION_ERROR" | "RESPONSE_VALIDATION_ERROR" | "UNKNOWN_ERROR";

/**
 * Where the failure was seen: `received` (we got something invalid from the peer), `sent` (we
 * were about to send something invalid, and did not), `peer` (the peer refused what we sent and
 * told us so in its acknowledgement).
 */
export type FailureSide = "received" | "sent" | "peer";

/** A failure as it crosses the wire: the single argument of an acknowledgement. */
export interface ContractErrorEnvelope {
  code: ContractErrorCode;
  namespace: string;
  event: string;
  /** JSON pointer into the arguments (`/0/text`); empty when the argument list as a whole is wrong. */
  pointer: string;
  /** The JSON Schema keyword that failed (`type`, `required`...), `event` for an unknown event, `ack` for a missing or unexpected acknowledgement, `handler` for UNKNOWN_ERROR. */
  keyword: string;
  /** What was wrong, in words. */
  message: string;
}

/** Facts about one failure, before it becomes an error. */
export interface FailureDetail {
  pointer: string;
  keyword: string;
  message: string;
}

const CODES: ReadonlySet<string> = new Set(["REQUEST_VALIDATION_ERROR", "RESPONSE_VALIDATION_ERROR", "UNKNOWN_ERROR"]);

/** A value that failed the catalogue's schemas, or a handler that failed while answering. */
export class SocketContractError extends Error {
  readonly code: ContractErrorCode;
  readonly side: FailureSide;
  readonly namespace: string;
  readonly event: string;
  readonly pointer: string;
  readonly keyword: string;
  /** The message without the code, event and namespace in front. */
  readonly detail: string;

  constructor(code: ContractErrorCode, side: FailureSide, namespace: string, event: string, detail: FailureDetail) {
    super(`${code}: "${event}" on ${namespace}: ${detail.message}`);
    this.name = "SocketContractError";
    this.code = code;
    this.side = side;
    this.namespace = namespace;
    this.event = event;
    this.pointer = detail.pointer;
    this.keyword = detail.keyword;
    this.detail = detail.message;
  }

  /** The envelope sent to the peer; `JSON.stringify` uses it too. */
  toJSON(): ContractErrorEnvelope {
    return {
      code: this.code,
      namespace: this.namespace,
      event: this.event,
      pointer: this.pointer,
      keyword: this.keyword,
      message: this.detail,
    };
  }
}

/** The error a request rejects with when no acknowledgement came in time. */
export class AckTimeoutError extends Error {
  readonly code: "ACK_TIMEOUT" = "ACK_TIMEOUT";
  readonly namespace: string;
  readonly event: string;
  readonly timeout: number;

  constructor(namespace: string, event: string, timeout: number) {
    super(`ACK_TIMEOUT: "${event}" on ${namespace}: no acknowledgement within ${timeout} ms`);
    this.name = "AckTimeoutError";
    this.namespace = namespace;
    this.event = event;
    this.timeout = timeout;
  }
}

/**
 * The envelope inside an acknowledgement's arguments, if that is what they are: one plain
 * object with a known code and string fields. Only consulted once the arguments have failed the
 * acknowledgement's own schema, so a schema that happens to accept such an object wins.
 */
export function envelopeOf(args: readonly unknown[]): ContractErrorEnvelope | undefined {
  if (args.length !== 1) return undefined;
  const value = args[0];
  if (typeof value !== "object" || value === null) return undefined;
  const o = value as Record<string, unknown>;
  if (typeof o["code"] !== "string" || !CODES.has(o["code"])) return undefined;
  for (const key of ["namespace", "event", "pointer", "keyword", "message"])
    if (typeof o[key] !== "string") return undefined;
  return value as ContractErrorEnvelope;
}

/** The error for an envelope the peer sent back. */
export function fromEnvelope(envelope: ContractErrorEnvelope): SocketContractError {
  const { pointer, keyword, message } = envelope;
  return new SocketContractError(envelope.code, "peer", envelope.namespace, envelope.event, {
    pointer,
    keyword,
    message,
  });
}
