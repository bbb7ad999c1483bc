import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createPrettyReporter, protocolsText } from "../../conformance/reporters/pretty.js";
import { stripAnsi, wantsColor } from "../../conformance/reporters/style.js";
import type { RunPlan } from "../../conformance/runner/reporter.js";
import { HOSTILE, sampleCases, sampleReport, sampleRules } from "./sample-report.js";

function capture(tty: boolean) {
  const stream = new PassThrough();
  Object.assign(stream, { isTTY: tty });
  let out = "";
  stream.on("data", (b: Buffer) => (out += b.toString("utf8")));
  return { stream, text: () => out };
}

function plan(): RunPlan {
  const report = sampleReport();
  return {
    cases: sampleCases.map((c) => ({
      id: c.id,
      title: c.title,
      chapter: c.chapter,
      rules: c.rules,
      level: c.level,
      timing: "instant" as const,
    })),
    target: report.target,
    options: report.options,
    outDir: "reports",
  };
}

async function run(tty: boolean, color?: boolean) {
  const cap = capture(tty);
  const reporter = createPrettyReporter({
    stream: cap.stream,
    rules: sampleRules,
    ...(color === undefined ? {} : { color }),
  });
  await reporter.onStart?.(plan());
  // Completion order differs from plan order, as it does in a real run.
  for (const c of [...sampleCases].reverse()) await reporter.onCaseEnd?.(c);
  await reporter.onEnd(sampleReport());
  return cap.text();
}

describe("pretty reporter", () => {
  it("prints the summary line on its own line, plain, and the wall time", async () => {
    const out = stripAnsi(await run(true, true));
    const lines = out.split("\n");
    expect(lines).toContain("conformance: 1 passed, 1 failed, 1 skipped");
    const i = lines.indexOf("conformance: 1 passed, 1 failed, 1 skipped");
    expect(lines[i + 1]).toMatch(/1 warned, 1 info, 1 blocked, 1 errored, 1 flaky/);
    expect(lines[i + 2]).toBe("wall time 1.83 s");
  });

  it("details failures: rule ids with text, expected vs observed, the last 15 transcript events", async () => {
    const out = stripAnsi(await run(false));
    const detail = out.slice(out.indexOf("FAIL eio4.payload.records"));
    expect(detail).toContain("EIO4-PAYLOAD-01 (MUST) Polling bodies are payloads");
    expect(detail).toContain("X-UNKNOWN-1 (not in this spec)");
    expect(detail).toContain("expected 3probe, then no further polling response");
    expect(detail).toContain(`observed 400 {"code":1} and then 4${HOSTILE}`);
    expect(detail).toContain("(5 earlier events not shown)");
    expect(detail).toContain("+8.1ms  ⇠ ws#1 text 3probe");
    expect(detail).toContain("+732.0ms  ✕ ws#1 close 1005");
    expect(detail).not.toContain("opening a polling session"); // event 1 of 20 is cut
    expect(out).toContain("WARN eio4.handshake.key-order");
    expect(out).toContain("E ERROR sio5.event.ack");
  });

  it("lists blocked cases under the case whose precondition blocked them, not among the failures", async () => {
    const out = stripAnsi(await run(false));
    expect(out).not.toContain("BLOCKED eio4.payload.batch");
    const block = out.slice(out.indexOf("\nBlocked "));
    expect(block).toContain("eio4.payload.records (fail, EIO4-PAYLOAD-01) blocks 1 case:");
    expect(block).toContain("⊘ eio4.payload.batch");
  });

  it("groups finished cases under their chapter", async () => {
    const out = await run(false);
    const hs = out.indexOf("\nengine.io v4 / handshake\n");
    expect(hs).toBeGreaterThanOrEqual(0);
    const block = out.slice(hs).split("\n\n")[0]!;
    expect(block).toContain("✓ eio4.handshake.open");
    expect(block).toContain("! eio4.handshake.key-order");
    expect(block).toContain("i eio4.handshake.ping-interval");
    expect(out.match(/\nsocket\.io v5 \/ event\n/g)).toHaveLength(1);
  });

  it("writes plain lines with no escape codes when the stream is not a TTY", async () => {
    const out = await run(false);
    expect(out).not.toContain("\x1b");
    expect(out).not.toContain("\r");
    // Control characters from the server never reach the terminal raw.
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });

  it("redraws a progress counter on a TTY", async () => {
    const out = await run(true, false);
    expect(out).toContain("\r\x1b[2K[1/7]");
    expect(out).toContain("[7/7]");
  });

  it("lists every case when only onEnd is called", async () => {
    const cap = capture(false);
    await createPrettyReporter({ stream: cap.stream, rules: sampleRules }).onEnd(sampleReport());
    for (const c of sampleCases) expect(cap.text()).toContain(c.id);
  });

  it("survives a verdict it does not know", async () => {
    const cap = capture(true);
    const odd = { ...sampleCases[0]!, id: "x.odd", verdict: "bogus" } as unknown as (typeof sampleCases)[number];
    const reporter = createPrettyReporter({ stream: cap.stream, rules: sampleRules, color: true });
    await reporter.onCaseEnd?.(odd);
    await reporter.onEnd(sampleReport([odd]));
    expect(stripAnsi(cap.text())).toContain("? x.odd");
  });

  it("colours only a TTY without NO_COLOR", () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    expect(wantsColor(tty, {})).toBe(true);
    expect(wantsColor(tty, { NO_COLOR: "1" })).toBe(false);
    expect(wantsColor(new PassThrough(), {})).toBe(false);
  });
});

describe("the protocol versions a run judged", () => {
  it("names each version with the paths that speak it, v4 first, and nothing for an old report", () => {
    const report = sampleReport();
    expect(protocolsText({ ...report, observed: { ...report.observed, protocols: {} } })).toBe("");
    const both = {
      ...report,
      observed: { ...report.observed, protocols: { eio3: ["/socket.io/"], eio4: ["/socket.io/", "/engine.io/"] } },
    };
    expect(protocolsText(both)).toBe("Engine.IO v4 at /socket.io/, /engine.io/; Engine.IO v3 at /socket.io/");
  });
});
