// The version 3 chapters (eio3.*, sio4.*) against the three servers of test/v3/servers.ts, each
// judged with its expectations file under conformance/expectations/: every failure (and, the run
// being strict, every warning) must be listed there with the spec rule it breaks, and every
// listed case must still fail.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { v3Cases } from "../../conformance/cases/index.js";
import { failsRun, loadExpectations } from "../../conformance/expectations.js";
import { runSuite } from "../../conformance/runner/run.js";
import type { ConformanceReport } from "../../schemas/generated/conformance/report.js";
import { V3_SERVERS, V3_TIMINGS, type V3Server } from "./servers.js";

/** The expectations file of each server. */
const EXPECTATIONS: Record<keyof typeof V3_SERVERS, string> = {
  "socket.io 2.x": "socket.io-v2.json",
  "socket.io 4 (allowEIO3)": "official-eio3.json",
  "reference (allowEIO3)": "reference-eio3.json",
};

const RULE = /\b(?:EIO[34]|SIO[45]|DROP|STICKY|SEC)-[A-Z]+-\d+\b/g;
const knownRules = new Set(
  (JSON.parse(readFileSync(new URL("../../spec/rules.json", import.meta.url), "utf8")) as Array<{ id: string }>).map(
    (r) => r.id,
  ),
);

for (const [name, start] of Object.entries(V3_SERVERS) as Array<[keyof typeof V3_SERVERS, () => Promise<V3Server>]>) {
  describe(`the version 3 chapters against ${name}`, () => {
    const file = new URL(`../../conformance/expectations/${EXPECTATIONS[name]}`, import.meta.url).pathname;
    let server: V3Server;
    let report: ConformanceReport;

    beforeAll(async () => {
      server = await start();
      report = await runSuite({
        url: server.url,
        protocol: "eio3",
        strict: true,
        expectations: file,
        upgradeTimeout: V3_TIMINGS.upgradeTimeout,
      });
    }, 120_000);
    afterAll(async () => {
      if (report) {
        console.log(`${name}: ${JSON.stringify(report.summary)}`);
        for (const c of report.cases)
          if (c.verdict !== "pass" && c.verdict !== "info")
            console.log(`  ${c.verdict} ${c.id}${c.expectation ? ` [${c.expectation}]` : ""}: ${c.reason}`);
      }
      await server?.close();
    });

    it("runs every version 3 case, and only those", () => {
      expect(report.cases.map((c) => c.id)).toEqual(v3Cases.map((c) => c.id));
      expect(report.observed.protocols).toEqual({ eio3: ["/socket.io/", "/engine.io/"] });
    });

    it("skips nothing and errs nowhere: the server runs the whole v3 echo contract", () => {
      expect(
        report.cases.filter((c) => c.verdict === "skip" || c.verdict === "error").map((c) => `${c.id}: ${c.reason}`),
      ).toEqual([]);
    });

    it("has no failure or warning that its expectations file does not list", () => {
      expect(
        report.cases
          .filter((c) => failsRun(c, true) && c.expectation !== "stale")
          .map((c) => `${c.id}: ${c.verdict} — ${c.reason}`),
      ).toEqual([]);
    });

    it("has no stale expectation, and each names the rule it breaks", async () => {
      expect(report.cases.filter((c) => c.expectation === "stale").map((c) => c.id)).toEqual([]);
      const expectations = await loadExpectations(file);
      for (const e of [...(expectations.knownFailing ?? []), ...(expectations.knownFlaky ?? [])]) {
        const cited = e.reason.match(RULE) ?? [];
        expect(cited.length, `${e.id} cites no rule`).toBeGreaterThan(0);
        for (const id of cited) expect(knownRules.has(id), `${e.id} cites unknown rule ${id}`).toBe(true);
        const c = v3Cases.find((x) => x.id === e.id);
        expect(c, `${e.id} is no version 3 case`).toBeDefined();
        expect(
          cited.some((id) => c!.rules.includes(id)),
          `${e.id} names none of its case's rules`,
        ).toBe(true);
      }
    });
  });
}
