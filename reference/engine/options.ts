/**
 * Options of the Engine.IO server. Those that change the wire carry the official server's
 * names and defaults, so a configuration moves between the two unchanged.
 */
import type { IncomingMessage } from "node:http";
import { ENGINE_DEFAULTS } from "../../protocol/engine.io/constants.js";
import { realClock, type Clock } from "./clock.js";

/** CORS configuration: which origins may read responses. */
export interface CorsOptions {
  /** A fixed origin, a list of allowed origins (echoed back when matched), or true to echo any origin. */
  origin: string | string[] | true;
  /** Adds Access-Control-Allow-Credentials: true. */
  credentials?: boolean;
}

/** What allowRequest answers: true to let the handshake through, or the refusal's code and message. */
export type AllowRequestResult = true | { code?: number; message?: string };

export interface EngineServerOptions {
  /** Request path prefix; requests outside it are left to other handlers. Default "/engine.io/". */
  path?: string;
  /** Milliseconds between the pong and the next ping. Default 25000. */
  pingInterval?: number;
  /** Milliseconds the client has to answer a ping. Default 20000. */
  pingTimeout?: number;
  /** Milliseconds an upgrade may take from the WebSocket open to the upgrade packet. Default 10000. */
  upgradeTimeout?: number;
  /** Largest POST body or WebSocket message in bytes (inclusive), advertised as maxPayload. Default 1e6. */
  maxHttpBufferSize?: number;
  /** Enabled transports. Default ["polling", "websocket"]. */
  transports?: ReadonlyArray<"polling" | "websocket">;
  /** Whether polling sessions may upgrade to WebSocket. Default true. */
  allowUpgrades?: boolean;
  /** Whether Engine.IO v3 clients are let in. Default false. */
  allowEIO3?: boolean;
  /** CORS headers; off by default. */
  cors?: false | CorsOptions;
  /** Decides whether a handshake may proceed; a refusal is error code 4 (HTTP 403). */
  allowRequest?: (req: IncomingMessage) => Promise<AllowRequestResult>;
  /** Cap on the bytes waiting in one session's send buffer; over it the session closes. Default 1e7. */
  maxBufferedBytes?: number;
  /** Cap on the packets in one polling payload, both ways. Default 1000. */
  maxPacketsPerPayload?: number;
  /** Milliseconds a server close waits for the client to fetch the close packet over polling. Default 30000. */
  closeTimeout?: number;
  /** Time source; the real clock unless a test injects a manual one. */
  clock?: Clock;
}

/** Options with every default filled in. */
export type ResolvedOptions = Required<Omit<EngineServerOptions, "allowRequest">> &
  Pick<EngineServerOptions, "allowRequest">;

/** Fills in the defaults and normalises the path to end with a slash. */
export function resolveOptions(opts: EngineServerOptions = {}): ResolvedOptions {
  let path = opts.path ?? "/engine.io/";
  if (!path.endsWith("/")) path += "/";
  return {
    path,
    pingInterval: opts.pingInterval ?? ENGINE_DEFAULTS.pingInterval,
    pingTimeout: opts.pingTimeout ?? ENGINE_DEFAULTS.pingTimeout,
    upgradeTimeout: opts.upgradeTimeout ?? ENGINE_DEFAULTS.upgradeTimeout,
    maxHttpBufferSize: opts.maxHttpBufferSize ?? ENGINE_DEFAULTS.maxPayload,
    transports: opts.transports ?? ["polling", "websocket"],
    allowUpgrades: opts.allowUpgrades ?? true,
    allowEIO3: opts.allowEIO3 ?? false,
    cors: opts.cors ?? false,
    allowRequest: opts.allowRequest,
    maxBufferedBytes: opts.maxBufferedBytes ?? 1e7,
    maxPacketsPerPayload: opts.maxPacketsPerPayload ?? 1000,
    closeTimeout: opts.closeTimeout ?? 30000,
    clock: opts.clock ?? realClock(),
  };
}
