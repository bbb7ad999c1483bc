/**
 * The sockspec reference server with the echo contract (reference/attach.ts +
 * reference/apps/echo.ts), default timings, as a benchmark child.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { runChild } from "../child-harness.js";
import { attach } from "../../../reference/attach.js";
import { installSocketEcho } from "../../../reference/apps/echo.js";

await runChild(async () => {
  const http = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  // Default heartbeat timings, as a production server would run; the bare Engine.IO endpoint is not measured.
  const attached = attach(http, { path: "/socket.io/" });
  installSocketEcho(attached.io);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    port: (http.address() as AddressInfo).port,
    protocol: "socket.io",
    close: async () => {
      await attached.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
});
