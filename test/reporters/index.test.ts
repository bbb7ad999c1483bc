import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createReporter } from "../../conformance/reporters/index.js";

describe("createReporter", () => {
  it("makes each named reporter and refuses an unknown name", () => {
    const opts = { outDir: "reports", stream: new PassThrough() };
    for (const name of ["pretty", "junit", "html"]) expect(typeof createReporter(name, opts).onEnd).toBe("function");
    expect(() => createReporter("tap", opts)).toThrow("unknown reporter: tap");
  });
});
