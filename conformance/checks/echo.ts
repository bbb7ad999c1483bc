/**
 * Shared check, family "echo": what came back from the echo endpoint is what was sent. Most cases
 * use the echo only as a tool: when what comes back is wrong, the fault may be the case's own
 * rule (a payload split wrongly, a binary frame lost) or the echo itself (every message comes
 * back wrong). So on a mismatch the check asks the echo's witnesses — the plain messages the
 * cases that check the echo send, each on a session of its own — and only when they come back
 * intact is the mismatch the case's failure; otherwise the precondition is broken.
 */
import { canonical, CaseOutcome, show, type Precondition } from "../case.js";
import type { EngineIOv4Packet } from "../client/engine.js";
import {
  dataOf,
  frameOf,
  nextFrame,
  pollMessagesPlain,
  pollUntilPlain,
  type MessagePacket,
  type Polled,
} from "../client/reading.js";
import type { PollingSession } from "../client/engine.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";

/** Over which transport the case used the echo. */
export type EchoTransport = "polling" | "websocket";

/** One witness: what to send on a fresh session, what must come back, and the precondition it stands for. */
interface Witness {
  precondition: Precondition;
  what: string;
  /** The mismatch, or undefined when the echo came back intact. */
  run(ctx: CaseContext): Promise<string | undefined>;
}

/** Runs `step`; a failure inside it is the witness's failure (its reason). */
async function attempt(step: () => Promise<string | undefined>): Promise<string | undefined> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof CaseOutcome && err.verdict === "fail") return err.reason;
    throw err;
  }
}

/** eio4.packet.text-echo's message, alone in a POST. */
const pollingText: Witness = {
  precondition: P.pollingEchoIntact,
  what: "the echo of `4hello` over polling",
  run: (ctx) =>
    attempt(async () => {
      const session = await ctx.engine.openPolling();
      await session.send("4hello");
      const got = (await pollMessagesPlain(ctx, session, 1, "the echo of hello", 3)).messages.map(dataOf);
      return canonical(got) === canonical(['"hello"']) ? undefined : `it came back as ${show(got)}`;
    }),
};

/** eio4.payload.batch-three's three messages, in one POST. */
const pollingBatch: Witness = {
  precondition: P.payloadBatches,
  what: "the echo of three messages posted in one payload",
  run: (ctx) =>
    attempt(async () => {
      const session = await ctx.engine.openPolling();
      await session.send("4test1\x1e4test2\x1e4test3");
      const got = (await pollMessagesPlain(ctx, session, 3, "the three echoes", 5)).messages.map(dataOf);
      return canonical(got) === canonical(['"test1"', '"test2"', '"test3"'])
        ? undefined
        : `they came back as ${show(got)}`;
    }),
};

/** eio4.ws.text-echo's frame. */
const webSocketText: Witness = {
  precondition: P.webSocketEchoIntact,
  what: "the echo of the text frame `4hello`",
  run: (ctx) =>
    attempt(async () => {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send("4hello");
      const got = frameOf(await nextFrame(socket, "the echo of 4hello"));
      return got === frameOf("4hello") ? undefined : `it came back as ${got}`;
    }),
};

/** eio4.ws.binary-echo's frame. */
const webSocketBinary: Witness = {
  precondition: P.webSocketBinaryEcho,
  what: "the echo of the binary frame <01020304>",
  run: (ctx) =>
    attempt(async () => {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send(new Uint8Array([1, 2, 3, 4]));
      const got = frameOf(await nextFrame(socket, "the echo of <01020304>"));
      return got === "<01020304>" ? undefined : `it came back as ${got}`;
    }),
};

/**
 * Throws the broken precondition when a witness of the echo over `over` does not come back
 * intact (the binary witness only when `binary` data was involved); `mismatch` says what the
 * case saw, for the reason.
 */
export async function expectEchoWorks(
  ctx: CaseContext,
  over: EchoTransport,
  mismatch: string,
  binary = false,
): Promise<void> {
  const witnesses =
    over === "polling" ? [pollingText, pollingBatch] : binary ? [webSocketText, webSocketBinary] : [webSocketText];
  for (const w of witnesses) {
    const broken = await w.run(ctx);
    if (broken !== undefined) {
      throw new CaseOutcome(
        "fail",
        `${mismatch}; the echo itself is broken: ${w.what} fails too (${broken})`,
        { expected: w.what + " intact", observed: broken },
        w.precondition,
      );
    }
  }
}

/**
 * Judges echoed data against what was sent, as `ctx.deepEqual` does, but blames a mismatch on
 * the echo itself when its witnesses fail too (see the module comment). `binary`: whether binary
 * messages were echoed (over WebSocket the binary witness is asked too); by default, whether
 * `expected` shows bytes.
 * @example `await expectEchoed(ctx, polled.messages.map(dataOf), ['"a"', "<>"], "the echoed messages")`
 */
export async function expectEchoed(
  ctx: CaseContext,
  actual: unknown,
  expected: unknown,
  what: string,
  over: EchoTransport = "polling",
  binary = /"<|<[0-9a-f]*>|bytes/.test(canonical(expected)),
): Promise<void> {
  if (canonical(actual) === canonical(expected)) return;
  await expectEchoWorks(ctx, over, `${what} is ${show(actual)}, expected ${show(expected)}`, binary);
  ctx.deepEqual(actual, expected, what);
}

/** The echoed messages' data in comparable form (see {@link dataOf}). */
export function echoed(packets: readonly EngineIOv4Packet[]): string[] {
  return packets.filter((p) => p.type === "message").map(dataOf);
}

/**
 * Polls until `enough(messages)` holds, answering each ping with a pong so the session outlives
 * the wait. Fails when the session closes first, a poll is refused, or time runs out — unless
 * the echo itself is broken (its witnesses fail too, see conformance/checks/echo.ts): then the
 * precondition is what breaks.
 */
export async function pollUntil(
  ctx: CaseContext,
  session: PollingSession,
  enough: (messages: MessagePacket[]) => boolean,
  what: string,
): Promise<Polled> {
  try {
    return await pollUntilPlain(ctx, session, enough, what);
  } catch (err) {
    if (!(err instanceof CaseOutcome) || err.verdict !== "fail" || err.precondition) throw err;
    session.blameHeldPosts(ctx.handshake.pingInterval, err.reason);
    if (ctx.features.has("engine-echo")) await expectEchoWorks(ctx, "polling", err.reason);
    throw err;
  }
}

/** Polls until `count` messages have arrived (see {@link pollUntil}). */
export function pollMessages(ctx: CaseContext, session: PollingSession, count: number, what: string): Promise<Polled> {
  return pollUntil(ctx, session, (m) => m.length >= count, what);
}
