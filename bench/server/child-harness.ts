/**
 * The child side of the benchmark: start one server, report its port over IPC, answer memory
 * queries after a forced GC, and stop on request. Run with --expose-gc.
 */
import type { ChildMessage, ParentMessage, StartedServer } from "./ipc.js";

function send(message: ChildMessage): void {
  process.send?.(message);
}

/** Settle the heap as far as V8 lets us: several full GCs with a turn of the event loop between. */
async function settledMemory(): Promise<ChildMessage> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 4; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const usage = process.memoryUsage();
  return {
    type: "memory",
    heapUsed: usage.heapUsed,
    rss: usage.rss,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
  };
}

/** Run `start` in this child process and serve the driver's requests until told to stop. */
export async function runChild(start: () => Promise<StartedServer | { unavailable: string }>): Promise<void> {
  if (!process.send) throw new Error("a benchmark server child must be started with an IPC channel (fork)");
  if (!(globalThis as { gc?: unknown }).gc) throw new Error("a benchmark server child needs --expose-gc");
  let server: StartedServer;
  try {
    const started = await start();
    if ("unavailable" in started) {
      send({ type: "unavailable", reason: started.unavailable });
      process.disconnect();
      return;
    }
    server = started;
  } catch (err) {
    send({ type: "unavailable", reason: err instanceof Error ? err.message : String(err) });
    process.disconnect();
    return;
  }
  process.on("message", (message: ParentMessage) => {
    if (message.cmd === "cpu") {
      const usage = process.cpuUsage();
      send({ type: "cpu", micros: usage.user + usage.system });
    } else if (message.cmd === "memory") {
      void settledMemory().then(send);
    } else if (message.cmd === "stop") {
      // process.exit (not just letting the loop drain) so a --cpu-prof profile is written promptly
      // even if a client socket lingers.
      void server.close().finally(() => process.exit(0));
    }
  });
  // The parent is gone: do not outlive it.
  process.on("disconnect", () => process.exit(0));
  send({ type: "ready", port: server.port, protocol: server.protocol });
}
