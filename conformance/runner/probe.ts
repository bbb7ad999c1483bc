/**
 * The probe that runs before any case: is the server there, what timings does it advertise,
 * and which features does it offer. A case whose feature is missing is skipped with the reason
 * the probe recorded, instead of failing for a reason that has nothing to do with its rule.
 */
import { CaseOutcome, FEATURES, type Feature } from "../case.js";
import { CaseContext, type ObservedHandshake, type TargetConfig } from "./context.js";
import type { Timing } from "./timing.js";

/** What the probe found. */
export interface ProbeResult {
  /** From the polling handshake of the engine endpoint (or the Socket.IO one). */
  handshake: ObservedHandshake | undefined;
  features: Set<Feature>;
  /** Why each missing feature is missing, e.g. `--engine-path none`. */
  missing: Map<Feature, string>;
  /** Set when the server cannot be tested at all (exit status 2). */
  unreachable?: string;
}

/** Timings assumed until the server advertises its own (generous, so the probe does not give up early). */
const PROBE_TIMING = { pingInterval: 5000, pingTimeout: 5000 };

function reasonOf(err: unknown): string {
  return err instanceof CaseOutcome ? err.reason : (err as Error).message;
}

/** Probes the server; never throws. */
export async function probe(config: TargetConfig, timing: Timing, signal: AbortSignal): Promise<ProbeResult> {
  const features = new Set<Feature>();
  const missing = new Map<Feature, string>();
  const t = { ...timing, ...PROBE_TIMING };
  const ctx = new CaseContext(config, t, { ...PROBE_TIMING }, new Set(FEATURES), signal);
  const result: ProbeResult = { handshake: undefined, features, missing };
  try {
    // Is anything listening?
    const res = await ctx.http.request({ path: config.path, query: { EIO: "4", transport: "polling" }, timeoutMs: ctx.scale(5000) }).catch((err) => err as Error);
    if (res instanceof Error) {
      result.unreachable = `${config.url} does not answer: ${reasonOf(res)}`;
      return result;
    }
    const sio = await ctx.engineAt(config.path).openPolling().catch((err) => err as Error);
    const eng = config.enginePath === null ? new Error("--engine-path none") : await ctx.engineAt(config.enginePath).openPolling().catch((err) => err as Error);
    const first = !(eng instanceof Error) ? eng : !(sio instanceof Error) ? sio : undefined;
    if (!first) {
      result.unreachable = `no Engine.IO handshake at ${config.path} (${reasonOf(sio)})` + (config.enginePath ? ` nor at ${config.enginePath} (${reasonOf(eng)})` : "");
      return result;
    }
    const hs = first.handshake;
    result.handshake = { pingInterval: hs.pingInterval, pingTimeout: hs.pingTimeout, maxPayload: hs.maxPayload, upgrades: hs.upgrades };
    features.add("polling");
    const live = new CaseContext(config, { ...timing, pingInterval: hs.pingInterval, pingTimeout: hs.pingTimeout }, result.handshake, new Set(FEATURES), signal);
    try {
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

async function probeFeatures(
  ctx: CaseContext,
  config: TargetConfig,
  eng: Awaited<ReturnType<CaseContext["engine"]["openPolling"]>> | Error,
  sio: Awaited<ReturnType<CaseContext["engine"]["openPolling"]>> | Error,
  features: Set<Feature>,
  missing: Map<Feature, string>,
): Promise<void> {
  const check = async (feature: Feature, test: () => Promise<boolean | string>) => {
    try {
      const ok = await test();
      if (ok === true) features.add(feature);
      else missing.set(feature, typeof ok === "string" ? ok : "the probe did not see it");
    } catch (err) {
      missing.set(feature, reasonOf(err));
    }
  };
  await check("websocket", async () => {
    const socket = await ctx.engine.openWebSocket();
    await socket.close();
    return true;
  });
  if (eng instanceof Error) {
    missing.set("engine-echo", config.enginePath === null ? "the run has no engine endpoint (--engine-path none)" : `no bare Engine.IO endpoint at ${config.enginePath}: ${eng.message}`);
  } else {
    await check("engine-echo", async () => {
      const post = await eng.post([{ type: "message", data: "sockspec-probe" }]);
      if (post.status !== 200) return `a POST got status ${post.status}`;
      const { packets } = await eng.get({ timeoutMs: ctx.scale(3000) });
      return packets.some((p) => p.type === "message" && p.data === "sockspec-probe") || `the message was not echoed (got ${JSON.stringify(packets)})`;
    });
    if (features.has("engine-echo")) features.add("control").add("binary");
    else missing.set("control", "no Engine.IO echo endpoint");
    await check("eio3", async () => {
      const res = await ctx.http.request({ query: { EIO: "3", transport: "polling" } });
      return res.status === 200 || `an EIO=3 handshake got status ${res.status}`;
    });
  }
  await check("cors", async () => {
    const res = await ctx.http.request({ query: { EIO: "4", transport: "polling" }, headers: { origin: "http://sockspec.invalid" } });
    return res.headers["access-control-allow-origin"] !== undefined || "no access-control-allow-origin header for a cross-origin handshake";
  });
  if (sio instanceof Error) {
    missing.set("socketio", `no Engine.IO handshake at ${config.path}: ${sio.message}`);
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
    await check("private-namespace", async () => {
      const refused = await io.connect("/private", undefined, { timeoutMs: ctx.scale(3000) });
      return (refused.type === "CONNECT_ERROR" && (refused.data as { message?: string }).message === "not authorized") || "no /private namespace that asks for a token";
    });
    await io.close();
    return true;
  });
}
