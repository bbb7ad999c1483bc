/**
 * The per-case transcript: every event that crossed the wire, time-stamped from the case start.
 * Clients record into it; the report carries it unchanged.
 */
import { performance } from "node:perf_hooks";
import type { TranscriptEvent } from "../../schemas/generated/conformance/report.js";

/** Bodies past this size are cut in the transcript (the case still sees the whole body). */
export const BODY_LIMIT = 64 * 1024;

/** Distributes `Omit` over a union so each event keeps its own fields. */
type WithoutT<E> = E extends unknown ? Omit<E, "t"> : never;

/** An event as a client hands it to the transcript; the transcript adds the time. */
export type TranscriptInput = WithoutT<TranscriptEvent>;

export class Transcript {
  readonly events: TranscriptEvent[] = [];
  /** performance.now() at the case start. */
  readonly origin = performance.now();
  private readonly counters = new Map<string, number>();

  /** Milliseconds since the case started, to 0.1 ms. */
  now(): number {
    return Math.round((performance.now() - this.origin) * 10) / 10;
  }

  /** A fresh connection label, `http#1`, `ws#2`, ... numbered per kind within the case. */
  label(kind: string): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return `${kind}#${n}`;
  }

  record(event: TranscriptInput): void {
    this.events.push({ t: this.now(), ...event } as TranscriptEvent);
  }

  note(text: string): void {
    this.record({ kind: "note", text });
  }
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * How a body goes into the transcript: `{body}` when it is valid UTF-8, else `{bodyBase64}`;
 * cut at {@link BODY_LIMIT} with a `…(N bytes more)` tail. Empty bodies are left out.
 */
export function transcriptBody(bytes: Uint8Array, field: "body" | "data" = "body"): Record<string, string> {
  if (bytes.byteLength === 0) return {};
  const cut = bytes.byteLength > BODY_LIMIT;
  const head = cut ? bytes.subarray(0, BODY_LIMIT) : bytes;
  const tail = cut ? `…(${bytes.byteLength - BODY_LIMIT} bytes more)` : "";
  try {
    return { [field]: strictUtf8.decode(head) + tail };
  } catch {
    return { [field + "Base64"]: Buffer.from(head).toString("base64") + tail };
  }
}

/** Text for the transcript, cut at {@link BODY_LIMIT} characters. */
export function transcriptText(text: string): string {
  return text.length > BODY_LIMIT ? text.slice(0, BODY_LIMIT) + `…(${text.length - BODY_LIMIT} chars more)` : text;
}
