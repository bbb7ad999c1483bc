/**
 * The few Markdown helpers the implementations page needs. Case reasons are free text written
 * by the runner (they quote wire bytes such as `42["x"]`, HTML bodies, pipes), so everything that
 * comes from a report is escaped here before it lands in a table or a list.
 */

/** Longest reason the page shows; the JSON report next to it keeps the whole text. */
export const MAX_REASON = 220;

/**
 * The first non-empty line of `text`, whitespace collapsed, cut at `max` characters with "…".
 * Reasons are meant to be one line already; this keeps a stray multi-line one from breaking a
 * table row.
 */
export function oneLine(text: string | undefined, max = MAX_REASON): string {
  const line = (text ?? "").split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  const flat = line.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

/**
 * Escapes free text for running Markdown: `<` outside code spans (a quoted `<html>` body would
 * otherwise be read as a tag). Inside a code span it is already literal, and an entity there
 * would show as `&lt;`. An unmatched backtick (a reason cut short) leaves the rest as plain text.
 */
export function inlineText(text: string): string {
  const parts = text.split("`");
  const closed = parts.length % 2 === 1;
  return parts
    .map((part, i) => {
      const inCode = i % 2 === 1 && (closed || i < parts.length - 1);
      return inCode ? part : part.replace(/</g, "&lt;");
    })
    .join("`");
}

/**
 * Escapes free text for a table cell: as {@link inlineText}, and every `|` as `\|`, which GFM
 * requires even inside code spans (the table splits its cells before it reads the spans).
 */
export function tableCell(text: string): string {
  return inlineText(text.replace(/\r?\n/g, " ")).replace(/\|/g, "\\|");
}

/** A GFM table; cells must already be escaped with {@link tableCell} where they hold free text. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** `text` in a code span; IDs never hold a backtick, but a stray one must not end the span. */
export function code(text: string): string {
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}
