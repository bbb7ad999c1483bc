/** The driver's side of the server children: fork, wait for ready, query memory, stop. */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildMessage, ParentMessage, WireProtocol } from "./ipc.js";
import { within } from "./stats.js";

/** The three servers the benchmark compares. */
export type TargetName = "reference" | "socket.io" | "ws";
export const TARGET_NAMES: readonly TargetName[] = ["reference", "socket.io", "ws"];

const ENTRY: Record<TargetName, string> = {
  reference: "./servers/reference.js",
  "socket.io": "./servers/socketio.js",
  ws: "./servers/ws-floor.js",
};

/** A running server child. */
export interface ServerChild {
  name: TargetName;
  port: number;
  protocol: WireProtocol;
  /** Memory of the child after a forced GC. */
  memory(): Promise<Extract<ChildMessage, { type: "memory" }>>;
  /** CPU time (user + system) the child has used so far, microseconds. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

/** Fork the child for `name`; resolves null (with the reason) when that server is not available. */
export async function startChild(
  name: TargetName,
  opts: { cpuProfileDir?: string } = {},
): Promise<ServerChild | { unavailable: string }> {
  const entry = fileURLToPath(new URL(ENTRY[name], import.meta.url));
  const execArgv = ["--expose-gc"];
  if (opts.cpuProfileDir)
    execArgv.push(
      "--cpu-prof",
      `--cpu-prof-dir=${opts.cpuProfileDir}`,
      `--cpu-prof-name=${name.replace(".", "")}.cpuprofile`,
    );
  const child: ChildProcess = fork(entry, [], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const first = await within(
    new Promise<ChildMessage>((resolve, reject) => {
      child.once("message", (m: ChildMessage) => resolve(m));
      child.once("exit", (code) => reject(new Error(`${name} server exited with ${code} before it was ready`)));
    }),
    15_000,
    `${name} server to start`,
  ).catch((err: Error) => ({ type: "unavailable", reason: err.message }) as const);
  if (first.type !== "ready") {
    child.kill();
    return { unavailable: first.type === "unavailable" ? first.reason : `unexpected ${first.type}` };
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const post = (m: ParentMessage) => child.send(m);
  return {
    name,
    port: first.port,
    protocol: first.protocol,
    memory: () => ask(child, name, "memory"),
    cpuMicros: async () => (await ask(child, name, "cpu")).micros,
    stop: async () => {
      if (child.exitCode !== null) return;
      post({ cmd: "stop" });
      await within(exited, 10_000, `${name} server to stop`).catch(() => {
        child.kill("SIGKILL");
      });
    },
  };
}

/** Send a query to a child and wait (bounded) for the reply of the same name. */
function ask<K extends "memory" | "cpu">(
  child: ChildProcess,
  name: TargetName,
  kind: K,
): Promise<Extract<ChildMessage, { type: K }>> {
  return within(
    new Promise((resolve) => {
      const onMessage = (m: ChildMessage) => {
        if (m.type !== kind) return;
        child.off("message", onMessage);
        resolve(m as Extract<ChildMessage, { type: K }>);
      };
      child.on("message", onMessage);
      child.send({ cmd: kind } satisfies ParentMessage);
    }),
    10_000,
    `${name} ${kind} report`,
  );
}
