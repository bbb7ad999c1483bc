// Version detection: the run asks each endpoint for EIO=4 and EIO=3, judges every version the
// server speaks, says which in the report's header, and ends with exit status 2 and one line when
// --protocol asks for a version the server does not speak. Against a v4-only server (the
// reference), a v3-only one (socket.io 2.x) and one that speaks both (socket.io 4 with allowEIO3).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineChapter, type CaseDefinition } from "../../conformance/case.js";
import { startEmbeddedServer } from "../../conformance/runner/embedded.js";
import { runSuite } from "../../conformance/runner/run.js";
import { detectVersions, ProtocolNotSpokenError } from "../../conformance/runner/versions.js";
import { test as cliTest } from "../../cli/test.js";
import { startOfficialEIO3, startSocketIOv2, type V3Server } from "./servers.js";

/** One case per version, each passing when it runs: which ones a run plans says what it judges. */
const probeCases = defineChapter("detection", [
  { id: "eio4.detect.runs", title: "v4", rules: [], level: "MUST", run: async () => undefined },
  { id: "eio3.detect.runs", title: "v3", rules: [], level: "MUST", run: async () => undefined },
] satisfies CaseDefinition[]);

const servers: Record<string, V3Server> = {};

beforeAll(async () => {
  [servers.v4, servers.v3, servers.both] = await Promise.all([
    startEmbeddedServer(),
    startSocketIOv2(),
    startOfficialEIO3(),
  ]);
}, 30_000);
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
});

const signal = new AbortController().signal;
const config = (url: string) => ({ url, path: "/socket.io/", enginePath: "/engine.io/" });

describe("version detection", () => {
  it("finds v4 only on the reference server", async () => {
    const { spoken } = await detectVersions(config(servers.v4!.url), 3000, signal);
    expect(spoken).toEqual({ eio4: ["/socket.io/", "/engine.io/"], eio3: [] });
  });

  it("finds v3 only on socket.io 2.x, whose answer to EIO=4 is a v3 payload", async () => {
    const { spoken } = await detectVersions(config(servers.v3!.url), 3000, signal);
    expect(spoken).toEqual({ eio4: [], eio3: ["/socket.io/", "/engine.io/"] });
  });

  it("finds both on socket.io 4 with allowEIO3", async () => {
    const { spoken } = await detectVersions(config(servers.both!.url), 3000, signal);
    expect(spoken).toEqual({ eio4: ["/socket.io/", "/engine.io/"], eio3: ["/socket.io/", "/engine.io/"] });
  });
});

describe("the versions a run judges", () => {
  const planned = async (url: string, protocol?: "eio4" | "eio3" | "all") => {
    const report = await runSuite({ url, cases: probeCases, ...(protocol ? { protocol } : {}) });
    return { ids: report.cases.map((c) => c.id), protocols: report.observed.protocols };
  };

  it("judges v4 only on a v4-only server, and says so in the header", async () => {
    expect(await planned(servers.v4!.url)).toEqual({
      ids: ["eio4.detect.runs"],
      protocols: { eio4: ["/socket.io/", "/engine.io/"] },
    });
  });

  it("gives a v3-only server the v3 chapters, not v4 failures", async () => {
    const report = await runSuite({ url: servers.v3!.url, cases: probeCases });
    expect(report.cases.map((c) => c.id)).toEqual(["eio3.detect.runs"]);
    expect(report.observed.protocols).toEqual({ eio3: ["/socket.io/", "/engine.io/"] });
    // The timings come from the v3 handshake.
    expect(report.observed).toMatchObject({ pingInterval: 300, pingTimeout: 200 });
  });

  it("judges both on a server that speaks both, or the one --protocol names", async () => {
    expect((await planned(servers.both!.url)).ids).toEqual(["eio4.detect.runs", "eio3.detect.runs"]);
    expect((await planned(servers.both!.url, "eio3")).ids).toEqual(["eio3.detect.runs"]);
    expect((await planned(servers.both!.url, "eio4")).ids).toEqual(["eio4.detect.runs"]);
    expect((await planned(servers.both!.url, "all")).ids).toEqual(["eio4.detect.runs", "eio3.detect.runs"]);
  });

  it("refuses a version the server does not speak", async () => {
    await expect(runSuite({ url: servers.v3!.url, cases: probeCases, protocol: "eio4" })).rejects.toBeInstanceOf(
      ProtocolNotSpokenError,
    );
    await expect(runSuite({ url: servers.v4!.url, cases: probeCases, protocol: "all" })).rejects.toThrow(
      /does not speak Engine\.IO v3/,
    );
  });

  it("ends `sockspec test --protocol eio4` against a v3-only server with one line and exit 2", async () => {
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    let status: number;
    try {
      status = await cliTest([
        servers.v3!.url,
        "--protocol",
        "eio4",
        "--reporter",
        "json",
        "--out",
        "/tmp/sockspec-v3-detect",
      ]);
    } finally {
      process.stderr.write = write;
    }
    expect(status).toBe(2);
    const text = written.join("");
    expect(text.trim().split("\n")).toHaveLength(1);
    expect(text).toMatch(
      /--protocol eio4: the server at http:\/\/127\.0\.0\.1:\d+ does not speak Engine\.IO v4 \(EIO=4\); it speaks eio3 at \/socket\.io\/, \/engine\.io\//,
    );
  });
});
