/**
 * The Engine.IO error codes a server answers a refused HTTP request with, and their statuses.
 * The body is always JSON `{"code":n,"message":"..."}`.
 */

/** Error code -> default message. */
export const errorMessages = {
  0: "Transport unknown",
  1: "Session ID unknown",
  2: "Bad handshake method",
  3: "Bad request",
  4: "Forbidden",
  5: "Unsupported protocol version",
} as const;

export type ErrorCode = keyof typeof errorMessages;

/** A refusal: the code, and a message (the default one unless allowRequest supplied another). */
export interface Refusal {
  code: ErrorCode;
  message: string;
}

/** Builds a refusal with the default message. */
export function refusal(code: ErrorCode, message?: string): Refusal {
  return { code, message: message ?? errorMessages[code] };
}

/** HTTP status for a refusal: 403 for Forbidden, 400 for every other code. */
export function statusFor(code: ErrorCode): number {
  return code === 4 ? 403 : 400;
}

/** The JSON body of a refusal. */
export function errorBody(r: Refusal): string {
  return JSON.stringify({ code: r.code, message: r.message });
}
