/**
 * Strict base64 (RFC 4648 §4: standard alphabet, `=` padding required, no whitespace), the
 * form binary data takes inside text transports. Node's own decoder is lenient (it skips
 * characters it does not know and takes the URL-safe alphabet), so its result is checked.
 */
import { Buffer } from "node:buffer";
import { DecodeError } from "./errors.js";

/** Rule cited when no other is given: the Engine.IO v4 binary-in-text rule. */
const DEFAULT_RULE = "EIO4-PAYLOAD-03";

/** Char code -> 6-bit value, or -1 for a code outside the alphabet. */
const VALUE = new Int8Array(128).fill(-1);
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
for (let i = 0; i < 64; i++) VALUE[ALPHABET.charCodeAt(i)] = i;
const PAD = 0x3d; // "="

/** The padded base64 text of some bytes. */
export function encodeBase64(bytes: Uint8Array): string {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString("base64");
}

/**
 * The bytes of strict base64 text.
 * @param offsetForErrors added to every error offset, so that errors point into the text the
 *   base64 was cut from (e.g. 1 for the `b` of `bAQID`).
 * @param rule the spec rule a failure cites.
 * @throws DecodeError on a character outside the alphabet, a length that is not a multiple of
 *   4, misplaced or missing padding, or non-zero bits in the padding (a non-canonical form).
 */
export function decodeBase64(text: string, offsetForErrors = 0, rule: string = DEFAULT_RULE): Uint8Array {
  return decodeBase64Range(text, 0, text.length, offsetForErrors, rule);
}

/**
 * {@link decodeBase64} over `source[start, end)` without cutting the string first; errors are
 * at `offsetBase + index into source`. `partial` is handed to the error as it is.
 */
export function decodeBase64Range(
  source: string,
  start: number,
  end: number,
  offsetBase: number,
  rule: string,
  partial: readonly unknown[] = [],
): Uint8Array {
  const length = end - start;
  if (length === 0) return Buffer.alloc(0);
  // Fast path, all native: canonical base64 is exactly the text that re-encoding its bytes
  // gives back, so a round trip that matches proves the text strict. Only on a mismatch does
  // the loop below run, to say which character is wrong.
  const text = start === 0 && end === source.length ? source : source.substring(start, end);
  const bytes = Buffer.from(text, "base64");
  if (bytes.toString("base64") === text) return bytes;
  throw locateError(source, start, end, offsetBase, rule, partial);
}

/** The first fault of text that is not canonical base64, as a DecodeError. */
function locateError(
  source: string,
  start: number,
  end: number,
  offsetBase: number,
  rule: string,
  partial: readonly unknown[],
): DecodeError {
  const length = end - start;
  const lastQuantum = end - 4;
  for (let i = start; i < end; i++) {
    const code = source.charCodeAt(i);
    if (code < 128 && VALUE[code]! >= 0) continue;
    if (code === PAD) {
      // Padding: one `=` at the very end, or two at the end, never more than the last quantum can hold.
      if (i >= lastQuantum + 2 && (i === end - 1 || (i === end - 2 && source.charCodeAt(end - 1) === PAD))) break;
      return new DecodeError(rule, offsetBase + i, "base64 padding in the wrong place", partial);
    }
    return new DecodeError(rule, offsetBase + i, `invalid base64 character ${describeChar(code)}`, partial);
  }
  if (length % 4 !== 0) {
    return new DecodeError(
      rule,
      offsetBase + end,
      `base64 length ${length} is not a multiple of 4 (padding missing or extra)`,
      partial,
    );
  }
  // Canonical form: the bits that padding leaves over must be zero.
  if (source.charCodeAt(end - 1) === PAD) {
    const twoPads = source.charCodeAt(end - 2) === PAD;
    const lastIndex = twoPads ? end - 3 : end - 2;
    const mask = twoPads ? 0x0f : 0x03;
    if ((VALUE[source.charCodeAt(lastIndex)]! & mask) !== 0) {
      return new DecodeError(
        rule,
        offsetBase + lastIndex,
        "base64 pad bits are not zero (non-canonical encoding)",
        partial,
      );
    }
  }
  return new DecodeError(rule, offsetBase + start, "not canonical base64", partial);
}

/** A readable name for a char code in an error message. */
export function describeChar(code: number): string {
  if (code >= 0x21 && code < 0x7f) return `"${String.fromCharCode(code)}"`;
  return "U+" + code.toString(16).toUpperCase().padStart(4, "0");
}
