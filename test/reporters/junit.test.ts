import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createJUnitReporter, JUNIT_FILE, renderJUnit } from "../../conformance/reporters/junit.js";
import { escapeXml } from "../../conformance/reporters/xml.js";
import { findAll, parseXml } from "./xml-check.js";
import { HOSTILE, sampleReport, sampleRules } from "./sample-report.js";

describe("JUnit reporter", () => {
  const xml = renderJUnit(sampleReport(), sampleRules);
  const root = parseXml(xml);
  const suites = findAll(root, "testsuite");
  const byName = (name: string) => findAll(root, "testcase").find((t) => t.attrs["name"]!.startsWith(name))!;

  it("is well-formed XML with one testsuite per chapter and the right counts", () => {
    expect(root.name).toBe("testsuites");
    expect(root.attrs).toMatchObject({ tests: "7", failures: "1", errors: "1", skipped: "2", time: "1.835" });
    expect(suites.map((s) => s.attrs["name"])).toEqual([
      "engine.io v4 / handshake",
      "engine.io v4 / payload",
      "socket.io v5 / event",
    ]);
    expect(suites.map((s) => [s.attrs["tests"], s.attrs["failures"], s.attrs["errors"], s.attrs["skipped"]])).toEqual([
      ["3", "0", "0", "0"],
      ["2", "1", "0", "1"],
      ["2", "0", "1", "1"],
    ]);
    for (const s of suites) expect(findAll(s, "testcase")).toHaveLength(Number(s.attrs["tests"]));
  });

  it("names each testcase `id — title` with its chapter as classname and time in seconds", () => {
    const t = byName("eio4.handshake.open");
    expect(t.attrs).toMatchObject({
      classname: "engine.io v4 / handshake",
      name: "eio4.handshake.open — The first packet is an open packet",
      time: "0.003",
    });
    expect(t.children.map((c) => c.name)).toEqual(["properties"]);
  });

  it("puts the reason, rules, expected/observed and transcript into <failure>", () => {
    const t = byName("eio4.payload.records");
    expect(t.attrs["name"]).toContain(HOSTILE); // escaped in the file, intact once parsed
    const [failure] = findAll(t, "failure");
    expect(failure!.attrs["message"]).toBe(`the server answered a probe on a dead session ${HOSTILE}`);
    expect(failure!.text).toContain(
      "EIO4-PAYLOAD-01 (MUST): Polling bodies are payloads of records separated by 0x1e <b>not bold</b>.",
    );
    expect(failure!.text).toContain("X-UNKNOWN-1: (not in this spec)");
    expect(failure!.text).toContain("expected: 3probe, then no further polling response");
    expect(failure!.text).toContain("+8.1ms  ⇠ ws#1 text 3probe");
    expect(failure!.text).toContain("opening a polling session"); // the whole transcript, not a tail
    expect(failure!.text.split("\n").filter((l) => /^\s+\+\d/.test(l))).toHaveLength(20);
  });

  it("maps error, skip, warn and info", () => {
    expect(findAll(byName("sio5.event.ack"), "error")[0]!.attrs["message"]).toContain("runner error: ECONNREFUSED");
    expect(findAll(byName("sio5.event.binary"), "skipped")[0]!.attrs["message"]).toBe(
      "the server does not echo (no echo contract)",
    );
    const warn = byName("eio4.handshake.key-order");
    expect(findAll(warn, "failure")).toHaveLength(0);
    expect(findAll(warn, "system-out")[0]!.text).toMatch(/^WARNING/);
    expect(findAll(warn, "property").find((p) => p.attrs["name"] === "warning")!.attrs["value"]).toBe(
      "keys arrived as sid, pingInterval, upgrades",
    );
    const info = byName("eio4.handshake.ping-interval");
    expect(findAll(info, "system-out")[0]!.text).toBe("observed: pingInterval 300 ms");
  });

  it("maps blocked to skipped, naming the case that checks the broken precondition", () => {
    const t = byName("eio4.payload.batch");
    expect(findAll(t, "failure")).toHaveLength(0);
    expect(findAll(t, "skipped")[0]!.attrs["message"]).toBe(
      `blocked: the POST answer is 200 OK — see eio4.payload.records (EIO4-PAYLOAD-01) ${HOSTILE}`,
    );
    expect(findAll(t, "property").find((p) => p.attrs["name"] === "blocked-by")!.attrs["value"]).toBe(
      "eio4.payload.records EIO4-PAYLOAD-01",
    );
    expect(findAll(t, "system-out")[0]!.text).toMatch(/^BLOCKED \(not a failure: see eio4.payload.records\)/);
  });

  it("escapes what XML cannot carry and keeps astral characters", () => {
    expect(escapeXml("a\u0000b\u001bc]]>d\ud800e🧦\uffff")).toBe("a\\u0000b\\u001bc]]&gt;d\\ud800e🧦\\uffff");
    expect(escapeXml("x\ny\tz", true)).toBe("x&#10;y&#9;z");
    expect(escapeXml("x\ny", false)).toBe("x\ny");
    expect(xml).not.toContain("]]>");
    const observed = findAll(byName("eio4.handshake.key-order"), "system-out")[0]!.text;
    expect(observed).toContain("nul\\u0000 bel\\u0007 esc\\u001b ]]> lone\\ud800 & \"q\" 'a' 🧦 ✓");
  });

  it("the checker itself rejects broken XML", () => {
    expect(() => parseXml("<a><b></a></b>")).toThrow();
    expect(() => parseXml("<a>x\u0001</a>")).toThrow();
    expect(() => parseXml("<a>]]></a>")).toThrow();
    expect(() => parseXml("<a x='1' x='2'/>")).toThrow();
    expect(() => parseXml("<a>&nbsp;</a>")).toThrow();
    expect(() => parseXml("<a/><b/>")).toThrow();
    expect(parseXml("<a x='&lt;'>&#x1F9E6;</a>")).toMatchObject({ attrs: { x: "<" }, text: "🧦" });
  });

  describe("writing the file", () => {
    let dir = "";
    afterEach(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });
    it("writes conformance.junit.xml into outDir on onEnd", async () => {
      dir = await mkdtemp(join(tmpdir(), "sockspec-junit-"));
      await createJUnitReporter({ outDir: join(dir, "nested"), rules: sampleRules }).onEnd(sampleReport());
      expect(await readFile(join(dir, "nested", JUNIT_FILE), "utf8")).toBe(xml);
    });
  });
});
