/**
 * The embedded reference server that `sockspec test` runs against when no URL is given: both
 * endpoints with the echo contract and short timings, so the whole suite runs in seconds.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { attach, type AttachOptions } from "../../reference/attach.js";
import type { Seams } from "../../reference/seams.js";
import { installEngineEcho, installSocketEcho } from "../../reference/apps/echo.js";

/** The short timings of the embedded server (see docs/echo-contract.md). */
export const EMBEDDED_TIMINGS = {
  pingInterval: 300,
  pingTimeout: 200,
  connectTimeout: 1000,
  upgradeTimeout: 1000,
} as const;

export interface EmbeddedServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/** Starts the reference server with the echo app on 127.0.0.1, port 0 (`seams`: see attach()). */
export async function startEmbeddedServer(options: AttachOptions = {}, seams?: Seams): Promise<EmbeddedServer> {
  const http: Server = createServer();
  const attached = attach(
    http,
    { ...EMBEDDED_TIMINGS, maxHttpBufferSize: 1e6, enginePath: "/engine.io/", ...options },
    seams,
  );
  if (attached.engine) installEngineEcho(attached.engine);
  installSocketEcho(attached.io);
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(0, "127.0.0.1", resolve);
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await attached.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
