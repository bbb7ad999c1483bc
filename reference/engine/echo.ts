/**
 * The bare Engine.IO side of the echo contract (the server the conformance suite judges runs
 * this): every message comes back unchanged, `sockspec:close` closes the session, and
 * `sockspec:burst:N` sends `burst:1` .. `burst:N`.
 */
import type { EngineConnection } from "./connection.js";

/** Largest N a burst request may ask for. */
export const MAX_BURST = 1000;

/** Wires the echo contract onto one connection. */
export function engineEcho(conn: EngineConnection): void {
  conn.on("message", (data) => {
    if (typeof data === "string") {
      if (data === "sockspec:close") return conn.close();
      if (data.startsWith("sockspec:burst:")) {
        const n = Number(data.slice("sockspec:burst:".length));
        if (Number.isInteger(n) && n >= 0 && n <= MAX_BURST) {
          for (let i = 1; i <= n; i++) conn.send(`burst:${i}`);
          return;
        }
      }
    }
    conn.send(data);
  });
}
