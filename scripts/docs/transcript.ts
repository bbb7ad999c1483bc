/**
 * A case's wire transcript as the case page shows it: one line per event in the notation of the
 * terminal reporter (→ request, ← response, ⇢/⇠ frames), with the server's address left out
 * (it is a random local port that says nothing) and long runs of events shortened in the middle,
 * where a long wait repeats itself, rather than at the end, where the verdict is decided.
 */
import { describeEvent, formatOffset } from "../../conformance/reporters/transcript-text.js";
import type { TranscriptEvent } from "../../schemas/generated/conformance/report.js";

/** How much of a transcript a page shows. */
export interface TranscriptLimits {
  /** Events kept from the start and from the end when a transcript is longer than both. */
  head: number;
  tail: number;
  /** Characters of one body before it is cut. */
  body: number;
}

export const PAGE_LIMITS: TranscriptLimits = { head: 40, tail: 15, body: 200 };

/** Removes `http://127.0.0.1:PORT` and `ws://127.0.0.1:PORT` from URLs in an event. */
function withoutOrigin(e: TranscriptEvent, origins: readonly string[]): TranscriptEvent {
  if (!("url" in e)) return e;
  let url = e.url;
  for (const o of origins) if (url.startsWith(o)) url = url.slice(o.length);
  return { ...e, url };
}

/** The http:// and ws:// forms of a base URL's origin. */
export function originsOf(baseUrl: string): string[] {
  try {
    const u = new URL(baseUrl);
    const ws = u.protocol === "https:" ? "wss:" : "ws:";
    return [`${u.protocol}//${u.host}`, `${ws}//${u.host}`];
  } catch {
    return [];
  }
}

/** The transcript as text lines, shortened in the middle past `head + tail` events. */
export function transcriptBlock(
  events: readonly TranscriptEvent[],
  baseUrl: string,
  limits: TranscriptLimits = PAGE_LIMITS,
): string {
  const origins = originsOf(baseUrl);
  const line = (e: TranscriptEvent) => `${formatOffset(e.t)}  ${describeEvent(withoutOrigin(e, origins), limits.body)}`;
  if (events.length <= limits.head + limits.tail) return events.map(line).join("\n");
  const left = events.length - limits.head - limits.tail;
  return [
    ...events.slice(0, limits.head).map(line),
    `          … ${left} more events …`,
    ...events.slice(-limits.tail).map(line),
  ].join("\n");
}
