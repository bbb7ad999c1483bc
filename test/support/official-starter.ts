/**
 * The official servers as the whole suite runs them (test/real-servers.test.ts and
 * `npm run implementations`): short timings, so that the cases that wait for a heartbeat or a
 * timeout take a second rather than a minute, and the two configurations of runFullSuite.
 */
import type { StartServer } from "../../conformance/mutants/full-suite.js";
import { startOfficialServers } from "./official-servers.js";

/** The timings both official servers run at; tell the runner the upgradeTimeout (it is not advertised). */
export const OFFICIAL_TIMINGS = {
  pingInterval: 300,
  pingTimeout: 200,
  connectTimeout: 1000,
  upgradeTimeout: 1000,
} as const;

/** The official servers: plain (CORS off, no recovery), with CORS and recovery on, or with allowEIO3 (the v3 chapters). */
export const officialStarter: StartServer = async (variant) => ({
  ...(await startOfficialServers(
    variant === "plain"
      ? OFFICIAL_TIMINGS
      : variant === "v3"
        ? { ...OFFICIAL_TIMINGS, allowEIO3: true }
        : { ...OFFICIAL_TIMINGS, cors: { origin: true, credentials: true }, connectionStateRecovery: true },
  )),
  // The configuration is known, so it is declared rather than guessed by the probe.
  cors: variant === "features" ? "on" : "off",
});
