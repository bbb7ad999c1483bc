/**
 * Judging the Socket.IO packets a server sends: the header (type digit, attachment count,
 * namespace, ack id) byte for byte, the payload as a JSON value (SIO5-PACKET-02: equal values
 * conform whatever their spelling), the spelling itself only where a case asks, as a warning
 * (SIO5-PACKET-09), and attachments byte for byte.
 *
 * A payload of another value is the case's own failure only where the payload is what the case
 * checks. Otherwise it points at what broke on the way: placeholders misnumbered
 * (SIO5-BINARY-02), binary delivered without its attachments (SIO5-BINARY-05), or the
 * precondition the case names (by default the echo, SIO5-EVENT-05).
 */
import { fail, show, unmet, type Precondition } from "../case.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";
import { eventName, type SocketIOSession } from "../client/socketio.js";
import { argsOf, echoBroken, expectIntactText, sameArgs } from "../client/socketio-steps.js";
import {
  holdsPlaceholder,
  offsetApplies,
  readPacketText,
  sameJson,
  withoutOffset,
  type PacketText,
  type Received,
} from "../client/socketio-text.js";

/** How {@link expectPacket} judges what it reads. */
export interface PacketCheck {
  /**
   * `own` (default): a payload of another value fails the case. A precondition: it breaks that
   * precondition instead (the header stays the case's own).
   */
  payload?: "own" | Precondition;
  /** Also compare the payload's spelling with the expected text, as a warning (SIO5-PACKET-09). */
  spelling?: boolean;
}

/**
 * The next message must be the packet `expected` (written as in the spec, with the Engine.IO
 * `4`): the same header, and a payload of the same JSON value. Returns the text read.
 * @example `await expectPacket(ctx, s, '43456[1,"2",{"3":[false]}]', "the ACK", { payload: P.eventEchoed })`
 */
export async function expectPacket(
  ctx: CaseContext,
  s: SocketIOSession,
  expected: string,
  what: string,
  check: PacketCheck = {},
): Promise<PacketText> {
  const text = await s.nextText(what);
  return judgePacket(ctx, s, text, expected, what, check);
}

/** Judges a packet text already read against `expected`, as {@link expectPacket} does. */
export function judgePacket(
  ctx: CaseContext,
  s: SocketIOSession,
  text: string,
  expected: string,
  what: string,
  check: PacketCheck = {},
): PacketText {
  const got = readPacketText(text);
  const want = readPacketText(expected);
  const details = { expected, observed: text };
  const offset = offsetOf(s, got, want);
  const gotData = offset === undefined ? got.data : (got.data as unknown[]).slice(0, -1);
  const binaryWanted = want.type === 5 || want.type === 6;
  // A plain type that still writes an attachment count (`431-9[...]`) kept its attachments: it is only typed wrong.
  const typedPlain = /^4[23][0-9]+-/.test(text);
  if (binaryWanted && (got.type === 2 || got.type === 3) && !typedPlain && holdsPlaceholder(got.data))
    unmet(P.binaryDelivered, `${what} came back without its attachments: ${show(text)}`, details);
  // Every argument there, as a plain packet without placeholders: the bytes went inside the JSON (SIO5-BINARY-10).
  const inlined = binaryWanted && (got.type === 2 || got.type === 3) && !holdsPlaceholder(got.data);
  if (inlined && Array.isArray(got.data) && Array.isArray(want.data) && got.data.length === want.data.length)
    unmet(
      P.binaryAsAttachments,
      `${what} came back as a plain packet, its bytes inside the JSON: ${show(text)}`,
      details,
    );
  // A payload that does not parse where one is expected: the header around it is not what it should be.
  if (want.json && !got.json)
    fail(`${what} is ${show(text)}: no JSON payload where ${show(want.head)} should end`, details);
  if (!sameJson(gotData, want.data) || got.json !== want.json) {
    expectIntactText(gotData, want.data, what, text);
    if (holdsPlaceholder(want.data) && samePlaceholders(gotData, want.data))
      unmet(P.placeholdersNumbered, `${what} numbers its placeholders otherwise: ${show(text)}`, details);
    if (check.payload !== undefined && check.payload !== "own")
      unmet(check.payload, `${what} carries another payload: ${show(text)}`, details);
    // Arguments missing from an echo are the echo's fault (SIO5-EVENT-05), whatever the case checks.
    if (fewerArguments(gotData, want.data)) unmet(P.eventEchoed, `${what} lost arguments: ${show(text)}`, details);
    fail(`${what} is ${show(text)}`, details);
  }
  // The same header but for the attachment count: the count is SIO5-BINARY-01's, whatever the case checks.
  const countless = (head: string) => head.replace(/^4([56])[0-9]+-/, "4$1-");
  if (binaryWanted && got.head !== want.head && countless(got.head) === countless(want.head))
    unmet(P.binaryCount, `${what} carries another attachment count: ${show(text)}`, details);
  if (got.head !== want.head) fail(`${what} is ${show(text)}`, details);
  const spelled = offset === undefined ? want.payload : `${want.payload.slice(0, -1)},${JSON.stringify(offset)}]`;
  if (got.payload !== spelled) {
    if (check.spelling) ctx.softFail(`${what} spells its payload otherwise (same JSON value; SIO5-PACKET-09)`, details);
    else ctx.note(`${what} spells its payload otherwise (same JSON value): ${text}`);
  }
  return got;
}

/**
 * The recovery offset an event carries as its last argument (SIO5-RECOVERY-02), when the server
 * offers recovery and the expected event asks for no ack (see {@link withoutOffset}); undefined
 * when there is none.
 */
function offsetOf(s: SocketIOSession, got: PacketText, want: PacketText): string | undefined {
  if (!offsetApplies(s.ctx.features.has("recovery"), want) || !Array.isArray(got.data) || !Array.isArray(want.data))
    return undefined;
  const stripped = withoutOffset(got.data, want.data);
  return stripped.length < got.data.length ? (got.data[got.data.length - 1] as string) : undefined;
}

/** True when `got` is an array with fewer elements than the array `want`. */
function fewerArguments(got: unknown, want: unknown): boolean {
  return Array.isArray(got) && Array.isArray(want) && got.length < want.length;
}

/** Equal values where any placeholder matches any placeholder: only the numbering differs. */
function samePlaceholders(a: unknown, b: unknown): boolean {
  const isPlaceholder = (v: unknown) =>
    typeof v === "object" && v !== null && (v as { _placeholder?: unknown })._placeholder === true;
  if (isPlaceholder(a) && isPlaceholder(b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return sameJson(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) =>
        Object.hasOwn(b, k) && samePlaceholders((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

/**
 * The next messages must be these attachments, byte for byte, in order.
 * @example `await expectAttachments(ctx, s, [A, B], "the attachments of the echo")`
 */
export async function expectAttachments(
  ctx: CaseContext,
  s: SocketIOSession,
  expected: readonly Uint8Array[],
  what: string,
): Promise<void> {
  for (const [i, bytes] of expected.entries()) {
    const got = await s.nextBinary(expected.length > 1 ? `${what} (attachment ${i})` : what);
    ctx.deepEqual(got, bytes, expected.length > 1 ? `${what} (attachment ${i})` : what);
  }
}

/** One event sent to the echo app: its namespace and arguments. */
export interface Sent {
  nsp: string;
  args: unknown[];
}

/**
 * The echo app's answers to events sent at once: a `message-back` for each, on its namespace,
 * with its arguments, in the order sent (SIO5-EVENT-07). An answer that matches none of the
 * events sent breaks the echo precondition; answers that all match but come in another order
 * fail the case.
 */
export async function expectEchoesInOrder(s: SocketIOSession, sent: readonly Sent[], what: string): Promise<void> {
  const nsps = [...new Set(sent.map((e) => e.nsp))];
  const other = nsps.find((n) => n !== "/");
  const got: Received[] = [];
  for (let i = 0; i < sent.length; i++) {
    got.push(
      await s.nextPacket((r) => eventName(r) === "message-back" && nsps.includes(r.text.nsp), {
        what: `${what} (${i + 1} of ${sent.length})`,
        ...(other ? { nsp: other } : {}),
      }),
    );
  }
  const open = [...sent];
  got.forEach((r, i) => {
    const k = open.findIndex((e) => e.nsp === r.text.nsp && sameArgs(s, r, argsOf(r), e.args));
    if (k === -1) echoBroken(s, r, sent[i]!.args, `${what} (${i + 1} of ${sent.length})`);
    open.splice(k, 1);
  });
  const at = got.findIndex((r, i) => !(r.text.nsp === sent[i]!.nsp && sameArgs(s, r, argsOf(r), sent[i]!.args)));
  if (at !== -1) {
    const want = sent[at]!;
    fail(
      `${what}: answer ${at + 1} of ${sent.length} is ${show(got[at]!.text.text)}, out of the order the events were sent`,
      {
        expected: `answer ${at + 1}: message-back ${show(want.args)} on ${want.nsp}`,
        observed: got
          .slice(at, at + 4)
          .map((r) => r.text.text)
          .join(" "),
      },
    );
  }
}
