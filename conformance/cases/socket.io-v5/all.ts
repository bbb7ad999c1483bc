/** Every Socket.IO v5 case, in the order of the spec's chapters (for tests and the registry). */
import type { Case } from "../../case.js";
import { ackCases } from "./ack.js";
import { binaryCases } from "./binary.js";
import { connectCases } from "./connect.js";
import { disconnectCases } from "./disconnect.js";
import { eventCases } from "./event.js";
import { namespaceCases } from "./namespace.js";

export const socketioV5Cases: readonly Case[] = [...connectCases, ...namespaceCases, ...eventCases, ...ackCases, ...binaryCases, ...disconnectCases];
