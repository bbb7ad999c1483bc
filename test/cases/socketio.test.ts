// The Socket.IO v5 chapters: every case passes against the reference server (with and without
// connection state recovery); against the official server each case passes, or warns or fails
// exactly where the spec documents the official behaviour.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSuite } from "../../conformance/runner/run.js";
import { startEmbeddedServer, type EmbeddedServer } from "../../conformance/runner/embedded.js";
import { socketioV5Cases } from "../../conformance/cases/socket.io-v5/all.js";
import type { ConformanceReport } from "../../schemas/generated/conformance/report.js";
import { startOfficialServers, type OfficialServers } from "../support/official-servers.js";

const cases = socketioV5Cases;
const only = process.env.SIO_ONLY ? [process.env.SIO_ONLY] : [];

function notPass(report: ConformanceReport): Record<string, string> {
  return Object.fromEntries(report.cases.filter((c) => c.verdict !== "pass" && c.verdict !== "skip").map((c) => [c.id, `${c.verdict}: ${c.reason}`]));
}
function skipped(report: ConformanceReport): string[] {
  return report.cases.filter((c) => c.verdict === "skip").map((c) => c.id);
}

describe("against the reference server", () => {
  let server: EmbeddedServer;
  let report: ConformanceReport;
  beforeAll(async () => {
    server = await startEmbeddedServer();
    report = await runSuite({ url: server.url, cases, only, upgradeTimeout: 1000 });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it("every case passes; only the recovery cases are skipped", () => {
    expect(notPass(report)).toEqual({});
    expect(skipped(report).filter((id) => !id.startsWith("sio5.recovery."))).toEqual([]);
  });
});

describe("against the official server", () => {
  let servers: OfficialServers;
  let report: ConformanceReport;
  beforeAll(async () => {
    servers = await startOfficialServers({ pingInterval: 300, pingTimeout: 200, connectTimeout: 1000, upgradeTimeout: 1000 });
    report = await runSuite({ url: servers.url, cases, only, upgradeTimeout: 1000 });
  }, 120_000);
  afterAll(async () => {
    await servers?.close();
  });

  it("passes, or warns where the spec names the official behaviour", () => {
    console.log(JSON.stringify(notPass(report), null, 1));
    expect(notPass(report)).toEqual({});
  });
});
