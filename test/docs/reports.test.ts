/**
 * How the site reads the checked-in results of real implementations: the title and versions of
 * each JSON report come from the section of docs/implementations.md that links it.
 */
import { describe, expect, it } from "vitest";
import { implementationsMeta, publishedReport } from "../../scripts/docs/reports.js";
import { sampleReport } from "../reporters/sample-report.js";

const PAGE = `# Real implementations under the suite

| Server | Versions |

## Official Node servers: socket.io 4.8.4 + engine.io 6.6.12

Versions: socket.io 4.8.4, engine.io 6.6.12, Node 20.20.2.

Raw report: [official-node.json](implementations/official-node.json).

## python-socketio 5.7.2 + python-engineio 4.3.4

Versions: python-socketio 5.7.2, python-engineio 4.3.4, Python 3.11.2.

Raw report: [python-socketio.json](implementations/python-socketio.json).
`;

describe("implementationsMeta", () => {
  it("maps each linked JSON report to its section's title and versions", () => {
    const meta = implementationsMeta(PAGE);
    expect([...meta.keys()]).toEqual(["official-node.json", "python-socketio.json"]);
    expect(meta.get("official-node.json")).toEqual({
      title: "Official Node servers: socket.io 4.8.4 + engine.io 6.6.12",
      versions: { "socket.io": "4.8.4", "engine.io": "6.6.12", Node: "20.20.2" },
    });
    expect(meta.get("python-socketio.json")?.versions.Python).toBe("3.11.2");
  });

  it("finds nothing in a page without such sections", () => {
    expect(implementationsMeta("# Nothing here\n").size).toBe(0);
  });
});

describe("publishedReport", () => {
  it("keeps transcripts only where a reader needs them", () => {
    const report = publishedReport(sampleReport());
    for (const c of report.cases) {
      if (["fail", "warn", "blocked", "error"].includes(c.verdict)) continue;
      expect([c.id, c.transcript]).toEqual([c.id, []]);
    }
    expect(report.cases.some((c) => c.transcript.length > 0)).toBe(true);
  });
});
