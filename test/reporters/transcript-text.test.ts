import { describe, expect, it } from "vitest";
import { describeEvent, transcriptLines, visible, binaryPreview } from "../../conformance/reporters/transcript-text.js";
import { failTranscript } from "./sample-report.js";

describe("transcript text", () => {
  it("renders each event kind as one compact line", () => {
    expect(
      describeEvent({
        t: 0,
        kind: "http-request",
        conn: "http#1",
        method: "GET",
        url: "/engine.io/?EIO=4&transport=polling",
        headers: {},
      }),
    ).toBe("→ GET /engine.io/?EIO=4&transport=polling");
    expect(
      describeEvent({
        t: 0,
        kind: "http-response",
        conn: "http#1",
        status: 200,
        headers: { "content-type": "text/plain" },
        body: '0{"sid":"x"}',
      }),
    ).toBe('← 200 text/plain 0{"sid":"x"}');
    expect(describeEvent({ t: 0, kind: "ws-frame", conn: "ws#1", dir: "out", opcode: "text", data: "2probe" })).toBe(
      "⇢ ws#1 text 2probe",
    );
    expect(describeEvent({ t: 0, kind: "ws-frame", conn: "ws#1", dir: "in", opcode: "text", data: "3probe" })).toBe(
      "⇠ ws#1 text 3probe",
    );
    expect(describeEvent({ t: 0, kind: "ws-close", conn: "ws#1", dir: "in", code: 1005 })).toBe("✕ ws#1 close 1005");
    expect(describeEvent({ t: 0, kind: "ws-close", conn: "ws#1", dir: "out", code: 1000, reason: "bye" })).toBe(
      '✕ ws#1 close 1000 "bye" (sent)',
    );
    expect(describeEvent({ t: 0, kind: "tcp", conn: "tcp#2", event: "rst", detail: "ECONNRESET" })).toBe(
      "⚡ tcp#2 tcp rst ECONNRESET",
    );
    expect(describeEvent({ t: 0, kind: "note", text: "waiting" })).toBe("· waiting");
    expect(describeEvent({ t: 0, kind: "ws-open", conn: "ws#1", url: "/e/", status: 101 })).toBe("⇄ ws#1 open /e/ 101");
  });

  it("makes control characters visible and previews binary as hex", () => {
    expect(visible("4a\u001e4b\u0000\u007f")).toBe("4a␞4b␀␡");
    expect(visible("lone \ud800 pair 🧦")).toBe("lone \ufffd pair 🧦");
    expect(binaryPreview("AQIDBP8=")).toBe("<binary 5 bytes: 01 02 03 04 ff>");
    expect(
      describeEvent({ t: 0, kind: "ws-frame", conn: "ws#1", dir: "in", opcode: "binary", dataBase64: "BAE=" }),
    ).toBe("⇠ ws#1 binary <binary 2 bytes: 04 01>");
  });

  it("prefixes a padded offset and keeps only the last events when asked", () => {
    const lines = transcriptLines(failTranscript, { last: 15 });
    expect(lines).toHaveLength(16);
    expect(lines[0]).toBe("(5 earlier events not shown)");
    expect(lines[15]).toBe(" +732.0ms  ✕ ws#1 close 1005");
    const long = transcriptLines(failTranscript.slice(7, 8))[0]!;
    expect(long).toMatch(/…\(\d+ more chars\)$/);
  });
});
