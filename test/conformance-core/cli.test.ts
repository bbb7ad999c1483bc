// `sockspec test`: exit statuses, --list, filtering, expectations files and the JSON report.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseTestArgs, test as sockspecTest } from "../../cli/test.js";
import { allCases } from "../../conformance/cases/index.js";
import { validator } from "../../protocol/validators.js";
import { startStub, type StubServer } from "./stub-server.js";

let stub: StubServer | undefined;
let dir: string;
let out: string[];
let err: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sockspec-cli-"));
  out = [];
  err = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await stub?.close();
  stub = undefined;
  await rm(dir, { recursive: true, force: true });
});

const run = (...argv: string[]) => sockspecTest(["--out", dir, "--reporter", "json", ...argv]);

describe("sockspec test", () => {
  it("--list prints every case id, one per line", async () => {
    expect(await sockspecTest(["--list"])).toBe(0);
    expect(out.join("").trim().split("\n")).toEqual(allCases.map((c) => c.id));
  });

  it("--list honours --only and --skip", async () => {
    expect(await sockspecTest(["--list", "--only", "eio4.handshake.ws-*", "--skip", "**.ws-error-version"])).toBe(0);
    expect(out.join("").trim().split("\n")).toEqual([
      "eio4.handshake.ws-error-sid-unknown",
      "eio4.handshake.ws-error-transport",
    ]);
  });

  it("usage errors exit 2", async () => {
    expect(await sockspecTest(["--bogus"])).toBe(2);
    expect(await sockspecTest(["--concurrency", "0"])).toBe(2);
    expect(await sockspecTest(["--reporter", "xml"])).toBe(2);
    expect(await sockspecTest(["ftp://x"])).toBe(2);
    expect(err.join("")).toMatch(/unknown option '--bogus'/);
  });

  it("parses every flag", () => {
    const a = parseTestArgs([
      "http://h:1",
      "--path=/io/",
      "--engine-path",
      "none",
      "--only",
      "a.*",
      "--only",
      "b.**",
      "--skip",
      "c",
      "--strict",
      "--reporter",
      "json,junit",
      "--timeout-multiplier",
      "2.5",
      "--concurrency",
      "3",
      "--expectations",
      "e.json",
      "--upgrade-timeout",
      "500",
    ]);
    expect(a).toMatchObject({
      url: "http://h:1",
      path: "/io/",
      enginePath: null,
      only: ["a.*", "b.**"],
      skip: ["c"],
      strict: true,
      reporters: ["json", "junit"],
      timeoutMultiplier: 2.5,
      concurrency: 3,
      expectations: "e.json",
      upgradeTimeout: 500,
    });
    expect(parseTestArgs([]).reporters).toEqual(["pretty", "json"]);
  });

  it("an unreachable server exits 2", async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const { port } = s.address() as AddressInfo;
    await new Promise<void>((r) => s.close(() => r()));
    expect(await run(`http://127.0.0.1:${port}`)).toBe(2);
    expect(err.join("")).toMatch(/does not answer/);
  });

  it("a conforming server exits 0 and the report is written and valid", async () => {
    stub = await startStub();
    expect(await run(stub.url, "--only", "eio4.handshake.**")).toBe(0);
    const report = JSON.parse(await readFile(join(dir, "report.json"), "utf8"));
    expect(validator("conformance/report.json")(report)).toBe(true);
    expect(report.summary.fail).toBe(0);
  }, 20_000);

  it("a broken server exits 1; --strict turns a SHOULD warning into a failure", async () => {
    // An open packet with a key too many breaks EIO4-HANDSHAKE-02, a MUST.
    stub = await startStub(["extraKey"]);
    expect(await run(stub.url, "--only", "eio4.handshake.**")).toBe(1);
    await stub.close();
    stub = await startStub(["noCacheControl"]);
    expect(await run(stub.url, "--only", "eio4.handshake.**")).toBe(0);
    expect(await run(stub.url, "--only", "eio4.handshake.**", "--strict")).toBe(1);
  }, 30_000);

  it("expectations: known failing passes -> stale -> exit 1; known failing fails -> exit 0; bad file -> exit 2", async () => {
    stub = await startStub(["contentTypeHtml"]);
    const file = join(dir, "expectations.json");
    await writeFile(
      file,
      JSON.stringify({ knownFailing: [{ id: "eio4.handshake.polling-content-type", reason: "tracked" }] }),
    );
    expect(await run(stub.url, "--only", "eio4.handshake.**", "--expectations", file)).toBe(0);
    await writeFile(
      file,
      JSON.stringify({
        knownFailing: [
          { id: "eio4.handshake.polling-content-type", reason: "tracked" },
          { id: "eio4.handshake.polling-status", reason: "fixed long ago" },
        ],
      }),
    );
    expect(await run(stub.url, "--only", "eio4.handshake.**", "--expectations", file)).toBe(1);
    const report = JSON.parse(await readFile(join(dir, "report.json"), "utf8"));
    expect(report.summary).toMatchObject({ stale: 1, knownFailing: 1 });
    await writeFile(file, "{ not json");
    expect(await run(stub.url, "--expectations", file)).toBe(2);
    await writeFile(file, JSON.stringify({ knownFailing: [{ id: "x" }] }));
    expect(await run(stub.url, "--expectations", file)).toBe(2);
  }, 30_000);

  it("without a URL it tests the embedded reference server", async () => {
    expect(await run("--only", "eio4.handshake.**")).toBe(0);
    const report = JSON.parse(await readFile(join(dir, "report.json"), "utf8"));
    expect(report.observed).toMatchObject({ pingInterval: 300, pingTimeout: 200 });
    expect(report.cases.length).toBe(allCases.filter((c) => c.id.startsWith("eio4.handshake.")).length);
  }, 30_000);
});
