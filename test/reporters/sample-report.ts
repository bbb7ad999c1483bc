/**
 * A hand-made conformance report covering every verdict, every transcript event kind, binary
 * bodies, astral and CJK text, control characters, and strings a hostile server could send.
 */
import type { CaseResult, ConformanceReport, TranscriptEvent } from "../../schemas/generated/conformance/report.js";
import type { RuleInfo, RuleLookup } from "../../conformance/reporters/rule-text.js";

/** Markup that must stay text in every report. */
export const HOSTILE = `</script><img src=x onerror=alert(1)>`;
/** Characters XML cannot carry raw, plus a CDATA terminator and a lone surrogate. */
export const XML_NASTY = `nul\u0000 bel\u0007 esc\u001b ]]> lone\ud800 & "q" 'a' 🧦 ✓`;

const RULE_TABLE: Record<string, RuleInfo> = {
  "EIO4-HANDSHAKE-02": {
    level: "MUST",
    file: "spec/engine.io-v4.md",
    chapter: "HANDSHAKE",
    text: "The first packet of a session is an open packet: `0` and a JSON object.",
  },
  "EIO4-HANDSHAKE-03": {
    level: "SHOULD",
    file: "spec/engine.io-v4.md",
    chapter: "HANDSHAKE",
    text: "Open packet keys come in a fixed order.",
  },
  "EIO4-PAYLOAD-01": {
    level: "MUST",
    file: "spec/engine.io-v4.md",
    chapter: "PAYLOAD",
    text: "Polling bodies are payloads of records separated by 0x1e <b>not bold</b>.",
  },
  "SIO5-EVENT-01": {
    level: "MUST",
    file: "spec/socket.io-v5.md",
    chapter: "EVENT",
    text: "An event payload is a non-empty array.",
  },
};

/** The rule table the sample report is rendered with; "X-UNKNOWN-1" is deliberately absent. */
export const sampleRules: RuleLookup = (id) => RULE_TABLE[id];

const SID = "a1B2c3D4e5F6g7H8";
const handshake = `0{"sid":"${SID}","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}`;

/** The failed case's transcript: 20 events, one of each kind and then some. */
export const failTranscript: TranscriptEvent[] = [
  { t: 0, kind: "note", text: "opening a polling session" },
  { t: 0.4, kind: "tcp", conn: "tcp#1", event: "connect", detail: "127.0.0.1:40000" },
  {
    t: 0.5,
    kind: "http-request",
    conn: "http#1",
    method: "GET",
    url: "/engine.io/?EIO=4&transport=polling",
    headers: { accept: "*/*" },
  },
  {
    t: 3.2,
    kind: "http-response",
    conn: "http#1",
    status: 200,
    headers: { "content-type": "text/plain; charset=UTF-8" },
    body: handshake,
  },
  {
    t: 4.0,
    kind: "http-request",
    conn: "http#2",
    method: "POST",
    url: `/engine.io/?EIO=4&transport=polling&sid=${SID}`,
    headers: { "content-type": "text/plain;charset=UTF-8" },
    body: "4hello\u001e4wörld 🧦\u001ebAQIDBA==",
  },
  { t: 5.1, kind: "http-response", conn: "http#2", status: 200, headers: { "content-type": "text/html" }, body: "ok" },
  {
    t: 5.5,
    kind: "http-request",
    conn: "http#3",
    method: "GET",
    url: `/engine.io/?EIO=4&transport=polling&sid=${SID}`,
    headers: {},
  },
  {
    t: 6.0,
    kind: "http-response",
    conn: "http#3",
    status: 200,
    headers: { "content-type": "text/plain; charset=UTF-8" },
    body: `4${HOSTILE}\u001e4${"x".repeat(600)}`,
  },
  { t: 7.0, kind: "ws-open", conn: "ws#1", url: `/engine.io/?EIO=4&transport=websocket&sid=${SID}`, status: 101 },
  { t: 7.3, kind: "ws-frame", conn: "ws#1", dir: "out", opcode: "text", data: "2probe" },
  { t: 8.1, kind: "ws-frame", conn: "ws#1", dir: "in", opcode: "text", data: "3probe" },
  {
    t: 8.4,
    kind: "http-request",
    conn: "http#4",
    method: "GET",
    url: `/engine.io/?EIO=4&transport=polling&sid=${SID}`,
    headers: {},
  },
  {
    t: 9.0,
    kind: "http-response",
    conn: "http#4",
    status: 400,
    headers: { "content-type": "application/json" },
    body: '{"code":1,"message":"Session ID unknown"}',
  },
  { t: 9.2, kind: "ws-frame", conn: "ws#1", dir: "out", opcode: "text", data: "5" },
  { t: 9.9, kind: "ws-frame", conn: "ws#1", dir: "out", opcode: "binary", dataBase64: "AQIDBP8=" },
  {
    t: 10.6,
    kind: "ws-frame",
    conn: "ws#1",
    dir: "in",
    opcode: "binary",
    dataBase64: Buffer.from(Array.from({ length: 100 }, (_, i) => i)).toString("base64"),
  },
  { t: 11.0, kind: "note", text: "waiting up to 720 ms for ping" },
  { t: 731.2, kind: "tcp", conn: "tcp#2", event: "rst", detail: "ECONNRESET" },
  { t: 731.5, kind: "ws-frame", conn: "ws#1", dir: "in", opcode: "text", data: `4${HOSTILE}` },
  { t: 732.0, kind: "ws-close", conn: "ws#1", dir: "in", code: 1005 },
];

const base = { level: "MUST" as const, durationMs: 12.4, transcript: [] as TranscriptEvent[] };

/** One case of each verdict, in plan order. */
export const sampleCases: CaseResult[] = [
  {
    ...base,
    id: "eio4.handshake.open",
    title: "The first packet is an open packet",
    chapter: "engine.io v4 / handshake",
    rules: ["EIO4-HANDSHAKE-02"],
    verdict: "pass",
    durationMs: 3.2,
    transcript: failTranscript.slice(2, 4),
  },
  {
    ...base,
    id: "eio4.payload.records",
    title: `Payload records are split on 0x1e ${HOSTILE}`,
    chapter: "engine.io v4 / payload",
    rules: ["EIO4-PAYLOAD-01", "X-UNKNOWN-1"],
    verdict: "fail",
    reason: `the server answered a probe on a dead session ${HOSTILE}`,
    expected: "3probe, then no further polling response",
    observed: `400 {"code":1} and then 4${HOSTILE}`,
    durationMs: 732.9,
    transcript: failTranscript,
  },
  {
    ...base,
    id: "eio4.handshake.key-order",
    title: "Open packet keys in order — 日本語 🧦",
    chapter: "engine.io v4 / handshake",
    rules: ["EIO4-HANDSHAKE-03"],
    level: "SHOULD",
    verdict: "warn",
    reason: "keys arrived as sid, pingInterval, upgrades",
    expected: "sid, upgrades, pingInterval, pingTimeout, maxPayload",
    observed: XML_NASTY,
    transcript: failTranscript.slice(2, 4),
  },
  {
    ...base,
    id: "eio4.handshake.ping-interval",
    title: "Advertised pingInterval",
    chapter: "engine.io v4 / handshake",
    rules: ["EIO4-HANDSHAKE-02"],
    level: "MAY",
    verdict: "info",
    reason: "pingInterval 300 ms",
  },
  {
    ...base,
    id: "sio5.event.binary",
    title: "Binary event round trip",
    chapter: "socket.io v5 / event",
    rules: ["SIO5-EVENT-01"],
    verdict: "skip",
    reason: "the server does not echo (no echo contract)",
    durationMs: 0,
  },
  {
    ...base,
    id: "eio4.payload.batch",
    title: "Three packets in one POST",
    chapter: "engine.io v4 / payload",
    rules: ["EIO4-PAYLOAD-01"],
    verdict: "blocked",
    reason: `blocked: the POST answer is 200 OK — see eio4.payload.records (EIO4-PAYLOAD-01) ${HOSTILE}`,
    blockedBy: { case: "eio4.payload.records", rule: "EIO4-PAYLOAD-01" },
    expected: "200 ok",
    observed: "200 OK",
    transcript: failTranscript.slice(4, 6),
  },
  {
    ...base,
    id: "sio5.event.ack",
    title: "Ack with the same arguments",
    chapter: "socket.io v5 / event",
    rules: ["SIO5-EVENT-01"],
    verdict: "error",
    reason: `runner error: ECONNREFUSED ${XML_NASTY}`,
    expectation: "known-flaky",
    transcript: [{ t: 0, kind: "tcp", conn: "tcp#1", event: "error", detail: "connect ECONNREFUSED 127.0.0.1:1" }],
  },
];

/** The whole sample report. */
export function sampleReport(cases: CaseResult[] = sampleCases): ConformanceReport {
  const count = (v: CaseResult["verdict"]) => cases.filter((c) => c.verdict === v).length;
  return {
    tool: { name: "sockspec", version: "0.1.0" },
    target: { url: "http://127.0.0.1:3000", path: "/socket.io/", enginePath: "/engine.io/" },
    startedAt: "2026-01-02T03:04:05.000Z",
    durationMs: 1834.5,
    options: { strict: false, timeoutMultiplier: 1, concurrency: 4, only: [], skip: [] },
    observed: { pingInterval: 300, pingTimeout: 200, maxPayload: 1000000 },
    summary: {
      total: cases.length,
      pass: count("pass"),
      fail: count("fail"),
      warn: count("warn"),
      info: count("info"),
      skip: count("skip"),
      blocked: count("blocked"),
      error: count("error"),
      knownFailing: 0,
      flaky: 1,
      stale: 0,
    },
    cases,
  };
}
