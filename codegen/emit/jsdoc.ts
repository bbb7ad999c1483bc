/** JSDoc blocks for generated code: the catalogue's prose, safe inside a comment. */

/** A JSDoc block of `lines` (empty lines kept as paragraph breaks), indented by `indent`; empty when there is nothing to say. */
export function jsdoc(lines: (string | undefined)[], indent = ""): string {
  const text = lines
    .filter((l): l is string => l !== undefined)
    .join("\n")
    .replace(/\*\//g, "*\\/")
    .trim();
  if (!text) return "";
  const body = text.split("\n").map((l) => (l ? `${indent} * ${l}` : `${indent} *`));
  return `${indent}/**\n${body.join("\n")}\n${indent} */\n`;
}

/** A one-line comment-safe rendering of a string (for `@param` text and the like). */
export function oneLine(text: string | undefined): string | undefined {
  return text?.replace(/\s+/g, " ").trim() || undefined;
}
