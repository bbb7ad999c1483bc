// Every MUST of the protocols the runner judges (Engine.IO v4 and v3, Socket.IO v5 and v4, operations) that binds
// a server is cited by a case and broken, alone, by a fault switch of the reference server — the
// kill matrix (test/mutants.test.ts) then proves that the fault fails a case citing that rule.
// The rules still short of that are listed with the reason; the list cannot go stale.
import { describe, expect, it } from "vitest";
import { allCases } from "../../conformance/cases/index.js";
import { rules } from "../../conformance/generated/rules.js";
import { allMutants } from "../../conformance/mutants/catalogue.js";

/** MUST rules no case can break alone today, with why (each must still be short of coverage). */
const UNCHECKED: Readonly<Record<string, string>> = {
  "EIO4-PAYLOAD-05":
    "a server breaks it only when its application sends 0x1E in a text message to a polling client; the echo contract has no control message that makes it do so",
  "SIO5-EVENT-02":
    "the echo contract never asks the server to emit a reserved event name, so a server that would send one cannot be seen",
  "STICKY-02": "a second node of a deployment is needed to send a request to the node that does not hold the session",
  "STICKY-08": "it only shows on a server configured to set a cookie",
  "SEC-05":
    "its failure (a crash under malformed input) shows as every other case failing, not as a verdict of its own",
  // Rules that frame the others: any server fault that breaks one either blocks every case (the
  // handshake is every case's precondition) or is the fault of a more specific rule.
  "EIO4-TRANSPORT-01": "the engine path: a server on another path is unreachable, and the suite stops with exit 2",
  "EIO4-TRANSPORT-02":
    "the two transports: a server missing one is judged by the cases of the other, skipped with the reason",
  "EIO4-TRANSPORT-04": "broken through EIO4-ERROR-04 (faults version-unchecked, eio3-wrong-code)",
  "EIO4-HANDSHAKE-01":
    "the handshake itself: broken through EIO4-HANDSHAKE-02/09/10 (handshake-not-json, handshake-status-201, ws-open-twice)",
  "EIO4-HANDSHAKE-12": "its server half is EIO4-ERROR-05's (unknown-sid-wrong-code); the rest binds clients",
  "EIO4-PACKET-03":
    "broken through EIO4-PAYLOAD-02 over polling (binary-record-with-type-digit) and EIO4-WS-03 over WebSocket (binary-frame-type-byte)",
  "EIO4-PACKET-12": "broken through EIO4-HANDSHAKE-02 (handshake-not-json)",
  "EIO4-POLLING-01":
    "the polling verbs: a server that breaks them breaks every polling case at its handshake or first POST",
  "EIO4-WS-01": "the WebSocket transport itself: broken through EIO4-HANDSHAKE-10 and EIO4-UPGRADE-02",
  "EIO4-UPGRADE-12":
    "broken with EIO4-ERROR-06 by one fault (websocket-session-polled), which upgrade.websocket-session-stays fails",
  "SIO5-PACKET-01": "the type digit: a server that writes it wrong breaks every Socket.IO case at the CONNECT reply",
  "SIO5-PACKET-02":
    "the packet grammar: a server payload with trailing text is read leniently as JSON, the rest blocks every case",
  "SIO5-PACKET-06": "the grammar of one packet type, changed in the server, breaks every case of that type at once",
  "SIO5-ERROR-03":
    "the Socket.IO layer ends a session only through the Engine.IO close, whose faults are EIO4-CLOSE-04/08's",
  "DROP-02":
    "a half-open connection is a silent client to the server: any fault is DROP-01's (timeout-only-before-first-pong, v3-timeout-only-before-first-ping), which fails the DROP-02 cases of both versions",
  "DROP-08":
    "a fault that hands a dropped session's buffer on lands in whichever concurrent case opens the next session, so no case can own it",
  // The version 3 path: the same framing rules, each broken through the rule it frames.
  "EIO3-TRANSPORT-01":
    "the EIO=3 parameter itself: a server that does not honour it speaks no version 3, and the run judges only what it speaks (its refusal is EIO4-ERROR-04's)",
  "SIO4-PACKET-01":
    "the type digit: a server that writes it wrong breaks every Socket.IO v4 case at the CONNECT for `/`, which the runner's probe needs to find a Socket.IO server",
  "SIO4-PACKET-02":
    "the packet grammar: a server payload with trailing text breaks every case of its type at once, as for SIO5-PACKET-02",
  "SIO4-PACKET-04":
    "the parts of each type: broken through the rule of each part (v3-connect-reply-with-sid, v3-refusal-payload-number, v3-disconnect-with-payload, v3-binary-count-missing)",
  "SIO4-CONNECT-01":
    "its server half is the payload-free CONNECT reply, broken through SIO4-CONNECT-03 (v3-connect-reply-with-sid writes the v5 reply with its payload)",
  "SIO4-ACK-02":
    "an ack id on a CONNECT, DISCONNECT or ERROR changes the form that SIO4-CONNECT-03, SIO4-DISCONNECT-01 and SIO4-ERROR-01 judge, whose faults fail the same cases",
  "SIO4-BINARY-04":
    "a stray binary message from the server reaches the client after the packet a case awaits, so no verdict turns on it; the receiver's half is a violation (SIO4-ERROR-02)",
};

/** Every version the runner has chapters for, and the operations chapter. */
const JUDGED = /^(?:EIO[34]|SIO[45])-|^(?:DROP|STICKY|SEC)-/;

const serverMusts = Object.entries(rules)
  .filter(([id, r]) => JUDGED.test(id) && r.level === "MUST" && !("scope" in r))
  .map(([id]) => id);
const cited = new Set(allCases.flatMap((c) => c.rules));
const mutated = new Set(allMutants().map((m) => m.rule));

describe("coverage of the MUST rules", () => {
  it("cites every MUST that binds the server in at least one case", () => {
    expect(serverMusts.filter((id) => !cited.has(id) && UNCHECKED[id] === undefined)).toEqual([]);
  });

  it("breaks every such MUST alone with a fault switch of the reference server", () => {
    expect(serverMusts.filter((id) => !mutated.has(id) && UNCHECKED[id] === undefined)).toEqual([]);
  });

  it("lists as unchecked only rules that are still short of a case or a fault", () => {
    const stale = Object.keys(UNCHECKED).filter(
      (id) => !serverMusts.includes(id) || (cited.has(id) && mutated.has(id)),
    );
    expect(stale).toEqual([]);
  });
});
