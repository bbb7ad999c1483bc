/**
 * A slow network on loopback: a TCP relay in front of a server that holds every chunk for a
 * fixed delay in each direction, so a run against it sees a round trip of about twice that
 * delay, as it would against a server across a real network. It proves the suite's timing is
 * portable: the same server must earn the same verdicts behind the relay as without it.
 *
 * The relay runs on a thread of its own, as a network does: on the runner's event loop it would
 * take turns with the runner (and an embedded server), and it would read a server's answer only
 * after its own pending writes, a whole loop turn late — a 413 sent just before the server
 * resets its connection would then be lost, which no real network does.
 */
import { Worker } from "node:worker_threads";
import type { ServerHandle, StartServer } from "./full-suite.js";

/** A running relay. */
export interface DelayRelay {
  /** `http://127.0.0.1:<port>`: point clients here instead of at the server. */
  url: string;
  /** Ends every relayed connection and stops the relay. */
  close(): Promise<void>;
}

/** What the relay thread is started with. */
interface RelayConfig {
  host: string;
  port: number;
  delayMs: number;
}

/**
 * The relay thread's whole program. It runs as an eval'd worker, so it must be self-contained:
 * no closure, no import, only `require` (an eval'd worker is CommonJS); which also lets it run
 * unchanged from the TypeScript sources under vitest and from the build.
 */
function relayThread(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const net = require("node:net") as typeof import("node:net");
  const { parentPort, workerData } = require("node:worker_threads") as typeof import("node:worker_threads");
  const { host, port, delayMs } = workerData as RelayConfig;
  const sockets = new Set<import("node:net").Socket>();
  // One direction of a connection: every chunk, and the end, reaches `to` `delayMs` after it
  // left `from`, in order (Node fires timers of equal delay in the order they were set).
  // Due steps are taken one per loop turn, so that the poll phase between two writes reads
  // what the other side sent meanwhile: a server that refuses a body answers (413) and resets
  // while the relay still holds chunks of it, and a write that fails on the reset destroys the
  // socket, which would then never read the answer already there.
  const forward = (from: import("node:net").Socket, to: import("node:net").Socket, onError: "reset" | "end") => {
    const due: Array<() => void> = [];
    const pump = () => {
      due.shift()!();
      if (due.length > 0) setImmediate(pump);
    };
    const later = (step: () => void) =>
      setTimeout(() => {
        due.push(step);
        if (due.length === 1) setImmediate(pump);
      }, delayMs);
    from.on("data", (chunk: Buffer) => later(() => to.destroyed || to.write(chunk)));
    // A FIN is passed on after the data sent before it, like on a real link.
    from.on("end", () => later(() => to.destroyed || to.end()));
    from.on("error", () => later(() => (onError === "reset" ? to.resetAndDestroy() : to.destroyed || to.end())));
  };
  // Half-open allowed on both legs: a FIN from one side must not cut the answer coming back.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({ host, port, allowHalfOpen: true });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      // Small writes go out at once: the delay is the relay's, not Nagle's.
      s.setNoDelay(true);
    }
    // The runner's resets (the drop cases) reach the server as resets; the server's reach the
    // runner as an end after its last bytes, which the runner may still be reading.
    forward(client, upstream, "reset");
    forward(upstream, client, "end");
    // A runner that is gone takes the server's connection with it once its last bytes are
    // through. The other way round the runner only gets the end: it may still be sending a
    // body the server refused, and a socket destroyed under it would lose the refusal.
    client.on("close", () => setTimeout(() => upstream.destroy(), delayMs));
  });
  server.listen(0, "127.0.0.1", () =>
    parentPort!.postMessage((server.address() as import("node:net").AddressInfo).port),
  );
  parentPort!.on("message", () => {
    for (const s of sockets) s.destroy();
    server.close(() => process.exit(0));
  });
}

/**
 * Starts a relay on 127.0.0.1, port 0, to `target` (`http://host:port`), delaying each chunk
 * `delayMs` each way.
 * @example
 * ```ts
 * const relay = await startDelayRelay("http://127.0.0.1:3000", 25); // about 50 ms round trip
 * await runSuite({ url: relay.url });
 * ```
 */
export async function startDelayRelay(target: string, delayMs: number): Promise<DelayRelay> {
  const { hostname, port } = new URL(target);
  const workerData: RelayConfig = { host: hostname.replace(/^\[|\]$/g, ""), port: Number(port || 80), delayMs };
  const worker = new Worker(`(${relayThread.toString()})()`, { eval: true, workerData });
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  const listening = await new Promise<number>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return {
    url: `http://127.0.0.1:${listening}`,
    async close() {
      worker.postMessage("close");
      await exited;
    },
  };
}

/**
 * A starter whose servers sit behind a {@link startDelayRelay}: for `runFullSuite` and the
 * stability run's `--relay-ms` variant.
 */
export function behindRelay(start: StartServer, delayMs: number): StartServer {
  return async (variant) => {
    const server: ServerHandle = await start(variant);
    const relay = await startDelayRelay(server.url, delayMs);
    return {
      url: relay.url,
      async close() {
        await relay.close();
        await server.close();
      },
    };
  };
}
