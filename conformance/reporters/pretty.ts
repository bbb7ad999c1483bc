/**
 * The terminal reporter. While the suite runs it prints one line per finished case, grouped
 * under its chapter; on a terminal a one-line progress counter is redrawn underneath. At the
 * end it details every failure, error and warning (rules with their text, expected vs
 * observed, the case's page on the docs site, the last transcript events), lists the blocked
 * cases (each with its page) under the case whose precondition blocked them, and prints the
 * summary line that scripts may grep:
 * `conformance: N passed, N failed, N skipped`.
 */
import { palette, isTTY, SYMBOL, symbolOf, verdictPaint, wantsColor, type Palette } from "./style.js";
import { casePageUrl, DEFAULT_DOCS_BASE_URL, type DocsLinkOptions } from "./docs-links.js";
import { specRule, type RuleLookup } from "./rule-text.js";
import { transcriptLines, visible } from "./transcript-text.js";
import type { CaseResult, ConformanceReport, Reporter, ReporterOptions, RunPlan } from "./types.js";

/** Options of the pretty reporter beyond the common ones (mostly for tests). */
export interface PrettyOptions extends Partial<ReporterOptions>, DocsLinkOptions {
  /** Force colour on or off (default: on when the stream is a TTY and NO_COLOR is unset). */
  color?: boolean;
  /** Force the live progress counter on or off (default: when the stream is a TTY). */
  progress?: boolean;
  /** How many transcript events to show per detailed case (default 15). */
  transcriptTail?: number;
  rules?: RuleLookup;
}

const DETAILED = new Set(["fail", "error", "warn"]);

/** Creates the terminal reporter. */
export function createPrettyReporter(options: PrettyOptions = {}): Reporter {
  const stream = options.stream ?? process.stdout;
  const p = palette(options.color ?? wantsColor(stream));
  const live = options.progress ?? isTTY(stream);
  const tail = options.transcriptTail ?? 15;
  const lookup = options.rules ?? specRule;
  const docs = options.docsBaseUrl ?? DEFAULT_DOCS_BASE_URL;

  /** Cases still expected per chapter; a chapter prints as one block once all of it is done. */
  const pending = new Map<string, number>();
  const buffered = new Map<string, CaseResult[]>();
  const printedChapters = new Set<string>();
  let planned = 0;
  let done = 0;
  const counts = { pass: 0, fail: 0, warn: 0, info: 0, skip: 0, blocked: 0, error: 0 };
  let progressShown = false;
  /** The chapter whose case lines are the last thing printed, so a run of them shares one header. */
  let openChapter: string | undefined;

  const write = (text: string) => {
    clearProgress();
    stream.write(text);
  };
  function clearProgress() {
    if (progressShown) stream.write("\r\x1b[2K");
    progressShown = false;
  }
  function drawProgress() {
    if (!live) return;
    const total = planned > 0 ? `/${planned}` : "";
    const parts = [
      p.green(`${counts.pass} ${SYMBOL.pass}`),
      p.red(`${counts.fail} ${SYMBOL.fail}`),
      p.yellow(`${counts.warn} ${SYMBOL.warn}`),
      p.dim(`${counts.skip} ${SYMBOL.skip}`),
    ];
    if (counts.blocked) parts.push(p.blue(`${counts.blocked} ${SYMBOL.blocked}`));
    if (counts.error) parts.push(p.magenta(`${counts.error} ${SYMBOL.error}`));
    stream.write(`\r\x1b[2K${p.dim(`[${done}${total}]`)} ${parts.join("  ")}`);
    progressShown = true;
  }
  function printChapter(chapter: string, results: CaseResult[]) {
    const lines = results.map((r) => caseLine(p, r)).join("\n");
    if (openChapter === chapter) return write(`${lines}\n`);
    const head = printedChapters.has(chapter) ? `${chapter} (continued)` : chapter;
    printedChapters.add(chapter);
    openChapter = chapter;
    write(`\n${p.bold(visible(head))}\n${lines}\n`);
  }

  return {
    onStart(plan: RunPlan) {
      planned = plan.cases.length;
      for (const c of plan.cases) pending.set(c.chapter, (pending.get(c.chapter) ?? 0) + 1);
      const chapters = pending.size;
      write(
        `${p.bold("sockspec conformance")} → ${visible(plan.target.url)}${visible(plan.target.path)}  ` +
          p.dim(`(${planned} cases in ${chapters} chapters)`) +
          "\n",
      );
      drawProgress();
    },
    onCaseEnd(result: CaseResult) {
      done++;
      if (Object.hasOwn(counts, result.verdict)) counts[result.verdict]++;
      const left = pending.get(result.chapter);
      if (left === undefined) {
        // Not in the plan (or no plan at all): print at once rather than hold it back.
        printChapter(result.chapter, [result]);
      } else {
        const list = buffered.get(result.chapter) ?? [];
        list.push(result);
        if (left <= 1) {
          pending.delete(result.chapter);
          buffered.delete(result.chapter);
          printChapter(result.chapter, list);
        } else {
          pending.set(result.chapter, left - 1);
          buffered.set(result.chapter, list);
        }
      }
      drawProgress();
    },
    onEnd(report: ConformanceReport) {
      for (const [chapter, list] of buffered) printChapter(chapter, list);
      buffered.clear();
      if (done === 0 && report.cases.length > 0) {
        // onCaseEnd was never called (a report replayed from JSON): list every case now.
        for (const [chapter, list] of groupByChapter(report.cases)) printChapter(chapter, list);
      }
      openChapter = undefined;
      const detailed = report.cases.filter((c) => DETAILED.has(c.verdict));
      if (detailed.length) write(`\n${p.bold("Details")}\n`);
      for (const c of detailed) write(`\n${caseDetail(p, c, lookup, tail, docs)}\n`);
      const blocked = blockedByRoot(report.cases);
      if (blocked.size) write(`\n${p.bold("Blocked")} ${p.dim("(a precondition failed; fix the case named first)")}\n`);
      for (const [root, list] of blocked) write(`${blockedBlock(p, root, list, report.cases, docs)}\n`);
      const spoken = protocolsText(report);
      write(
        `\n${summaryText(report)}\n${p.dim(`${spoken ? `${spoken} · ` : ""}wall time ${formatSeconds(report.durationMs)}`)}\n`,
      );
    },
  };
}

/**
 * The protocol versions the run judged and where: `Engine.IO v4 at /socket.io/, /engine.io/`
 * (empty for a report made before versions were detected).
 */
export function protocolsText(report: ConformanceReport): string {
  const found = report.observed?.protocols ?? {};
  return (["eio4", "eio3"] as const)
    .filter((v) => found[v]?.length)
    .map((v) => `Engine.IO ${v === "eio4" ? "v4" : "v3"} at ${found[v]!.map(visible).join(", ")}`)
    .join("; ");
}

/** `✓ eio4.handshake.open — Open packet carries the session  12ms` */
function caseLine(p: Palette, r: CaseResult): string {
  const paint = verdictPaint(p, r.verdict);
  const note = r.expectation ? p.dim(` [${r.expectation}]`) : "";
  const why = r.reason && r.verdict !== "pass" ? p.dim(` — ${visible(r.reason)}`) : "";
  return `  ${paint(symbolOf(r.verdict))} ${visible(r.id)} ${p.dim(visible(r.title))}${why}${note} ${p.dim(`${Math.round(r.durationMs)}ms`)}`;
}

/** The detailed block of one failed, errored or warned case. */
function caseDetail(p: Palette, c: CaseResult, lookup: RuleLookup, tail: number, docs: string | false): string {
  const paint = verdictPaint(p, c.verdict);
  const lines = [
    `${paint(`${symbolOf(c.verdict)} ${String(c.verdict).toUpperCase()}`)} ${p.bold(visible(c.id))} — ${visible(c.title)}`,
  ];
  lines.push(`  ${p.dim("chapter")}  ${visible(c.chapter)} (${c.level})`);
  if (c.expectation) lines.push(`  ${p.dim("listed")}   ${c.expectation}`);
  if (c.reason) lines.push(`  ${p.dim("reason")}   ${visible(c.reason)}`);
  for (const id of c.rules) {
    const rule = lookup(id);
    const text = rule ? `(${rule.level}) ${visible(rule.text)}` : p.dim("(not in this spec)");
    lines.push(`  ${p.cyan(visible(id))} ${text}`);
  }
  if (c.expected !== undefined) lines.push(`  ${p.green("expected")} ${visible(c.expected)}`);
  if (c.observed !== undefined) lines.push(`  ${p.red("observed")} ${visible(c.observed)}`);
  const page = casePageUrl(c.id, docs);
  if (page) lines.push(`  ${p.dim("docs")}     ${page}`);
  if (c.transcript.length) {
    lines.push(`  ${p.dim("transcript")}`);
    for (const l of transcriptLines(c.transcript, { last: tail })) lines.push(`    ${l}`);
  }
  return lines.join("\n");
}

/**
 * The summary: first line exactly `conformance: N passed, N failed, N skipped`, the second
 * with the other verdicts and the expectation counts.
 */
export function summaryText(report: ConformanceReport): string {
  const s = report.summary;
  const first = `conformance: ${s.pass} passed, ${s.fail} failed, ${s.skip} skipped`;
  const extra = [`${s.warn} warned`, `${s.info} info`, `${s.blocked ?? 0} blocked`, `${s.error} errored`];
  if (s.knownFailing) extra.push(`${s.knownFailing} known failing`);
  if (s.flaky) extra.push(`${s.flaky} flaky`);
  if (s.stale) extra.push(`${s.stale} stale expectations`);
  return `${first}\n             ${extra.join(", ")}`;
}

/** Blocked cases keyed by the case that checks their broken precondition, in report order. */
function blockedByRoot(cases: readonly CaseResult[]): Map<string, CaseResult[]> {
  const roots = new Map<string, CaseResult[]>();
  for (const c of cases) {
    if (c.verdict !== "blocked") continue;
    const root = c.blockedBy?.case ?? "(unknown)";
    roots.set(root, [...(roots.get(root) ?? []), c]);
  }
  return roots;
}

/** `eio4.polling.post-ok (fail, EIO4-POLLING-05) blocks 22 cases:` and the blocked IDs under it. */
function blockedBlock(
  p: Palette,
  root: string,
  list: readonly CaseResult[],
  all: readonly CaseResult[],
  docs: string | false,
): string {
  const rootResult = all.find((c) => c.id === root);
  const state = rootResult ? `${rootResult.verdict}` : "not run";
  const rule = list[0]?.blockedBy?.rule;
  const head = `  ${p.bold(visible(root))} ${p.dim(`(${state}${rule ? `, ${visible(rule)}` : ""})`)} blocks ${list.length} case${list.length === 1 ? "" : "s"}:`;
  // Each blocked case with its page on the docs site, which says what the case needs.
  const url = (id: string) => {
    const page = casePageUrl(id, docs);
    return page ? `  ${p.dim(page)}` : "";
  };
  return [head, ...list.map((c) => `    ${p.blue(SYMBOL.blocked)} ${visible(c.id)}${url(c.id)}`)].join("\n");
}

function groupByChapter(cases: readonly CaseResult[]): Map<string, CaseResult[]> {
  const groups = new Map<string, CaseResult[]>();
  for (const c of cases) {
    const list = groups.get(c.chapter) ?? [];
    list.push(c);
    groups.set(c.chapter, list);
  }
  return groups;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
