/**
 * Which Engine.IO versions the server speaks, and at which paths: the first thing a run asks.
 * Each endpoint gets a polling handshake with `EIO=4`, then one with `EIO=3`. A server of the
 * 2.x era answers `EIO=4` with a version 3 payload (`97:0{...}`, engine.io 3.x never reads EIO):
 * read as version 4 it would fail every case for a reason that has nothing to do with its rules,
 * so such a server is given the version 3 chapters instead.
 */
import { HttpClient } from "../client/http.js";
import { Transcript } from "./transcript.js";
import type { TargetConfig } from "./context.js";

/** The protocol versions the runner has chapters for, by their `--protocol` names. */
export type ProtocolVersion = "eio4" | "eio3";

/** `--protocol`: one version, or `all` (both, and the server must speak both). */
export type ProtocolChoice = ProtocolVersion | "all";

/** The versions each endpoint speaks: version -> the paths that answered it as that version. */
export type SpokenVersions = Record<ProtocolVersion, string[]>;

/** What one endpoint answered to one polling handshake. */
export interface HandshakeAnswer {
  path: string;
  eio: "4" | "3";
  /** No HTTP answer at all (refused connection, timeout). */
  error?: string;
  status?: number;
  text?: string;
}

/** A version 3 payload whose first record is an open packet: `<length>:0{`. */
const V3_OPEN = /^\d+:0\{/;

/** True when the answer to `EIO=4` is a version 4 session, or a broken one (which the v4 cases then judge). */
export function speaksV4(a: HandshakeAnswer): boolean {
  if (a.status === undefined || a.text === undefined) return false;
  if (V3_OPEN.test(a.text)) return false;
  // A version 3 server that checks the version refuses EIO=4 with code 5.
  if (a.status >= 400 && /"code"\s*:\s*5\b/.test(a.text)) return false;
  return a.text.startsWith("0") || (a.status !== 404 && a.status < 500);
}

/** True when the answer to `EIO=3` opens a version 3 session. */
export function speaksV3(a: HandshakeAnswer): boolean {
  return a.status === 200 && a.text !== undefined && V3_OPEN.test(a.text);
}

/** The endpoints of a run: the Socket.IO path, then the bare Engine.IO one if any. */
export function endpointsOf(config: TargetConfig): string[] {
  return config.enginePath === null || config.enginePath === config.path
    ? [config.path]
    : [config.path, config.enginePath];
}

/**
 * Asks every endpoint for a polling handshake in each version and sorts the answers. The sessions
 * it opens are left to time out, as the probe's are.
 */
export async function detectVersions(
  config: TargetConfig,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ spoken: SpokenVersions; answers: HandshakeAnswer[] }> {
  const http = new HttpClient(new Transcript(), { baseUrl: config.url, defaultPath: config.path, timeoutMs, signal });
  const answers: HandshakeAnswer[] = [];
  try {
    for (const path of endpointsOf(config)) {
      for (const eio of ["4", "3"] as const) {
        try {
          const res = await http.request({ path, query: { EIO: eio, transport: "polling" } });
          answers.push({ path, eio, status: res.status, text: res.text });
        } catch (err) {
          answers.push({ path, eio, error: (err as Error).message });
        }
      }
    }
  } finally {
    await http.close();
  }
  const spoken: SpokenVersions = { eio4: [], eio3: [] };
  for (const a of answers) {
    if (a.eio === "4" && speaksV4(a)) spoken.eio4.push(a.path);
    if (a.eio === "3" && speaksV3(a)) spoken.eio3.push(a.path);
  }
  return { spoken, answers };
}

/** The server does not speak a version that `--protocol` asked for (exit status 2). */
export class ProtocolNotSpokenError extends Error {
  override readonly name = "ProtocolNotSpokenError";
}

const LABEL: Record<ProtocolVersion, string> = { eio4: "Engine.IO v4 (EIO=4)", eio3: "Engine.IO v3 (EIO=3)" };

/** One line: which versions the server speaks, and where. */
export function describeSpoken(spoken: SpokenVersions): string {
  const parts = (Object.keys(LABEL) as ProtocolVersion[])
    .filter((v) => spoken[v].length > 0)
    .map((v) => `${v} at ${spoken[v].join(", ")}`);
  return parts.length ? `it speaks ${parts.join("; ")}` : "it speaks neither version";
}

/**
 * The versions a run judges. Without `choice`, every version the server speaks; when it speaks
 * neither, version 4, so that the probe says why the server cannot be tested. With a choice, the
 * server must speak each version chosen, or the run ends with {@link ProtocolNotSpokenError}.
 */
export function chooseVersions(
  choice: ProtocolChoice | undefined,
  spoken: SpokenVersions,
  url: string,
): ProtocolVersion[] {
  const detected = (Object.keys(LABEL) as ProtocolVersion[]).filter((v) => spoken[v].length > 0);
  if (choice === undefined) return detected.length ? detected : ["eio4"];
  const wanted: ProtocolVersion[] = choice === "all" ? ["eio4", "eio3"] : [choice];
  const absent = wanted.filter((v) => spoken[v].length === 0);
  if (absent.length && detected.length) {
    throw new ProtocolNotSpokenError(
      `--protocol ${choice}: the server at ${url} does not speak ${absent.map((v) => LABEL[v]).join(" nor ")}; ${describeSpoken(spoken)} (run without --protocol to test what it speaks)`,
    );
  }
  return wanted;
}

/** The version a case judges, by its ID: `eio3.*` and `sio4.*` are version 3, the rest version 4. */
export function versionOf(caseId: string): ProtocolVersion {
  return /^(?:eio3|sio4)\./.test(caseId) ? "eio3" : "eio4";
}
