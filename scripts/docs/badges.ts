/**
 * Small coloured labels (styled by docs/theme/site.css) for the values a reader scans for: a
 * rule's level, a verdict, where a level comes from. The value picks a class from a fixed list;
 * anything else is shown as plain escaped text.
 */
import { escapeHtml } from "./markdown.js";

const LEVELS = new Set(["MUST", "SHOULD", "MAY"]);
const VERDICTS = new Set(["pass", "fail", "warn", "info", "skip", "blocked", "error"]);
const PROVENANCES = new Set(["official", "interop", "sockspec"]);

function badge(family: string, known: ReadonlySet<string>, value: string, title?: string): string {
  const cls = known.has(value) ? ` ss-${family}-${value.toLowerCase()}` : "";
  const tip = title ? ` title="${escapeHtml(title)}"` : "";
  return `<span class="ss-badge${cls}"${tip}>${escapeHtml(value)}</span>`;
}

/** `MUST`, `SHOULD`, `MAY`. */
export function levelBadge(level: string): string {
  return badge("level", LEVELS, level);
}

/** `pass`, `fail`, `warn`, `info`, `skip`, `blocked`, `error`. */
export function verdictBadge(verdict: string, title?: string): string {
  return badge("verdict", VERDICTS, verdict, title);
}

/** `official`, `interop`, `sockspec`. */
export function provenanceBadge(kind: string): string {
  const meaning: Record<string, string> = {
    official: "the official protocol document says so",
    interop: "an official client breaks or loses data without it",
    sockspec: "a stricter choice of this spec, never a MUST",
  };
  return badge("prov", PROVENANCES, kind, meaning[kind]);
}

/** `client` or `deployment`: a rule no test of one server can observe. */
export function scopeBadge(scope: string): string {
  return `<span class="ss-badge ss-scope" title="binds the ${escapeHtml(scope)}, not the server">${escapeHtml(scope)}</span>`;
}
