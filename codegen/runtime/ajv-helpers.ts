/**
 * The two helpers ajv's standalone code would `require` from the ajv package: string length in
 * code points, and deep equality of JSON values (for `const`, `enum` and `uniqueItems`). The
 * generator points the validators here instead, so the generated package needs no ajv at run time.
 *
 * Copied into every generated package.
 */

const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

/** Length of a string in Unicode code points (a surrogate pair counts once), as JSON Schema counts it. */
export function ucs2length(text: string): number {
  const length = text.length;
  // Without a high surrogate every UTF-16 unit is one code point; the native scan is much faster than the loop.
  if (!HIGH_SURROGATE.test(text)) return length;
  let count = 0;
  let pos = 0;
  while (pos < length) {
    count++;
    const code = text.charCodeAt(pos++);
    if (code >= 0xd800 && code <= 0xdbff && pos < length) {
      // A high surrogate followed by a low one is one code point.
      if ((text.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++;
    }
  }
  return count;
}

/** Deep equality of JSON values (objects by own keys, arrays by position). */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null)
    return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const key of ka) {
    if (!Object.hasOwn(b, key)) return false;
    if (!equal((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}
