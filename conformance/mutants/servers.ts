/**
 * Starters for {@link runFullSuite}: the embedded reference server (optionally a mutant) in
 * each configuration. The `features` configuration adds CORS (any origin, with credentials)
 * and connection state recovery, the `v3` one serves `EIO=3` (allowEIO3); nothing else differs.
 */
import type { AttachOptions } from "../../reference/attach.js";
import type { Seams } from "../../reference/seams.js";
import { startEmbeddedServer } from "../runner/embedded.js";
import type { StartServer } from "./full-suite.js";

/** The options the `features` configuration adds. */
export const FEATURE_OPTIONS: Pick<AttachOptions, "cors" | "connectionStateRecovery"> = {
  cors: { origin: true, credentials: true },
  connectionStateRecovery: { maxDisconnectionDuration: 60_000 },
};

/**
 * The embedded reference server (echo app; pingInterval 300, pingTimeout 200, connectTimeout
 * 1000, upgradeTimeout 1000) with `extra` options on top, and `seams` (a mutant's fault).
 */
export function referenceStarter(extra: AttachOptions = {}, seams?: Seams): StartServer {
  return async (variant) => {
    const options =
      variant === "plain" ? extra : variant === "v3" ? { ...extra, allowEIO3: true } : { ...extra, ...FEATURE_OPTIONS };
    // Its configuration is known, so it is declared (a mutant that leaks CORS cannot hide).
    return {
      ...(await startEmbeddedServer(options, seams)),
      cors: options.cors ? "on" : "off",
      recovery: options.connectionStateRecovery ? "on" : "off",
    };
  };
}
