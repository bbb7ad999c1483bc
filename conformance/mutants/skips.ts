/**
 * Cases the reference server cannot run in either configuration of the whole-suite run (see
 * full-suite.ts), with the reason. Such a case is skipped against the reference server and so
 * cannot be judged by the mutants either; everything else must pass.
 */
export const REFERENCE_SKIPS: Readonly<Record<string, string>> = {
  "eio4.upgrade.unadvertised-refused":
    "needs a server whose handshake lists no websocket upgrade; both configurations of the embedded reference server offer the upgrade (the kill matrix runs it on a polling-only reference server, see timing-fault-config.ts)",
};
