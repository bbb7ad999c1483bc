import { describe, expect, it } from "vitest";
import { validator, describeErrors } from "../protocol/validators.js";

describe("schema validators", () => {
  it("accept a real handshake and reject one with a missing key", () => {
    const v = validator("engine.io/v4/handshake.json");
    expect(
      v({
        sid: "lv_VI97HAXpY6yYWAAAC",
        upgrades: ["websocket"],
        pingInterval: 25000,
        pingTimeout: 20000,
        maxPayload: 1000000,
      }),
    ).toBe(true);
    expect(v({ sid: "x", upgrades: [], pingInterval: 1, pingTimeout: 1 })).toBe(false);
    expect(describeErrors(v.errors)).toMatch(/maxPayload/);
  });

  it("reject a reserved event name by fragment reference", () => {
    const v = validator("socket.io/v5/packet.json#/$defs/eventArguments");
    expect(v(["chat", 1])).toBe(true);
    expect(v([7])).toBe(true);
    expect(v(["disconnect"])).toBe(false);
    expect(v([])).toBe(false);
  });
});
