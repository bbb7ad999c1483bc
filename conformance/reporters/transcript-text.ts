/**
 * Plain-text rendering of a case transcript, one line per event, for the terminal and for
 * JUnit. Bodies are shown with their control characters made visible (the Engine.IO v4 record
 * separator 0x1e prints as ␞) because the bytes between packets are often the whole point.
 */
import type { TranscriptEvent } from "./types.js";

/** Longest body text shown on one transcript line before it is cut. */
export const DEFAULT_BODY_CHARS = 160;

/**
 * Makes control characters visible: C0 controls become their Unicode Control Pictures
 * (U+2400 block), DEL becomes ␡, and a lone surrogate becomes U+FFFD, so that a terminal or
 * an XML file never receives a raw control byte from the server under test.
 */
export function visible(text: string): string {
  let out = "";
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20) rep = String.fromCharCode(0x2400 + c);
    else if (c === 0x7f) rep = "\u2421";
    else if (c >= 0x80 && c < 0xa0) rep = `\\x${c.toString(16)}`;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else rep = "\ufffd";
    } else if (c >= 0xdc00 && c <= 0xdfff) rep = "\ufffd";
    if (rep !== undefined) {
      out += text.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return start === 0 ? text : out + text.slice(start);
}

/** Cuts text to `max` characters, saying how much was left out. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}…(${text.length - max} more chars)`;
}

/** The first bytes of a base64 body as hex, e.g. `<binary 5 bytes: 04 01 02 03 04>`. */
export function binaryPreview(base64: string, maxBytes = 24): string {
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(Buffer.from(base64, "base64"));
  } catch {
    return `<binary, undecodable base64>`;
  }
  const hex = Array.from(bytes.subarray(0, maxBytes), (b) => b.toString(16).padStart(2, "0")).join(" ");
  const more = bytes.length > maxBytes ? " …" : "";
  return `<binary ${bytes.length} bytes: ${hex}${more}>`;
}

/** A body as one line: visible text cut to `max`, or a hex preview of binary. */
export function bodyText(body: string | undefined, base64: string | undefined, max = DEFAULT_BODY_CHARS): string {
  if (base64 !== undefined) return binaryPreview(base64);
  if (body === undefined || body === "") return "";
  return truncate(visible(body), max);
}

/** `+12.3ms`, padded so that arrows line up in a column. */
export function formatOffset(t: number): string {
  const ms = Number.isFinite(t) ? t : 0;
  return `+${ms.toFixed(1)}ms`.padStart(9);
}

/**
 * One event as a compact line without its time, e.g. `→ GET /engine.io/?EIO=4&transport=polling`,
 * `← 200 text/plain 0{"sid":…}`, `⇢ ws#1 text 2probe`, `✕ ws#1 close 1005`.
 */
export function describeEvent(e: TranscriptEvent, max = DEFAULT_BODY_CHARS): string {
  const join = (...parts: (string | undefined)[]) => parts.filter((p) => p !== undefined && p !== "").join(" ");
  switch (e.kind) {
    case "http-request":
      return join("→", visible(e.method), visible(e.url), bodyText(e.body, e.bodyBase64, max));
    case "http-response":
      return join("←", String(e.status), visible(e.headers["content-type"] ?? ""), bodyText(e.body, e.bodyBase64, max));
    case "ws-open":
      return join("⇄", e.conn, "open", visible(e.url), e.status === undefined ? "(no status)" : String(e.status));
    case "ws-frame":
      return join(e.dir === "out" ? "⇢" : "⇠", e.conn, e.opcode, bodyText(e.data, e.dataBase64, max));
    case "ws-close":
      return join(
        "✕",
        e.conn,
        "close",
        e.code === undefined ? "(no code)" : String(e.code),
        e.reason ? JSON.stringify(visible(e.reason)) : undefined,
        e.dir === "out" ? "(sent)" : undefined,
      );
    case "tcp":
      return join("⚡", e.conn, "tcp", e.event, e.detail === undefined ? undefined : visible(e.detail));
    case "note":
      return join("·", visible(e.text));
    default:
      return `? ${visible(JSON.stringify(e) ?? "")}`;
  }
}

/** A transcript as lines `+12.3ms  → GET …`; `last` keeps only the final events. */
export function transcriptLines(
  events: readonly TranscriptEvent[],
  opts: { last?: number; maxBody?: number } = {},
): string[] {
  const shown = opts.last !== undefined && events.length > opts.last ? events.slice(-opts.last) : events;
  const lines = shown.map((e) => `${formatOffset(e.t)}  ${describeEvent(e, opts.maxBody)}`);
  if (shown.length < events.length) lines.unshift(`(${events.length - shown.length} earlier events not shown)`);
  return lines;
}
