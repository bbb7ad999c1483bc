/**
 * XML 1.0 text escaping. Server bytes end up in the report, and XML forbids most control
 * characters outright (even as character references), so they are replaced with a visible
 * `\uXXXX` form; lone surrogates and U+FFFE/U+FFFF likewise. Astral characters written as a
 * valid surrogate pair pass through unchanged.
 */

/**
 * Escapes text for a double-quoted attribute value, or (with `inAttribute` false) for element
 * content, where tab, LF and CR stay literal so that multi-line text remains readable.
 */
export function escapeXml(text: string, inAttribute = true): string {
  let out = "";
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let rep: string | undefined;
    switch (c) {
      case 0x26:
        rep = "&amp;";
        break;
      case 0x3c:
        rep = "&lt;";
        break;
      case 0x3e:
        rep = "&gt;";
        break; // also keeps "]]>" out of character data
      case 0x22:
        rep = "&quot;";
        break;
      case 0x27:
        rep = "&apos;";
        break;
      // Tab, LF and CR are legal, but an attribute value would normalise them to spaces.
      case 0x09:
        if (inAttribute) rep = "&#9;";
        break;
      case 0x0a:
        if (inAttribute) rep = "&#10;";
        break;
      case 0x0d:
        if (inAttribute) rep = "&#13;";
        break;
      default:
        if (c < 0x20 || c === 0xfffe || c === 0xffff) rep = hexEscape(c);
        else if (c >= 0xd800 && c <= 0xdbff) {
          const next = text.charCodeAt(i + 1);
          if (next >= 0xdc00 && next <= 0xdfff) i++;
          else rep = hexEscape(c);
        } else if (c >= 0xdc00 && c <= 0xdfff) rep = hexEscape(c);
    }
    if (rep !== undefined) {
      out += text.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return start === 0 ? text : out + text.slice(start);
}

function hexEscape(c: number): string {
  return `\\u${c.toString(16).padStart(4, "0")}`;
}

/** `<name a="…" b="…">`, attributes escaped, undefined ones left out. */
export function openTag(name: string, attrs: Record<string, string | number | undefined>, selfClose = false): string {
  const parts = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`);
  return `<${name}${parts.join("")}${selfClose ? "/>" : ">"}`;
}
