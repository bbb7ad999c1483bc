/**
 * `sockspec serve`: the reference server on a port, running the echo contract (the default)
 * or the chat demo. It prints the URL it listens on and stops on SIGINT/SIGTERM.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { attach, type AttachOptions } from "../reference/attach.js";
import { installEngineEcho, installSocketEcho } from "../reference/apps/echo.js";
import { chatPageHandler, installChat } from "../reference/apps/chat/index.js";

const usage = `Usage: sockspec serve [options]

Start the reference server.

Options:
  --port <n>              port to listen on (default 3000; 0 picks a free one)
  --host <addr>           address to listen on (default 127.0.0.1)
  --app <echo|chat>       echo: the echo contract on /socket.io/ and /engine.io/ (default)
                          chat: the chat demo page at / with the official browser client
  --ping-interval <ms>    pingInterval (default 25000)
  --ping-timeout <ms>     pingTimeout (default 20000)
  --upgrade-timeout <ms>  upgradeTimeout (default 10000)
  --connect-timeout <ms>  Socket.IO connectTimeout (default 45000)
  --max-payload <bytes>   maxHttpBufferSize, advertised as maxPayload (default 1000000)
  --transports <list>     comma-separated: polling,websocket (default both)
  --cors <origin>         allow this origin (* for any); CORS is off by default
  --allow-eio3            also accept Engine.IO v3 / Socket.IO v4 clients
  -h, --help              show this help
`;

/** What the command line asks for, checked. */
export interface ServeConfig {
  port: number;
  host: string;
  app: "echo" | "chat";
  attach: AttachOptions;
}

/** A usage error: bad flag or bad value. */
class UsageError extends Error {}

function integer(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} needs a whole number, got '${value}'`);
  const n = Number(value);
  if (n < min || !Number.isSafeInteger(n)) throw new UsageError(`--${name} must be at least ${min}`);
  return n;
}

/** Parses `sockspec serve` arguments; undefined means --help. Throws UsageError. */
export function parseServeArgs(argv: string[]): ServeConfig | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        app: { type: "string" },
        "ping-interval": { type: "string" },
        "ping-timeout": { type: "string" },
        "upgrade-timeout": { type: "string" },
        "connect-timeout": { type: "string" },
        "max-payload": { type: "string" },
        transports: { type: "string" },
        cors: { type: "string" },
        "allow-eio3": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return undefined;
  const app = values.app ?? "echo";
  if (app !== "echo" && app !== "chat") throw new UsageError(`--app must be echo or chat, got '${app}'`);
  const options: AttachOptions = {};
  const set = <K extends keyof AttachOptions>(key: K, value: AttachOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set("pingInterval", integer("ping-interval", values["ping-interval"], 1));
  set("pingTimeout", integer("ping-timeout", values["ping-timeout"], 1));
  set("upgradeTimeout", integer("upgrade-timeout", values["upgrade-timeout"], 1));
  set("connectTimeout", integer("connect-timeout", values["connect-timeout"], 1));
  set("maxHttpBufferSize", integer("max-payload", values["max-payload"], 1));
  if (values.transports !== undefined) {
    const list = values.transports
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    const bad = list.find((t) => t !== "polling" && t !== "websocket");
    if (bad !== undefined || list.length === 0)
      throw new UsageError(`--transports takes polling and/or websocket, got '${values.transports}'`);
    options.transports = [...new Set(list)] as ("polling" | "websocket")[];
  }
  if (values.cors !== undefined) {
    if (values.cors === "") throw new UsageError("--cors needs an origin");
    options.cors = { origin: values.cors === "*" ? true : values.cors };
  }
  if (values["allow-eio3"]) options.allowEIO3 = true;
  return {
    port: integer("port", values.port, 0) ?? 3000,
    host: values.host ?? "127.0.0.1",
    app,
    attach: options,
  };
}

/** Where the command writes, and what stops it (SIGINT/SIGTERM when not given). */
export interface ServeIO {
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
  /** Stops the server when aborted; tests use it instead of a signal. */
  signal?: AbortSignal;
  /** Called once the server listens, with its base URL. */
  onListening?: (url: string) => void;
}

/** `sockspec serve [options]`: returns the exit status once stopped (0), 1 if it cannot listen, 2 on a usage error. */
export async function serve(argv: string[], io: ServeIO = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let config: ServeConfig | undefined;
  try {
    config = parseServeArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    stderr.write(`sockspec serve: ${err.message}\n\n${usage}`);
    return 2;
  }
  if (!config) {
    stdout.write(usage);
    return 0;
  }

  const http = createServer(config.app === "chat" ? chatPageHandler() : echoIndex);
  const attached = attach(http, { ...config.attach, ...(config.app === "echo" ? { enginePath: "/engine.io/" } : {}) });
  if (config.app === "echo") {
    installSocketEcho(attached.io);
    if (attached.engine) installEngineEcho(attached.engine);
  } else {
    installChat(attached.io);
  }

  try {
    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(config.port, config.host, () => {
        http.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    stderr.write(`sockspec serve: cannot listen on ${config.host}:${config.port}: ${(err as Error).message}\n`);
    await attached.close();
    return 1;
  }

  const address = http.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  stdout.write(
    config.app === "chat"
      ? `sockspec chat listening on ${url}/\n`
      : `sockspec reference server (echo) listening on ${url}\n  Socket.IO: ${url}/socket.io/\n  Engine.IO: ${url}/engine.io/\n`,
  );
  io.onListening?.(url);

  await new Promise<void>((resolve) => {
    if (io.signal) {
      if (io.signal.aborted) return resolve();
      io.signal.addEventListener("abort", () => resolve(), { once: true });
      return;
    }
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await attached.close();
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  stdout.write("sockspec serve: stopped\n");
  return 0;
}

/** The echo server's page at `/`: where the endpoints are. */
function echoIndex(req: IncomingMessage, res: ServerResponse): void {
  if (new URL(req.url ?? "/", "http://localhost").pathname !== "/") {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    return;
  }
  res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
  res.end("sockspec reference server: Socket.IO at /socket.io/, Engine.IO at /engine.io/ (echo contract)\n");
}
