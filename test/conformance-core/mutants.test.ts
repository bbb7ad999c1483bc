// Every handshake case passes against a correct stub and fails against at least one broken one:
// a case that no broken server can make fail checks nothing.
import { afterEach, describe, expect, it } from "vitest";
import { handshakeCases } from "../../conformance/cases/engine.io-v4/handshake.js";
import { runSuite } from "../../conformance/index.js";
import type { ConformanceReport } from "../../schemas/generated/conformance/report.js";
import { STUB_FAULTS, startStub, type StubFault, type StubServer } from "./stub-server.js";

let stub: StubServer | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

async function runAgainst(faults: StubFault[]): Promise<ConformanceReport> {
  stub = await startStub(faults);
  try {
    return await runSuite({ url: stub.url, enginePath: "/engine.io/", cases: handshakeCases, concurrency: 8 });
  } finally {
    await stub.close();
    stub = undefined;
  }
}

describe("handshake cases against stub servers", () => {
  it("all pass (or report info) against the correct stub", async () => {
    const report = await runAgainst([]);
    const notPass = report.cases
      .filter((c) => c.verdict !== "pass" && c.verdict !== "info")
      .map((c) => `${c.id}: ${c.verdict} ${c.reason}`);
    expect(notPass).toEqual([]);
    expect(report.cases.find((c) => c.id === "eio4.handshake.advertised-timings")?.verdict).toBe("info");
  }, 30_000);

  it("each case fails against at least one broken stub, and each fault is caught", async () => {
    const caught = new Map<string, StubFault[]>();
    for (const fault of STUB_FAULTS) {
      const report = await runAgainst([fault]);
      const bad = report.cases.filter((c) => c.verdict === "fail" || c.verdict === "warn").map((c) => c.id);
      expect(bad, `fault ${fault} went unnoticed`).not.toEqual([]);
      for (const id of bad) caught.set(id, [...(caught.get(id) ?? []), fault]);
    }
    const uncaught = handshakeCases.map((c) => c.id).filter((id) => !caught.has(id));
    expect(uncaught).toEqual([]);
  }, 120_000);

  it("a SHOULD case reports warn, not fail", async () => {
    const report = await runAgainst(["keyOrder", "noCacheControl"]);
    expect(report.cases.find((c) => c.id === "eio4.handshake.key-order")?.verdict).toBe("warn");
    expect(report.cases.find((c) => c.id === "eio4.handshake.no-store")?.verdict).toBe("warn");
    expect(report.cases.find((c) => c.id === "eio4.handshake.keys-exact")?.verdict).toBe("pass");
  }, 30_000);

  it("a failure carries expected and observed", async () => {
    const report = await runAgainst(["status201"]);
    const c = report.cases.find((x) => x.id === "eio4.handshake.polling-status")!;
    expect(c.verdict).toBe("fail");
    expect(c.expected).toBe("200");
    expect(c.observed).toBe("201");
    expect(c.transcript.some((e) => e.kind === "http-response" && e.status === 201)).toBe(true);
  }, 30_000);
});
