/** Every Socket.IO v5 case, in the order of the spec's chapters (for tests and the registry). */
import type { Case } from "../../case.js";
import { sio5AckCases } from "./ack.js";
import { sio5BinaryCases } from "./binary.js";
import { sio5ConnectCases } from "./connect.js";
import { sio5DisconnectCases } from "./disconnect.js";
import { sio5ErrorCases } from "./errors.js";
import { sio5EventCases } from "./event.js";
import { sio5NamespaceCases } from "./namespace.js";
import { sio5PacketCases } from "./packet.js";
import { sio5RecoveryCases } from "./recovery.js";
import { sio5TimeoutCases } from "./timeout.js";

export const socketioV5Cases: readonly Case[] = [
  ...sio5PacketCases,
  ...sio5ConnectCases,
  ...sio5NamespaceCases,
  ...sio5EventCases,
  ...sio5AckCases,
  ...sio5BinaryCases,
  ...sio5DisconnectCases,
  ...sio5ErrorCases,
  ...sio5TimeoutCases,
  ...sio5RecoveryCases,
];
