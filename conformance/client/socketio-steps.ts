/**
 * The steps a Socket.IO case takes on its way to the rule it checks: open a session, join a
 * namespace, have the echo app echo an event, ask for or answer an ack, be refused. Each step
 * checks just what the case needs from it and, when the server breaks that, raises the
 * precondition of the rule concerned (conformance/preconditions.ts): the case is then blocked
 * and points at the case that checks that rule, unless it checks that rule itself.
 */
import { performance } from "node:perf_hooks";
import { needs, show, unmet } from "../case.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";
import type { SocketIOSession, Transport } from "./socketio.js";
import {
  garbledAsLatin1,
  holdsPlaceholder,
  offsetApplies,
  sameJson,
  withoutOffset,
  type Message,
  type Received,
} from "./socketio-text.js";

/** What a server's event or ack carries, attachments in place (read from the text when it does not decode). */
export function argsOf(r: Received): unknown[] | undefined {
  const data = r.packet ? (r.packet as { data?: unknown }).data : r.attachments.length === 0 ? r.text.data : undefined;
  if (!Array.isArray(data)) return undefined;
  return r.text.type === 2 || r.text.type === 5 ? data.slice(1) : data;
}

/**
 * Equal arguments as JSON values. With recovery on, an event that asks for no ack carries its
 * offset as one more, last, argument (SIO5-RECOVERY-02): it is allowed here and judged only by
 * the recovery cases.
 */
export function sameArgs(
  s: SocketIOSession,
  r: Received,
  got: unknown[] | undefined,
  sent: readonly unknown[],
): boolean {
  if (got === undefined) return false;
  return (
    sameJson(got, sent) ||
    (offsetApplies(s.ctx.features.has("recovery"), r.text) && sameJson(withoutOffset(got, sent), sent))
  );
}

/**
 * Raises the precondition that explains why `r` does not carry the arguments `sent` that the echo
 * app was given: placeholders misnumbered (SIO5-BINARY-02), arguments lost (SIO5-EVENT-05),
 * binary delivered without its attachments (SIO5-BINARY-05), or arguments changed (SIO5-EVENT-05).
 */
export function echoBroken(s: SocketIOSession, r: Received, sent: readonly unknown[], what: string): never {
  const details = { expected: `the arguments ${show(sent)}`, observed: r.text.text };
  if (r.error?.rule === "SIO5-BINARY-02")
    unmet(P.placeholdersNumbered, `${what} does not decode: ${r.error.reason}`, details);
  const raw = argsOf(r);
  const got = raw && offsetApplies(s.ctx.features.has("recovery"), r.text) ? withoutOffset(raw, sent) : raw;
  expectIntactText(got, sent, what, r.text.text);
  if (got && got.length < sent.length) unmet(P.eventEchoed, `${what} lost arguments`, details);
  const binary = sent.some(holdsBinary);
  if (binary && (r.attachments.length === 0 || holdsPlaceholder(got)))
    unmet(P.binaryDelivered, `${what} came back without its attachments`, details);
  unmet(P.eventEchoed, `${what} does not carry the arguments sent`, details);
}

/**
 * Raises the Engine.IO precondition that text arrives as sent (EIO4-PACKET-08) when `got` is
 * `want` with its non-ASCII text read as Latin-1: the Socket.IO layer only carries what the
 * Engine.IO layer decoded.
 */
export function expectIntactText(got: unknown, want: unknown, what: string, observed: string): void {
  if (garbledAsLatin1(got, want))
    unmet(P.utf8Intact, `${what} came back with its non-ASCII text read as Latin-1`, {
      expected: show(want),
      observed,
    });
}

function holdsBinary(value: unknown): boolean {
  if (ArrayBuffer.isView(value)) return true;
  return typeof value === "object" && value !== null && Object.values(value).some(holdsBinary);
}

/**
 * Opens a session at the Socket.IO path (no namespace joined); it is closed when the case ends.
 * @example `const s = await openSession(ctx, "polling")`
 */
export function openSession(ctx: CaseContext, transport: Transport = "websocket"): Promise<SocketIOSession> {
  return ctx.socketio({ transport });
}

/**
 * Sends `messages`, the session's first ones: first gives a server that sends packets unasked
 * the moment to show it, and raises SIO5-CONNECT-02's precondition if it did. Such a server sends
 * them right after the handshake, so they arrive within a few handshake round trips (over polling
 * the first GET brings them at once). Later calls only check that nothing came unasked.
 * @example `await sendFirst(s, '40/custom,{"token":"abc"}')`
 */
export async function sendFirst(s: SocketIOSession, ...messages: Message[]): Promise<void> {
  // Over polling they come with the answer to the first GET, a round trip more.
  const within = s.ctx.scale(s.transport === "polling" ? 20 : 10) + 4 * s.handshakeMs;
  if (s.firstSentAt === undefined) await s.messages.settle(within - (performance.now() - s.openedAt));
  expectNothingUnasked(s);
  s.send(...messages);
}

/** Raises SIO5-CONNECT-02's precondition when the server sent a packet nobody asked for. */
export function expectNothingUnasked(s: SocketIOSession): void {
  if (s.unprompted !== undefined)
    unmet(P.nothingBeforeConnect, `the server sent ${show(s.unprompted)} before the client asked for it`, {
      expected: "no packet before the CONNECT",
      observed: s.unprompted,
    });
}

/** A joined namespace: the reply's sid and pid, and the reply itself. */
export interface Joined {
  sid: string;
  pid?: string;
  reply: Received;
}

/**
 * Joins a namespace: sends its CONNECT (with `auth`), expects the CONNECT reply with a `sid`
 * that is not the Engine.IO sid, and with the echo app its `auth` event carrying `auth`
 * unchanged (taken wherever it comes; its order is SIO5-CONNECT-07's, which this step does not
 * judge). Each of these is a precondition.
 * @example `const { sid } = await join(s, "/custom", { token: "abc" })`
 */
export async function join(s: SocketIOSession, nsp = "/", auth?: Record<string, unknown>): Promise<Joined> {
  await sendFirst(s, `40${nsp === "/" ? "" : `${nsp},`}${auth === undefined ? "" : JSON.stringify(auth)}`);
  const reply = await needs(P.namespaceConnects, () =>
    s.nextPacket((r) => (r.text.type === 0 || r.text.type === 4) && r.text.nsp === nsp, {
      what: `the answer to CONNECT ${nsp}`,
      nsp,
    }),
  );
  expectNothingUnasked(s);
  const data = reply.text.data as { sid?: unknown; pid?: unknown } | undefined;
  if (
    reply.text.type !== 0 ||
    typeof data !== "object" ||
    data === null ||
    typeof data.sid !== "string" ||
    data.sid === ""
  ) {
    unmet(P.namespaceConnects, `the answer to CONNECT ${nsp} is ${show(reply.text.text)}`, {
      expected: `40${nsp === "/" ? "" : `${nsp},`}{"sid":"..."}`,
      observed: reply.text.text,
    });
  }
  if (data.sid === s.sid)
    unmet(P.socketSidDistinct, "the CONNECT reply carries the Engine.IO sid", {
      expected: "a sid of its own",
      observed: reply.text.text,
    });
  if (s.ctx.features.has("socketio-echo")) await expectAuth(s, nsp, auth);
  return { sid: data.sid, ...(typeof data.pid === "string" ? { pid: data.pid } : {}), reply };
}

/**
 * Takes the echo app's `auth` event on `nsp`, which must carry `auth` (the CONNECT's payload;
 * `{}` or null when it had none): a precondition (SIO5-CONNECT-06).
 */
export async function expectAuth(
  s: SocketIOSession,
  nsp: string,
  auth: Record<string, unknown> | undefined,
): Promise<Received> {
  const received = await needs(P.authDelivered, () => s.nextEvent("auth", nsp));
  const args = argsOf(received);
  const sent = auth ?? {};
  if (!sameArgs(s, received, args, [sent]) && !(auth === undefined && sameArgs(s, received, args, [null]))) {
    expectIntactText(args?.[0], sent, `the auth event on ${nsp}`, received.text.text);
    unmet(P.authDelivered, `the auth event on ${nsp} carries ${show(args)}`, {
      expected: show([sent]),
      observed: received.text.text,
    });
  }
  return received;
}

/** Opens a session and joins `/`; the usual start of a case. */
export async function joined(ctx: CaseContext, transport: Transport = "websocket"): Promise<SocketIOSession> {
  const s = await openSession(ctx, transport);
  await join(s, "/");
  return s;
}

/** A case body with its own session joined to `/`. */
export function onJoined(
  transport: Transport,
  body: (ctx: CaseContext, s: SocketIOSession) => Promise<void>,
): (ctx: CaseContext) => Promise<void> {
  return async (ctx) => body(ctx, await joined(ctx, transport));
}

/** A case body with its own session (no namespace joined). */
export function onOpen(
  transport: Transport,
  body: (ctx: CaseContext, s: SocketIOSession) => Promise<void>,
): (ctx: CaseContext) => Promise<void> {
  return async (ctx) => body(ctx, await openSession(ctx, transport));
}

/**
 * Has the echo app echo `args` on `nsp`: emits `message` and takes the next `message-back`.
 * No echo at all (the session ended, nothing came) is the case's own failure: a working session
 * is what most cases check. An echo with other arguments is a broken precondition.
 * @example `await echo(s, ["after"])`
 */
export async function echo(
  s: SocketIOSession,
  args: unknown[],
  nsp = "/",
  what = `the echo of ${show(args)}`,
): Promise<Received> {
  s.emit("message", args, nsp);
  const received = await s.nextEvent("message-back", nsp, { what });
  if (!sameArgs(s, received, argsOf(received), args)) echoBroken(s, received, args, what);
  return received;
}

/**
 * Makes the server ask for an ack: emits `emit-with-ack` with `args` and expects the server's
 * `emit-with-ack` event with an ack id of its choosing, which is returned.
 */
export async function serverAsks(s: SocketIOSession, args: unknown[], nsp = "/"): Promise<number> {
  s.emit("emit-with-ack", args, nsp);
  const r = await needs(P.serverAsksAck, () =>
    s.nextEvent("emit-with-ack", nsp, { what: "the server's emit-with-ack event" }),
  );
  if (r.text.id === undefined)
    unmet(P.serverAsksAck, "the server's emit-with-ack event asks for no ack", {
      expected: `42${nsp === "/" ? "" : `${nsp},`}<id>["emit-with-ack",...]`,
      observed: r.text.text,
    });
  if (!sameArgs(s, r, argsOf(r), args)) echoBroken(s, r, args, "the server's emit-with-ack event");
  s.ctx.note(`the server asked for ack id ${r.text.id}`);
  return r.text.id;
}

/**
 * After the client answered the server's ack: the echo app reports the ACK's arguments with an
 * `ack-back` event, which must carry `args` (SIO5-ACK-10, a precondition here).
 */
export async function expectAckBack(
  s: SocketIOSession,
  args: unknown[],
  nsp = "/",
  what = "the ack-back event",
): Promise<Received> {
  const received = await needs(P.ackDelivered, () => s.nextEvent("ack-back", nsp, { what }));
  const got = argsOf(received);
  if (!sameArgs(s, received, got, args)) {
    if (received.error?.rule === "SIO5-BINARY-02") echoBroken(s, received, args, what);
    unmet(P.ackDelivered, `${what} carries ${show(got)}`, { expected: show(args), observed: received.text.text });
  }
  return received;
}

/**
 * Sends a CONNECT (`text`) for a namespace the server refuses and expects a CONNECT_ERROR on it
 * whose payload is an object with a string `message` (a precondition: SIO5-NAMESPACE-02).
 */
export async function refused(s: SocketIOSession, text: string, nsp: string): Promise<Received> {
  await sendFirst(s, text);
  const r = await needs(P.refusalAnswered, () =>
    s.nextPacket((r) => (r.text.type === 0 || r.text.type === 4) && r.text.nsp === nsp, {
      what: `the answer to ${text}`,
      nsp,
    }),
  );
  const message = (r.text.data as { message?: unknown } | undefined)?.message;
  if (r.text.type !== 4 || typeof message !== "string")
    unmet(P.refusalAnswered, `the answer to ${text} is ${show(r.text.text)}`, {
      expected: `44${nsp},{"message":"..."}`,
      observed: r.text.text,
    });
  return r;
}

/** Has the echo app remove the client from `nsp` (`disconnect-me`) and expects its DISCONNECT (a precondition). */
export async function serverLeaves(s: SocketIOSession, nsp = "/"): Promise<Received> {
  s.emit("disconnect-me", [], nsp);
  return needs(P.serverDisconnects, () =>
    s.nextPacket((r) => r.text.type === 1 && r.text.nsp === nsp, { what: `the server's DISCONNECT for ${nsp}`, nsp }),
  );
}
