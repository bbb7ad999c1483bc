/**
 * Socket.IO v5, chapter PACKET: one packet per Engine.IO message, and a payload that is exactly
 * one JSON value, with nothing before or after it.
 */
import { defineChapter } from "../../case.js";
import { violation } from "../../checks/sio-violation.js";

export const sio5PacketCases = defineChapter("socket.io v5 / packet", [
  {
    id: "sio5.packet.trailing-text",
    title: 'Text after the JSON payload (42["message","x"]x) closes the session',
    rules: ["SIO5-EVENT-01", "SIO5-PACKET-02", "SIO5-PACKET-04"],
    level: "MUST",
    requires: ["socketio"],
    run: violation(['42["message","x"]x'], 'the trailing x of 42["message","x"]x'),
  },
  {
    id: "sio5.packet.two-in-one",
    title: "Two packets in one Engine.IO message close the session",
    rules: ["SIO5-PACKET-03", "SIO5-EVENT-01", "SIO5-PACKET-04"],
    level: "MUST",
    requires: ["socketio"],
    run: violation(['42["message","a"]2["message","b"]'], "two packets in one message"),
  },
  {
    id: "sio5.packet.whitespace-after",
    title: "Whitespace after the payload closes the session (the official server accepts it: warning)",
    rules: ["SIO5-PACKET-08", "SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violation(['42["message","x"] '], 'a space after 42["message","x"]'),
  },
  {
    id: "sio5.packet.whitespace-before",
    title: "Whitespace before the payload closes the session (the official server reads it as ack id 0: warning)",
    rules: ["SIO5-ACK-11", "SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violation(['42 ["message-with-ack","x"]'], '42 ["message-with-ack","x"]'),
  },
  {
    id: "sio5.packet.payload-string",
    title: 'An EVENT whose payload is a string (42"message") closes the session',
    rules: ["SIO5-EVENT-01", "SIO5-PACKET-06"],
    level: "MUST",
    requires: ["socketio"],
    run: violation(['42"message"'], '42"message"'),
  },
]);
