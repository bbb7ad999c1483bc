/**
 * Shared check, family "sid entropy": whether the sids a server hands out look random enough to
 * hold the 64 unpredictable bits EIO4-HANDSHAKE-07 asks for. A black box cannot prove
 * randomness; it can tell a counter, a clock or a fixed prefix from random characters, which is
 * what guessing a sid would exploit.
 */

/** Bits each character can hold, by the alphabet the sids use: hex 4, base64 6, else 5 (a guess between). */
function bitsPerChar(sids: readonly string[]): number {
  const all = sids.join("");
  if (/^[0-9a-f]*$/i.test(all)) return 4;
  if (/^[A-Za-z0-9_\-+/=]*$/.test(all)) return 6;
  return 5;
}

/**
 * True when the sids vary in enough positions to hold 64 random bits; otherwise why not. A
 * position varies when, among the sids lined up from their first character, at least `n/2 + 1`
 * of them differ there: random characters almost always do, a counter's digits rarely, a
 * timestamp's high digits or a fixed prefix never.
 * @example `sidLooksRandom(["AAAAAAAAAAAAAAAAAAA1", "AAAAAAAAAAAAAAAAAAA2", ...])` → `"only 1 of 20 positions vary..."`
 */
export function sidLooksRandom(sids: readonly string[]): true | string {
  const n = sids.length;
  const length = Math.min(...sids.map((s) => s.length));
  let varying = 0;
  for (let i = 0; i < length; i++) {
    if (new Set(sids.map((s) => s[i])).size >= Math.floor(n / 2) + 1) varying++;
  }
  const bits = bitsPerChar(sids);
  const needed = Math.ceil(64 / bits);
  return varying >= needed
    ? true
    : `only ${varying} of ${length} positions vary across ${n} sids, fewer than the ${needed} that 64 random bits take at ${bits} bits a character`;
}
