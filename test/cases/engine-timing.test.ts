// The timing chapters (Engine.IO v4 UPGRADE, HEARTBEAT, CLOSE and operations DROP) at 300/200 ms:
// every case passes against the reference server; the official servers fail or warn only where
// the spec says why; and reference servers with one fault switched on make the cases of that
// fault's rule fail or warn.
import { ENGINE_FAULTS, seamsFor, type EngineFault } from "../../reference/faults/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Case } from "../../conformance/case.js";
import { closeCases } from "../../conformance/cases/engine.io-v4/close.js";
import { heartbeatCases } from "../../conformance/cases/engine.io-v4/heartbeat.js";
import { upgradeCases } from "../../conformance/cases/engine.io-v4/upgrade.js";
import { dropCases } from "../../conformance/cases/operations/drop.js";
import { runSuite } from "../../conformance/index.js";
import { startEmbeddedServer, type EmbeddedServer } from "../../conformance/runner/embedded.js";
import type { ConformanceReport } from "../../schemas/generated/conformance/report.js";
import { startOfficialServers, type OfficialServers } from "../support/official-servers.js";

const cases: Case[] = [...upgradeCases, ...heartbeatCases, ...closeCases, ...dropCases];
const TIMINGS = { pingInterval: 300, pingTimeout: 200, connectTimeout: 1000, upgradeTimeout: 1000 };
/** Skipped against a server that offers WebSocket: it needs one whose handshake lists no upgrade. */
const POLLING_ONLY = ["eio4.upgrade.unadvertised-refused"];
/** Skipped against a server without connection state recovery: it restores the sockets of a dropped session. */
const NEEDS_RECOVERY = ["ops.drop.namespaces-end-with-session"];

function verdicts(
  report: ConformanceReport,
  keep: (verdict: string) => boolean = (v) => v !== "pass",
): Record<string, string> {
  return Object.fromEntries(report.cases.filter((c) => keep(c.verdict)).map((c) => [c.id, c.verdict]));
}

function run(url: string, only: readonly Case[] = cases): Promise<ConformanceReport> {
  return runSuite({ url, cases: only, upgradeTimeout: TIMINGS.upgradeTimeout });
}

/**
 * Runs the cases at once, then re-runs alone each case that failed: at 300/200 ms a loaded
 * machine can delay a timer past its grace. A case that passes alone is reported as flaky (and
 * printed), never silently dropped.
 */
async function runSteady(url: string, only: readonly Case[] = cases): Promise<ConformanceReport> {
  const report = await run(url, only);
  for (const [i, c] of report.cases.entries()) {
    if (c.verdict !== "fail" && c.verdict !== "error") continue;
    const again = (
      await run(
        url,
        only.filter((x) => x.id === c.id),
      )
    ).cases[0]!;
    if (again.verdict !== c.verdict)
      console.log(`flaky under load: ${c.id} ${c.verdict} (${c.reason}), alone ${again.verdict}`);
    report.cases[i] = again;
  }
  return report;
}

function explain(report: ConformanceReport): void {
  for (const c of report.cases)
    if (c.verdict !== "pass" && c.verdict !== "skip") console.log(c.id, c.verdict, c.reason, c.observed ?? "");
}

describe("the timing chapters", () => {
  it("count about 67 cases with unique ids, each citing at least one rule", () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases) expect(c.rules.length, c.id).toBeGreaterThan(0);
  });
});

describe("against the reference server", () => {
  let server: EmbeddedServer;
  let pollingOnly: EmbeddedServer;
  let recovering: EmbeddedServer;
  let report: ConformanceReport;
  beforeAll(async () => {
    server = await startEmbeddedServer();
    pollingOnly = await startEmbeddedServer({ transports: ["polling"] });
    recovering = await startEmbeddedServer({ connectionStateRecovery: { maxDisconnectionDuration: 60_000 } });
    report = await run(server.url);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await pollingOnly?.close();
    await recovering?.close();
  });

  it("passes every case (those that need a polling-only server or recovery skip)", () => {
    explain(report);
    expect(verdicts(report, (v) => v !== "pass" && v !== "info")).toEqual(
      Object.fromEntries([...POLLING_ONLY, ...NEEDS_RECOVERY].map((id) => [id, "skip"])),
    );
  });

  it("runs the waiting cases at once: the whole run takes a few heartbeat periods, not their sum", () => {
    const longest = Math.max(...report.cases.map((c) => c.durationMs));
    console.log(
      `timing chapters: ${cases.length} cases in ${Math.round(report.durationMs)} ms, longest case ${Math.round(longest)} ms`,
    );
    expect(report.durationMs).toBeLessThan(longest * 3 + 5000);
  });

  it("disconnects every namespace socket of a dropped session, on a server with recovery", async () => {
    const only = cases.filter((c) => NEEDS_RECOVERY.includes(c.id));
    expect(verdicts(await run(recovering.url, only), () => true)).toEqual(
      Object.fromEntries(NEEDS_RECOVERY.map((id) => [id, "pass"])),
    );
  }, 30_000);

  it("refuses an unadvertised upgrade on a polling-only server", async () => {
    const only = cases.filter((c) => POLLING_ONLY.includes(c.id));
    expect(verdicts(await run(pollingOnly.url, only), () => true)).toEqual(
      Object.fromEntries(POLLING_ONLY.map((id) => [id, "pass"])),
    );
  }, 30_000);
});

describe("against the official servers", () => {
  let servers: OfficialServers;
  let report: ConformanceReport;
  beforeAll(async () => {
    servers = await startOfficialServers(TIMINGS);
    report = await runSteady(servers.url);
  }, 60_000);
  afterAll(async () => {
    await servers?.close();
  });

  it("passes everything but the deviations the spec documents", () => {
    explain(report);
    expect(verdicts(report, (v) => v !== "pass" && v !== "skip" && v !== "info")).toEqual({
      // EIO4-CLOSE-02 note: the official server ignores `1` over WebSocket (socket.io#5286).
      "eio4.close.client-close-websocket": "warn",
      "eio4.close.client-close-upgraded": "warn",
      // EIO4-UPGRADE-14 (MAY): a `5` sent before the first noop (the official server sends it on
      // a 100 ms interval) makes the official server answer the pending GET with `1`, not `6`.
      "eio4.upgrade.upgrade-before-noop": "warn",
    });
  });
});

/**
 * Each fault switch of the reference server, with the cases of these chapters it must make fail (or
 * warn). Every case listed cites the fault's rule or one the spec ties to it; a fault that breaks a
 * precondition of other cases only blocks them (see conformance/preconditions.ts).
 */
const MUTANTS: Partial<Record<EngineFault, string[]>> = {
  "no-noop-during-upgrade": ["eio4.upgrade.noop-to-pending-get", "eio4.upgrade.noop-repeated"],
  "ping-never-sent": [
    "eio4.heartbeat.first-ping-polling",
    "eio4.heartbeat.first-ping-websocket",
    "eio4.heartbeat.upgraded-session",
  ],
  "pong-ignored": [
    "eio4.heartbeat.cycles-polling",
    "eio4.heartbeat.cycles-websocket",
    "eio4.heartbeat.upgraded-session",
    "ops.drop.no-pong-websocket",
    "ops.drop.no-pong-polling",
    "ops.drop.half-open-websocket-after-pong",
    "ops.drop.half-open-upgraded",
  ],
  "session-not-freed-after-timeout": [
    "eio4.heartbeat.no-pong-polling",
    "ops.drop.stops-polling",
    "ops.drop.buffer-discarded",
    "ops.drop.half-open-pending-get",
  ],
  "second-websocket-accepted": ["eio4.upgrade.second-websocket-during-probe"],
  "upgrade-flush-reordered": ["eio4.upgrade.flush-buffered", "eio4.upgrade.no-loss-across"],
  "first-ping-early": ["eio4.heartbeat.first-ping-polling", "eio4.heartbeat.first-ping-websocket"],
  "client-close-ignored-on-websocket": ["eio4.close.client-close-websocket", "eio4.close.client-close-upgraded"],
  "probe-answer-missing": [
    "eio4.upgrade.probe",
    "eio4.upgrade.complete",
    "eio4.upgrade.listed-upgrade-works",
    "eio4.upgrade.retry-after-failed-probe",
    "ops.drop.probe-half-open",
  ],
  "polling-after-upgrade-accepted": ["eio4.upgrade.polling-after-upgrade"],
  "websocket-session-polled": ["eio4.upgrade.websocket-session-stays"],
  "server-close-without-close-packet": ["eio4.close.server-close-pending-get"],
  "post-ok-wrong-body": ["eio4.close.client-close-post-ok"],
  "aborted-get-ignored": ["ops.drop.reset-pending-get"],
  "aborted-post-delivers": ["ops.drop.reset-mid-post", "ops.drop.closed-mid-post"],
  "ws-close-keeps-session": ["ops.drop.upgraded-websocket-reset"],
  "refusal-closes-session": ["eio4.upgrade.polling-after-upgrade", "eio4.upgrade.websocket-session-stays"],
  "client-ping-answered": ["eio4.heartbeat.client-ping-polling", "eio4.heartbeat.client-ping-websocket"],
  "probe-close-ends-session": [
    "eio4.upgrade.probe-closed-by-client",
    "ops.drop.probe-dropped-after-3probe",
    "ops.drop.probe-dropped-before-3probe",
  ],
  "probe-drop-loses-buffer": ["ops.drop.probe-dropped-after-3probe", "ops.drop.probe-dropped-before-3probe"],
  "probe-slot-not-freed": ["eio4.upgrade.retry-after-failed-probe", "ops.drop.probe-half-open"],
  "packets-on-probe-before-upgrade": [
    "eio4.upgrade.echo-during-probe-over-polling",
    "eio4.upgrade.burst-during-probe-over-polling",
    "eio4.upgrade.no-loss-across",
    "eio4.upgrade.heartbeat-during-probe",
    "ops.drop.probe-dropped-after-3probe",
    "ops.drop.probe-dropped-before-3probe",
  ],
  "pending-get-closed-at-upgrade": ["eio4.upgrade.upgrade-before-noop"],
  "bad-probe-closes-session": [
    "eio4.upgrade.bad-first-frame",
    "eio4.upgrade.bad-probe-data",
    "eio4.upgrade.bad-frame-after-probe",
    "eio4.upgrade.retry-after-failed-probe",
  ],
  "no-upgrade-timeout": ["eio4.upgrade.timeout", "ops.drop.probe-half-open"],
  "next-ping-from-ping": ["eio4.heartbeat.next-ping-from-pong-polling", "eio4.heartbeat.next-ping-from-pong-websocket"],
  "unsolicited-pong-closes": ["eio4.heartbeat.unsolicited-pong-polling", "eio4.heartbeat.unsolicited-pong-websocket"],
  "messages-as-liveness": [
    "eio4.heartbeat.traffic-not-liveness-polling",
    "eio4.heartbeat.traffic-not-liveness-websocket",
  ],
  "ping-timeout-late": [
    "eio4.heartbeat.no-pong-polling",
    "eio4.heartbeat.no-pong-websocket",
    "eio4.heartbeat.upgraded-session",
    "ops.drop.no-pong-websocket",
    "ops.drop.no-pong-polling",
    "ops.drop.half-open-websocket",
    "ops.drop.half-open-websocket-after-pong",
    "ops.drop.half-open-upgraded",
  ],
  "client-close-answers-close-packet": ["eio4.close.client-close-pending-get"],
  "records-after-close-delivered": ["eio4.close.records-after-close"],
  "close-drops-buffer": ["eio4.close.server-close-buffered-first", "eio4.close.nothing-after-server-close"],
  "polling-deliver-after-close": ["eio4.close.nothing-after-server-close"],
  "probe-left-open-on-close": ["eio4.close.client-close-ends-probe", "eio4.close.server-close-ends-probe"],
  "server-close-leaves-websocket-open": ["eio4.close.server-close-websocket", "eio4.close.server-close-upgraded"],
  "server-close-freed-at-once": [
    "eio4.close.server-close-no-get",
    "eio4.close.server-close-buffered-first",
    "eio4.close.nothing-after-server-close",
    "eio4.close.server-close-ends-probe",
  ],
  "unknown-sid-websocket-accepted": [
    "eio4.upgrade.unknown-sid",
    "eio4.close.client-close-sid-gone",
    "eio4.close.sid-gone-everywhere",
  ],
};

describe("against broken servers", () => {
  it("each reference fault makes the cases of its rule fail or warn", async () => {
    const missed: string[] = [];
    for (const [fault, expected] of Object.entries(MUTANTS) as Array<[EngineFault, string[]]>) {
      const server = await startEmbeddedServer({}, seamsFor([`eio:${fault}`]));
      try {
        const report = await run(
          server.url,
          cases.filter((c) => expected.includes(c.id)),
        );
        // A failure seen while the runner stalled is reported as error, and still names what it saw.
        const bad = Object.fromEntries(
          report.cases
            .filter(
              (c) =>
                c.verdict === "fail" ||
                c.verdict === "warn" ||
                (c.verdict === "error" && c.reason?.startsWith("the runner itself stalled")),
            )
            .map((c) => [c.id, c.verdict]),
        );
        for (const id of expected)
          if (!bad[id]) missed.push(`${fault} (${ENGINE_FAULTS[fault].rule}) did not break ${id}`);
      } finally {
        await server.close();
      }
    }
    expect(missed).toEqual([]);
  }, 300_000);
});
