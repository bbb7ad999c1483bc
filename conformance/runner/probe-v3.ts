/**
 * The probe of the version 3 chapters: the same questions as ./probe.ts (the timings the server
 * advertises, which features it offers) asked with `EIO=3`, so that each version's cases are
 * skipped only for what that version lacks. socket.io 2.x, for instance, has no connection state
 * recovery and no CONNECT payload, and the same server may offer its bare Engine.IO echo in one
 * version only.
 */
import { FEATURES, type Feature } from "../case.js";
import { V4Session } from "../client/v3-socketio.js";
import { CaseContext, type ObservedHandshake, type TargetConfig } from "./context.js";
import { featureCheck, reasonOf, type ProbeResult } from "./probe.js";
import type { Timing } from "./timing.js";

/** Features that version 3 does not have at all, with why. */
const ABSENT_IN_V3: Partial<Record<Feature, string>> = {
  recovery: "Socket.IO v4 has no connection state recovery",
  cors: "no version 3 case needs CORS",
};

/** Probes the version 3 endpoints; never throws. `unreachable` is set when no EIO=3 handshake succeeds. */
export async function probeV3(
  config: TargetConfig,
  timing: Timing,
  signal: AbortSignal,
  rttMs?: number,
): Promise<ProbeResult> {
  const features = new Set<Feature>(["eio3"]);
  const missing = new Map<Feature, string>();
  const result: ProbeResult = { handshake: undefined, features, missing, ...(rttMs !== undefined ? { rttMs } : {}) };
  const generous = { pingInterval: 5000, pingTimeout: 5000 };
  const ctx = new CaseContext(config, { ...timing, ...generous }, generous, new Set(FEATURES), signal);
  try {
    const engine = config.enginePath === null ? undefined : ctx.eio3(config.enginePath);
    const main = await (engine ?? ctx.eio3(config.path)).handshake().catch((err: unknown) => err as Error);
    const sioHandshake = engine
      ? await ctx
          .eio3(config.path)
          .handshake()
          .catch((err: unknown) => err as Error)
      : main;
    const open = !(main instanceof Error) ? main : !(sioHandshake instanceof Error) ? sioHandshake : undefined;
    if (!open) {
      result.unreachable = `no Engine.IO v3 endpoint at ${config.path}: ${reasonOf(main)}`;
      return result;
    }
    const hs: ObservedHandshake = {
      pingInterval: open.handshake.pingInterval,
      pingTimeout: open.handshake.pingTimeout,
      ...(typeof open.handshake.maxPayload === "number" ? { maxPayload: open.handshake.maxPayload } : {}),
      ...(Array.isArray(open.handshake.upgrades) ? { upgrades: open.handshake.upgrades.map(String) } : {}),
    };
    result.handshake = hs;
    const live = new CaseContext(
      config,
      { ...timing, pingInterval: hs.pingInterval, pingTimeout: hs.pingTimeout },
      hs,
      new Set(FEATURES),
      signal,
    );
    try {
      await probeFeatures(live, config, main instanceof Error ? main : undefined, sioHandshake, features, missing);
    } finally {
      await live.dispose();
    }
  } finally {
    await ctx.dispose();
  }
  for (const [f, why] of Object.entries(ABSENT_IN_V3)) missing.set(f as Feature, why);
  for (const f of FEATURES) if (!features.has(f) && !missing.has(f)) missing.set(f, "not detected over EIO=3");
  return result;
}

async function probeFeatures(
  ctx: CaseContext,
  config: TargetConfig,
  engineError: Error | undefined,
  sioHandshake: unknown,
  features: Set<Feature>,
  missing: Map<Feature, string>,
): Promise<void> {
  const check = featureCheck(features, missing);
  features.add("polling");
  await check("websocket", async () => {
    const ws = ctx.eio3().rawWebSocket();
    const opened = await ws.opened;
    ws.terminate();
    return opened.ok || `the EIO=3 WebSocket handshake got ${opened.status ?? opened.error}`;
  });
  if (config.enginePath === null || engineError) {
    missing.set(
      "engine-echo",
      engineError ? `no EIO=3 endpoint at ${config.enginePath}: ${reasonOf(engineError)}` : "--engine-path none",
    );
    missing.set("control", "no Engine.IO v3 echo endpoint");
  } else {
    await check("engine-echo", async () => {
      const session = await ctx.eio3().openPolling();
      const post = await session.post([{ type: "message", data: "sockspec-probe" }]);
      if (post.status !== 200) return `an EIO=3 POST got status ${post.status}`;
      const { packets } = await session.get({ timeoutMs: ctx.scale(3000) });
      return (
        packets.some((p) => p.type === "message" && p.data === "sockspec-probe") ||
        `the message was not echoed over EIO=3 (got ${JSON.stringify(packets)})`
      );
    });
    if (features.has("engine-echo")) features.add("control").add("binary");
    else missing.set("control", "no Engine.IO v3 echo endpoint");
  }
  if (sioHandshake instanceof Error) {
    missing.set("socketio", `no EIO=3 handshake at ${config.path}: ${reasonOf(sioHandshake)}`);
    return;
  }
  await check("socketio", async () => {
    const io = await V4Session.open(ctx.eio3(config.path), {
      transport: features.has("websocket") ? "websocket" : "polling",
      pingIntervalMs: ctx.handshake.pingInterval,
      timeoutMs: ctx.scale(3000),
    });
    try {
      const first = await io.nextOn("/", { what: "the CONNECT 40 for /", timeoutMs: ctx.scale(3000) });
      if (first.packet?.type !== "CONNECT") return `the first packet on / is ${JSON.stringify(first.text)}, not 40`;
      await check("socketio-echo", async () => {
        await io.expectEvent("auth", "/", { timeoutMs: ctx.scale(3000) });
        return true;
      });
      if (features.has("socketio-echo")) features.add("binary");
      await check("private-namespace", async () => {
        const answer = await io.connect("/private", undefined, { timeoutMs: ctx.scale(3000) });
        return (
          // Any ERROR for /private counts, so that one of the wrong shape reaches the cases that judge it.
          answer.text.startsWith("4/private,") ||
          `no /private namespace that asks for a token (40/private, was answered ${JSON.stringify(answer.text)})`
        );
      });
      return true;
    } finally {
      await io.close();
    }
  });
}
