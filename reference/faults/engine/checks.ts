/**
 * The faults of the request checks: refusal codes swapped, checks skipped, added or run in the
 * wrong order. A mutant server with one of them on runs the checks of verify.ts as written
 * below, fault by fault, instead of the reference's (the `checkRequest` seam).
 */
import { refusal, type Refusal } from "../../engine/errors.js";
import type { KnownSession, RequestFacts, VerifyContext, Verified, verifyRequest } from "../../engine/verify.js";
import type { EngineFault, FaultSet } from "./catalogue.js";

/** The query parameters the protocol knows (unknown-param-refused). */
const KNOWN_PARAMS = new Set(["EIO", "transport", "sid", "t", "b64"]);

/** The faults of this file. */
const CHECK_FAULTS: readonly EngineFault[] = [
  "websocket-accepted-when-disabled",
  "unknown-transport-code-3",
  "unknown-param-refused",
  "version-unchecked",
  "version-before-sid",
  "t-param-refused",
  "unknown-sid-websocket-opens-session",
  "unknown-sid-wrong-code",
  "polling-after-upgrade-accepted",
  "websocket-session-polled",
  "handshake-any-method",
  "bad-method-code-3",
  "ws-without-upgrade-code-0",
  "eio3-wrong-code",
];

/** The `checkRequest` seam of a server with `faults` on, or undefined when none of them is a check fault. */
export function faultyChecks(faults: FaultSet): typeof verifyRequest | undefined {
  if (!CHECK_FAULTS.some((f) => faults.has(f))) return undefined;
  return (facts, ctx) => faultyCheck(faults, facts, ctx);
}

/** The checks of verify.ts as a server with `faults` runs them. */
function faultyCheck<S extends KnownSession>(
  faults: FaultSet,
  facts: RequestFacts,
  ctx: VerifyContext<S>,
): Refusal | Verified<S> {
  const { query } = facts;
  const transport = query.get("transport");
  // The websocket-accepted-when-disabled fault serves WebSocket requests although websocket is not offered.
  const unknown = transport !== "polling" && transport !== "websocket";
  if (
    unknown ||
    (!ctx.transports.includes(transport) &&
      !(transport === "websocket" && faults.has("websocket-accepted-when-disabled")))
  ) {
    return refusal(faults.has("unknown-transport-code-3") ? 3 : 0);
  }
  if (faults.has("unknown-param-refused") && [...query.keys()].some((k) => !KNOWN_PARAMS.has(k))) return refusal(3);

  const eio = query.get("EIO");
  const protocol = eio === "3" && ctx.allowEIO3 ? 3 : eio === "4" || faults.has("version-unchecked") ? 4 : undefined;

  const sid = query.get("sid");
  if (sid !== null) {
    if (protocol === undefined && faults.has("version-before-sid")) return refusal(5);
    if (query.has("t") && faults.has("t-param-refused")) return refusal(3);
    const session = ctx.lookup(sid);
    if (!session) {
      // The unknown-sid-websocket-opens-session fault takes a WebSocket naming no session for a handshake.
      if (
        facts.upgrade &&
        transport === "websocket" &&
        protocol !== undefined &&
        faults.has("unknown-sid-websocket-opens-session")
      )
        return { kind: "handshake", protocol, transport, supportsBinary: true };
      return refusal(faults.has("unknown-sid-wrong-code") ? 3 : 1);
    }
    if (protocol !== session.protocol) return refusal(3);
    if (facts.upgrade) {
      // Only a polling session can be upgraded; a plain request cannot speak WebSocket.
      if (transport !== "websocket" || session.openedWith !== "polling" || !ctx.allowUpgrades) return refusal(3);
    } else if (
      transport !== "polling" ||
      (session.transport !== "polling" &&
        !faults.has(session.openedWith === "polling" ? "polling-after-upgrade-accepted" : "websocket-session-polled"))
    ) {
      return refusal(3);
    }
    return { kind: "session", protocol, transport, session };
  }

  // The handshake-any-method fault opens a session for a POST, PUT or DELETE as for a GET.
  if (facts.method !== "GET" && !faults.has("handshake-any-method"))
    return refusal(faults.has("bad-method-code-3") ? 3 : 2);
  if (transport === "websocket" && !facts.upgrade) return refusal(faults.has("ws-without-upgrade-code-0") ? 0 : 3);
  if (transport === "polling" && facts.upgrade) return refusal(3);
  if (eio === "3" && protocol === undefined && faults.has("eio3-wrong-code")) return refusal(3);
  return { kind: "handshake", protocol, transport, supportsBinary: protocol !== 3 || !query.get("b64") };
}
