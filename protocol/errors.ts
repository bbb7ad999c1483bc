/**
 * The one error every decoder throws. It says which rule of spec/ the input breaks and at
 * which byte (for text input: UTF-16 code unit offset into the string; for binary input: byte
 * offset), so a conformance report can point at the exact spot in a transcript.
 */
export class DecodeError extends Error {
  override readonly name = "DecodeError";

  constructor(
    /** Rule ID from spec/, e.g. `EIO4-PAYLOAD-03`. */
    readonly rule: string,
    /** Offset of the first offending unit in the input. */
    readonly offset: number,
    /** What was wrong, in words, without the rule ID or offset. */
    readonly reason: string,
    /** Packets decoded before the error, in order (a payload's earlier records). */
    readonly partial: readonly unknown[] = [],
  ) {
    super(`${reason} at offset ${offset} (${rule})`);
  }
}
