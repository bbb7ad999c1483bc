/**
 * The registry of every conformance case, in the order of the spec's chapters. A new case file
 * adds one import and one spread below; nothing else refers to case files directly.
 */
import type { Case } from "../case.js";
import { handshakeCases } from "./engine.io-v4/handshake.js";
import { packetCases } from "./engine.io-v4/packet.js";
import { payloadCases } from "./engine.io-v4/payload.js";
import { pollingCases } from "./engine.io-v4/polling.js";
import { websocketCases } from "./engine.io-v4/websocket.js";
import { errorCases } from "./engine.io-v4/errors.js";
import { limitCases } from "./engine.io-v4/limits.js";
import { corsCases } from "./engine.io-v4/cors.js";

/** Every case of the suite, in spec order. */
export const allCases: readonly Case[] = [
  ...handshakeCases,
  ...packetCases,
  ...payloadCases,
  ...pollingCases,
  ...websocketCases,
  ...errorCases,
  ...limitCases,
  ...corsCases,
];
