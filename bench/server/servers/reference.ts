/**
 * The sockspec reference server, wired to the echo contract, as a benchmark child.
 *
 * ADAPTER: the reference server's entry point is loaded by a computed specifier so that this file
 * compiles before reference/attach.ts exists; once it is there, this adapter calls
 * `attach(httpServer, options)` (which mounts reference/apps/echo.ts) with default timings.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { runChild } from "../child-harness.js";

/** What this adapter needs from reference/attach.ts. */
interface ReferenceModule {
  attach(httpServer: import("node:http").Server, options?: Record<string, unknown>): { close?(): unknown } | unknown;
}

await runChild(async () => {
  const specifier = new URL("../../../reference/attach.js", import.meta.url).href;
  let mod: ReferenceModule;
  try {
    mod = (await import(specifier)) as ReferenceModule;
  } catch (err) {
    return { unavailable: `reference/attach.js could not be loaded (${err instanceof Error ? err.message : String(err)})` };
  }
  if (typeof mod.attach !== "function") return { unavailable: "reference/attach.js exports no attach()" };
  const http = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const attached = mod.attach(http, { path: "/socket.io/" }) as { close?(): unknown } | undefined;
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    port: (http.address() as AddressInfo).port,
    protocol: "socket.io",
    close: async () => {
      await attached?.close?.();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
});
