/**
 * The Engine.IO error codes a server answers a refused HTTP request with, and their statuses.
 * The body is always JSON `{"code":n,"message":"..."}`.
 */

import { ENGINE_ERROR_MESSAGES, engineErrorStatus, type EngineErrorCode } from "../../protocol/engine.io/constants.js";

/** Error code -> default message (the protocol's table). */
export const errorMessages = ENGINE_ERROR_MESSAGES;

export type ErrorCode = EngineErrorCode;

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
export const statusFor: (code: ErrorCode) => number = engineErrorStatus;

/** The JSON body of a refusal. */
export function errorBody(r: Refusal): string {
  return JSON.stringify({ code: r.code, message: r.message });
}
