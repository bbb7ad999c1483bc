/**
 * Which refusal, if any, a request to the Engine.IO path gets, in the spec's order of checks
 * (EIO4-ERROR-07): transport (code 0); then with a sid: session known (1), transport or version
 * mismatch (3); without a sid: method (2), websocket without an Upgrade (3), admission (4),
 * version (5). Admission (allowRequest) is asynchronous, so the server runs it and the version
 * check that follows it; a handshake verdict carries the version it asked for, if supported.
 */
import { refusal, type Refusal } from "./errors.js";
import type { UpgradeStatus } from "./session.js";

/** Spaces, controls and non-ASCII, which new URL() strips or encodes: a target holding one is read by new URL() itself. */
const URL_ODDITIES = /[^\x21-\x7e]/;

/**
 * The query of a request target, as `new URL(target, base).searchParams` reads it, without
 * building a URL for the usual `/path?query` target. Undefined when new URL() refuses it.
 */
export function requestQuery(target: string): URLSearchParams | undefined {
  const second = target.charCodeAt(1);
  if (target.charCodeAt(0) !== 0x2f || second === 0x2f || second === 0x5c || URL_ODDITIES.test(target)) {
    try {
      return new URL(target, "http://localhost").searchParams;
    } catch {
      return undefined;
    }
  }
  const q = target.indexOf("?");
  if (q < 0) return new URLSearchParams();
  const hash = target.indexOf("#");
  if (hash >= 0 && hash < q) return new URLSearchParams();
  // The leading `?` stays: URLSearchParams drops exactly one, as new URL() does.
  return new URLSearchParams(hash < 0 ? target.slice(q) : target.slice(q, hash));
}

/** The parts of a request the checks look at. */
export interface RequestFacts {
  method: string;
  query: URLSearchParams;
  /** True for an HTTP Upgrade (WebSocket) request. */
  upgrade: boolean;
}

/** The session a sid names, as far as the checks need it. */
export interface KnownSession {
  readonly protocol: 3 | 4;
  readonly transport: "polling" | "websocket";
  /** The transport the session was opened with. */
  readonly openedWith: "polling" | "websocket";
  upgradeStatus(): UpgradeStatus;
}

export interface VerifyContext<S extends KnownSession> {
  transports: ReadonlyArray<"polling" | "websocket">;
  allowEIO3: boolean;
  /** False when polling sessions may not upgrade (their handshake advertised no upgrade). */
  allowUpgrades: boolean;
  lookup(sid: string): S | undefined;
}

/** A request that passed the synchronous checks. */
export type Verified<S> =
  | {
      kind: "handshake";
      /** Undefined when the version is not spoken: code 5, once admission has passed. */
      protocol: 3 | 4 | undefined;
      transport: "polling" | "websocket";
      supportsBinary: boolean;
    }
  | { kind: "session"; protocol: 3 | 4; transport: "polling" | "websocket"; session: S };

/** Runs the checks; returns the refusal, or what the request is. */
export function verifyRequest<S extends KnownSession>(
  facts: RequestFacts,
  ctx: VerifyContext<S>,
): Refusal | Verified<S> {
  const { query } = facts;
  const transport = query.get("transport");
  if ((transport !== "polling" && transport !== "websocket") || !ctx.transports.includes(transport)) return refusal(0);

  const eio = query.get("EIO");
  const protocol = eio === "3" && ctx.allowEIO3 ? 3 : eio === "4" ? 4 : undefined;

  const sid = query.get("sid");
  if (sid !== null) {
    const session = ctx.lookup(sid);
    if (!session) return refusal(1);
    if (protocol !== session.protocol) return refusal(3);
    if (facts.upgrade) {
      // Only a polling session can be upgraded; a plain request cannot speak WebSocket.
      if (transport !== "websocket" || session.openedWith !== "polling" || !ctx.allowUpgrades) return refusal(3);
    } else if (transport !== "polling" || session.transport !== "polling") {
      // An upgraded session, or one opened over WebSocket, is no longer polled (EIO4-UPGRADE-07, EIO4-ERROR-06).
      return refusal(3);
    }
    return { kind: "session", protocol, transport, session };
  }

  if (facts.method !== "GET") return refusal(2);
  if (transport === "websocket" && !facts.upgrade) return refusal(3);
  if (transport === "polling" && facts.upgrade) return refusal(3);
  return { kind: "handshake", protocol, transport, supportsBinary: protocol !== 3 || !query.get("b64") };
}
