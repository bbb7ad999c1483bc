/** The official socket.io@4 server with the echo contract (test/support/official-servers.ts), default timings. */
import { runChild } from "../child-harness.js";
import { startOfficialServers } from "../../../test/support/official-servers.js";

await runChild(async () => {
  // Default heartbeat timings, as a production server would run; the bare Engine.IO endpoint is not measured.
  const servers = await startOfficialServers({ engine: false });
  return { port: servers.port, protocol: "socket.io", close: servers.close };
});
