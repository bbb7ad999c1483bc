/**
 * The probe that runs before any case: is the server there, how far away is it (the round-trip
 * time), what timings does it advertise, and which features does it offer. A case whose feature
 * is missing is skipped with the reason the probe recorded, instead of failing for a reason that
 * has nothing to do with its rule.
 */
import { performance } from "node:perf_hooks";
import { CaseOutcome, FEATURES, type Feature } from "../case.js";
import { CaseContext, type ObservedHandshake, type TargetConfig } from "./context.js";
import { ENGINE_DEFAULTS } from "../../protocol/engine.io/constants.js";
import type { Timing } from "./timing.js";
import type { HandshakeAnswer } from "./versions.js";

/** What the probe found. */
export interface ProbeResult {
  /** From the polling handshake of the engine endpoint (or the Socket.IO one). */
  handshake: ObservedHandshake | undefined;
  features: Set<Feature>;
  /** Why each missing feature is missing, e.g. `--engine-path none`. */
  missing: Map<Feature, string>;
  /** The round-trip time to the server in ms (see {@link measureRtt}); undefined if it could not be measured. */
  rttMs?: number;
  /** Set when the server cannot be tested at all (exit status 2). */
  unreachable?: string;
}

/** Timings assumed until the server advertises its own (generous, so the probe does not give up early). */
const PROBE_TIMING = { pingInterval: 5000, pingTimeout: 5000 };

/** Turns a thrown outcome or error into its reason. */
export function reasonOf(err: unknown): string {
  return err instanceof CaseOutcome ? err.reason : (err as Error).message;
}

/** What one endpoint answered to a polling handshake, read leniently. */
interface EndpointAnswer {
  /** An HTTP answer came back (any status). */
  answered: boolean;
  status?: number;
  /** Timings found in a body that looks like an open packet, however malformed the rest. */
  handshake?: ObservedHandshake;
  error?: string;
}

/**
 * The `EIO=4` polling handshake that version detection got at `path`, read leniently: a server
 * whose handshake is broken must still be tested (and fail the handshake cases), not be declared
 * unreachable.
 */
function answerOf(detected: readonly HandshakeAnswer[], path: string): EndpointAnswer {
  const res = detected.find((a) => a.eio === "4" && a.path === path);
  if (res?.status === undefined || res.text === undefined)
    return { answered: false, error: res?.error ?? `no EIO=4 handshake was asked at ${path}` };
  const out: EndpointAnswer = { answered: true, status: res.status };
  if (!res.text.startsWith("0"))
    return { ...out, error: `status ${res.status}, body ${JSON.stringify(res.text.slice(0, 80))}` };
  try {
    const o = JSON.parse(res.text.slice(1).split("\x1e")[0]!) as Record<string, unknown>;
    const pingInterval = Number(o.pingInterval);
    const pingTimeout = Number(o.pingTimeout);
    const maxPayload = Number(o.maxPayload);
    if (pingInterval > 0 && pingTimeout > 0) {
      out.handshake = {
        pingInterval,
        pingTimeout,
        ...(maxPayload > 0 ? { maxPayload } : {}),
        ...(Array.isArray(o.upgrades) ? { upgrades: o.upgrades.map(String) } : {}),
      };
    }
  } catch {
    // A body that is not an open packet: the handshake cases will say so.
  }
  return out;
}

/**
 * Probes the server; never throws. `detected`: the answers of version detection
 * (./versions.ts), whose `EIO=4` handshakes are the probe's first look at each endpoint.
 */
export async function probe(
  config: TargetConfig,
  timing: Timing,
  signal: AbortSignal,
  detected: readonly HandshakeAnswer[],
): Promise<ProbeResult> {
  const features = new Set<Feature>();
  const missing = new Map<Feature, string>();
  const t = { ...timing, ...PROBE_TIMING };
  const ctx = new CaseContext(config, t, { ...PROBE_TIMING }, new Set(FEATURES), signal);
  const result: ProbeResult = { handshake: undefined, features, missing };
  try {
    const engAnswer = config.enginePath === null ? undefined : answerOf(detected, config.enginePath);
    const sioAnswer = answerOf(detected, config.path);
    const main = engAnswer ?? sioAnswer;
    if (!sioAnswer.answered && !engAnswer?.answered) {
      result.unreachable = `${config.url} does not answer: ${sioAnswer.error}`;
      return result;
    }
    const looksLikeEngine = (a?: EndpointAnswer) =>
      a?.answered && (a.handshake !== undefined || (a.status !== 404 && a.status !== undefined && a.status < 500));
    if (!looksLikeEngine(engAnswer) && !looksLikeEngine(sioAnswer)) {
      result.unreachable =
        `no Engine.IO endpoint at ${config.path} (${sioAnswer.error})` +
        (engAnswer ? ` nor at ${config.enginePath} (${engAnswer.error})` : "");
      return result;
    }
    // Polling is offered when the engine endpoint answers a polling handshake with anything
    // but a refusal of the transport; a broken open packet still counts, so its cases fail.
    if (main.handshake || (main.status !== undefined && main.status < 300)) features.add("polling");
    else missing.set("polling", `the polling handshake at ${ctx.enginePath} got ${main.error}`);
    result.handshake = main.handshake ??
      sioAnswer.handshake ??
      engAnswer?.handshake ?? { pingInterval: ENGINE_DEFAULTS.pingInterval, pingTimeout: ENGINE_DEFAULTS.pingTimeout };
    const rtt = await measureRtt(ctx, engAnswer?.answered ? ctx.enginePath : config.path);
    if (rtt !== undefined) result.rttMs = rtt;
    const hs = result.handshake;
    const live = new CaseContext(
      config,
      { ...timing, pingInterval: hs.pingInterval, pingTimeout: hs.pingTimeout },
      hs,
      new Set(FEATURES),
      signal,
    );
    try {
      const sio = await live
        .engineAt(config.path)
        .openPolling()
        .catch((err) => err as Error);
      const eng =
        config.enginePath === null
          ? new Error("--engine-path none")
          : await live
              .engineAt(config.enginePath)
              .openPolling()
              .catch((err) => err as Error);
      await probeFeatures(live, config, eng, sio, features, missing);
    } finally {
      await live.dispose();
    }
  } finally {
    await ctx.dispose();
  }
  for (const f of FEATURES) if (!features.has(f) && !missing.has(f)) missing.set(f, "not detected");
  return result;
}

/** How many requests the round-trip time is the median of. */
const RTT_SAMPLES = 5;

/**
 * The round-trip time to the server: the median time of a few polling GETs naming a sid that
 * does not exist, sent one after another. Each is answered at once with `400` code 1 and opens
 * no session; the median leaves out the first one's connection setup and a stray slow answer.
 * Undefined when the server does not answer them.
 */
export async function measureRtt(ctx: CaseContext, path: string): Promise<number | undefined> {
  const times: number[] = [];
  for (let i = 0; i < RTT_SAMPLES; i++) {
    const sent = performance.now();
    try {
      await ctx.http.request({
        path,
        query: { EIO: "4", transport: "polling", sid: "sockspec-rtt-probe" },
        timeoutMs: ctx.scale(5000),
      });
    } catch {
      return undefined;
    }
    times.push(performance.now() - sent);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
}

async function probeFeatures(
  ctx: CaseContext,
  config: TargetConfig,
  eng: Awaited<ReturnType<CaseContext["engine"]["openPolling"]>> | Error,
  sio: Awaited<ReturnType<CaseContext["engine"]["openPolling"]>> | Error,
  features: Set<Feature>,
  missing: Map<Feature, string>,
): Promise<void> {
  const check = featureCheck(features, missing);
  // Offered when the server switches protocols; what it sends after that is for the cases to judge.
  await check("websocket", async () => {
    const ws = ctx.engine.rawWebSocket();
    const opened = await ws.opened;
    ws.terminate();
    return opened.ok || `the WebSocket handshake got ${opened.status ?? opened.error}`;
  });
  if (eng instanceof Error) {
    missing.set(
      "engine-echo",
      config.enginePath === null
        ? "the run has no engine endpoint (--engine-path none)"
        : `no working Engine.IO endpoint at ${config.enginePath}: ${reasonOf(eng)}`,
    );
  } else {
    await check("engine-echo", async () => {
      const post = await eng.post([{ type: "message", data: "sockspec-probe" }]);
      if (post.status !== 200) return `a POST got status ${post.status}`;
      const { packets } = await eng.get({ timeoutMs: ctx.scale(3000) });
      return (
        packets.some((p) => p.type === "message" && p.data === "sockspec-probe") ||
        `the message was not echoed (got ${JSON.stringify(packets)})`
      );
    });
    if (features.has("engine-echo")) features.add("control").add("binary");
    else missing.set("control", "no Engine.IO echo endpoint");
    await check("eio3", async () => {
      const res = await ctx.http.request({ query: { EIO: "3", transport: "polling" } });
      return res.status === 200 || `an EIO=3 handshake got status ${res.status}`;
    });
  }
  await check("cors", async () => {
    const res = await ctx.http.request({
      query: { EIO: "4", transport: "polling" },
      headers: { origin: "http://sockspec.invalid" },
    });
    return (
      res.headers["access-control-allow-origin"] !== undefined ||
      "no access-control-allow-origin header for a cross-origin handshake"
    );
  });
  if (sio instanceof Error) {
    missing.set("socketio", `no working Engine.IO handshake at ${config.path}: ${reasonOf(sio)}`);
    return;
  }
  await check("socketio", async () => {
    const io = await ctx.socketio();
    const reply = await io.connect("/", undefined, { timeoutMs: ctx.scale(3000) });
    if (reply.type !== "CONNECT") return `CONNECT / was answered with ${reply.type}`;
    if ((reply.data as { pid?: unknown } | undefined)?.pid !== undefined) features.add("recovery");
    else missing.set("recovery", "the CONNECT reply carries no pid");
    await check("socketio-echo", async () => {
      await io.expectEvent("auth", "/", { timeoutMs: ctx.scale(3000) });
      return true;
    });
    if (features.has("socketio-echo")) features.add("binary");
    await check("private-namespace", () => refusesPrivate(ctx, config));
    await io.close();
    return true;
  });
}

/**
 * `/private` is offered when a CONNECT to it without a token is refused: any answer that starts
 * `44/private,` counts, read as raw text on a session of its own, so that a refusal of the
 * wrong shape reaches the cases that judge it (they fail) instead of making them skip.
 */
async function refusesPrivate(ctx: CaseContext, config: TargetConfig): Promise<boolean | string> {
  const socket = await ctx.engineAt(config.path).openWebSocket();
  try {
    socket.send({ type: "message", data: "0/private," });
    // Packets on other namespaces (a server may send some unasked) are not the answer.
    const onPrivate = (p: { type: string; data?: unknown }) =>
      p.type === "close" ||
      (p.type === "message" && typeof p.data === "string" && /^\d\/private(?:[,[{]|$)/.test(p.data));
    const answer = await socket.nextPacketMatching(onPrivate, {
      what: "the answer to 40/private,",
      timeoutMs: ctx.scale(3000),
    });
    const text = answer.type === "message" && typeof answer.data === "string" ? `4${answer.data}` : undefined;
    return (
      text?.startsWith("44/private,") ||
      `no /private namespace that asks for a token (40/private, was answered ${JSON.stringify(text ?? answer.type)})`
    );
  } finally {
    await socket.close();
  }
}

/**
 * A check of one feature: `test` says true (offered), a string (not offered, and why) or false;
 * a request that fails says why by its error. Each result lands in `features` or `missing`.
 */
export function featureCheck(
  features: Set<Feature>,
  missing: Map<Feature, string>,
): (feature: Feature, test: () => Promise<boolean | string>) => Promise<void> {
  return async (feature, test) => {
    try {
      const ok = await test();
      if (ok === true) features.add(feature);
      else missing.set(feature, typeof ok === "string" ? ok : "the probe did not see it");
    } catch (err) {
      missing.set(feature, reasonOf(err));
    }
  };
}
