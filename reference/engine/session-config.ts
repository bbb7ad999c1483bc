/**
 * The settings and the small result types of the session core (see session.ts).
 */
import { NOOP_INTERVAL_MS } from "../../protocol/engine.io/constants.js";
import type { Clock } from "./clock.js";
import type { Wire } from "./wire.js";

/** How often the noop is repeated to the polling transport while a probe is answered. */
export const NOOP_REPEAT_MS = NOOP_INTERVAL_MS;

/** Settings of one session (the server's options, resolved). */
export interface SessionConfig {
  id: string;
  protocol: 3 | 4;
  /** v3: false when the client asked for base64 (`b64=1`). */
  supportsBinary: boolean;
  /** The transport that opened the session. */
  transport: "polling" | "websocket";
  /** Transports a polling session may upgrade to (advertised in the handshake). */
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  upgradeTimeout: number;
  /** maxHttpBufferSize, advertised as maxPayload. */
  maxPayload: number;
  maxBufferedBytes: number;
  maxPacketsPerPayload: number;
  closeTimeout: number;
  clock: Clock;
  /** Packet <-> bytes for the session's version and binary mode (wireFor() unless the server's seams give another). */
  wire: Wire;
}

/** open: normal; closing: a server close waits for the client to fetch it; closed: gone. */
export type SessionState = "open" | "closing" | "closed";

/** How a POST body went: `ok` (200 ok), `bad` (refused, session closed), `gone` (session already closed). */
export type PostOutcome = "ok" | "bad" | "gone";

/** Where an upgrade attempt stands, as seen by a new WebSocket that names this session. */
export type UpgradeStatus = "ready" | "upgrading" | "upgraded" | "closed";
