/**
 * Markdown helpers for the generated pages. Everything that comes from data (rule text, case
 * titles, server answers) passes through here, so that a `|` cannot split a table cell, a
 * backtick cannot end a code span early and a stray `<sid>` in prose cannot become an element.
 */

/** Escapes text for HTML element content or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Plain text as Markdown inline text: every character that Markdown or HTML would act on is escaped. */
export function text(value: string): string {
  return (
    value
      .replace(/[\\`*_[\]<>|#~]/g, (c) => `\\${c}`)
      .replace(/&/g, "&amp;")
      // typedoc reads a brace as the start of an inline tag, and a lone one stops its rewriting of
      // the relative links that follow on the page.
      .replace(/[{}]/g, (c) => `&#${c.charCodeAt(0)};`)
      .replace(/\s+/g, " ")
  );
}

/** The longest run of backticks in a string. */
function longestBacktickRun(value: string): number {
  let max = 0;
  for (const m of value.matchAll(/`+/g)) max = Math.max(max, m[0].length);
  return max;
}

/** A code span that survives any content, including backticks; newlines become spaces. */
export function code(value: string): string {
  const v = value.replace(/\r?\n/g, " ");
  const fence = "`".repeat(longestBacktickRun(v) + 1);
  const pad = v.startsWith("`") || v.endsWith("`") || v.startsWith(" ") ? " " : "";
  return `${fence}${pad}${v}${pad}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run inside. */
export function fence(body: string, lang = "text"): string {
  const f = "`".repeat(Math.max(3, longestBacktickRun(body) + 1));
  return `${f}${lang}\n${body.replace(/\n+$/, "")}\n${f}`;
}

/**
 * A link, written as an HTML `<a>` whose label is Markdown already escaped by the caller.
 * typedoc rewrites and checks `.md` targets in HTML attributes everywhere, but does not see
 * Markdown-syntax links inside a raw HTML block such as `<details>`: the HTML form works in both.
 */
export function link(label: string, href: string, className?: string): string {
  return `<a href="${escapeHtml(href)}"${className ? ` class="${className}"` : ""}>${label}</a>`;
}

/**
 * Inline HTML the generated pages allow in prose taken from the spec: anchors, line breaks, the
 * few formatting tags GitHub also renders, and comments. Anything else that looks like a tag is text.
 */
const ALLOWED_TAG = /^(?:<\/?(?:a|br|sup|sub|kbd|em|strong|code|span|details|summary)(?:\s[^<>]*)?\/?>|<!--)/i;

/**
 * Spec Markdown made safe for the site: outside code spans, a `<` that does not open an allowed
 * tag is escaped, so `t=<random>` in a Provenance line stays text instead of an unknown element.
 */
export function safeProse(line: string): string {
  let out = "";
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === "`") {
      const run = /^`+/.exec(line.slice(i))![0];
      const close = line.indexOf(run, i + run.length);
      if (close !== -1) {
        out += line.slice(i, close + run.length);
        i = close + run.length;
        continue;
      }
      out += run;
      i += run.length;
      continue;
    }
    if (c === "<" && !ALLOWED_TAG.test(line.slice(i))) {
      out += "&lt;";
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Markdown prose for a table cell: one line, pipes escaped (inside code spans too, as GFM requires). */
export function cell(markdown: string): string {
  return markdown.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

/** A GFM table; cells are Markdown, escaped for the table by {@link cell}. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(headers), `| ${headers.map(() => "---").join(" | ")} |`, ...rows.map(line)].join("\n");
}

/** YAML front matter; every value is written as a JSON string or list, which YAML reads as is. */
export function frontMatter(fields: Record<string, string | readonly string[] | undefined>): string {
  const lines = ["---"];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (typeof value === "string") lines.push(`${key}: ${JSON.stringify(value)}`);
    else {
      lines.push(`${key}:`);
      for (const v of value) lines.push(`  - ${JSON.stringify(v)}`);
    }
  }
  lines.push("---", "");
  return lines.join("\n");
}

/** A collapsible block whose body is Markdown (the blank lines let Markdown parse inside it). */
export function details(summary: string, body: string, open = false): string {
  return `<details${open ? " open" : ""}><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/** `1 case`, `2 cases`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A percentage with no false precision: `87 %`, `99.6 %` only when it matters, `100 %` only when whole. */
export function percent(part: number, whole: number): string {
  if (whole === 0) return "—";
  const p = (100 * part) / whole;
  if (part === whole) return "100 %";
  const shown = p >= 99 ? Math.floor(p * 10) / 10 : Math.floor(p);
  return `${shown} %`;
}
