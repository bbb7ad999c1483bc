import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createReporter, REPORTER_NAMES } from "../../conformance/reporters/index.js";
import { sampleReport } from "./sample-report.js";

describe("createReporter", () => {
  let dir = "";
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = "";
  });

  it("makes each named reporter and refuses an unknown name", () => {
    const opts = { outDir: "reports", stream: new PassThrough() };
    for (const name of REPORTER_NAMES) expect(typeof createReporter(name, opts).onEnd).toBe("function");
    expect(() => createReporter("tap", opts)).toThrow("unknown reporter: tap");
  });

  it("the file reporters write their files into outDir", async () => {
    dir = await mkdtemp(join(tmpdir(), "sockspec-reporters-"));
    for (const name of ["json", "junit", "html"]) await createReporter(name, { outDir: dir }).onEnd(sampleReport());
    expect(JSON.parse(await readFile(join(dir, "report.json"), "utf8"))).toEqual(sampleReport());
    expect(await readFile(join(dir, "conformance.junit.xml"), "utf8")).toMatch(/^<\?xml/);
    expect(await readFile(join(dir, "conformance.html"), "utf8")).toMatch(/^<!doctype html>/);
  });
});
