/**
 * The probe faults: a probe left unanswered, noops withheld or late during the upgrade, a
 * probe with no upgradeTimeout. A FaultyProbe replaces the session's probe
 * (FaultySession.createProbe).
 */
import type { SocketPort } from "../../engine/ports.js";
import { Probe, type ProbeHost } from "../../engine/probe.js";
import { NOOP_REPEAT_MS } from "../../engine/session-config.js";
import type { FaultSet } from "./catalogue.js";

export class FaultyProbe extends Probe {
  constructor(
    port: SocketPort,
    host: ProbeHost,
    private readonly faults: FaultSet,
  ) {
    super(port, host);
    // no-upgrade-timeout: the probe may wait for `5` forever.
    if (faults.has("no-upgrade-timeout")) {
      host.cfg.clock.clearTimeout(this.upgradeTimer);
      this.upgradeTimer = undefined;
    }
  }

  protected override answerProbe(): void {
    if (!this.faults.has("probe-answer-missing")) super.answerProbe();
  }

  protected override startNoops(): void {
    // pending-get-closed-at-upgrade (with FaultySession.completeUpgrade): the first noop waits for the first 100 ms check, as engine.io 6.6.12's does.
    if (this.faults.has("pending-get-closed-at-upgrade"))
      this.noopTimer = this.host.cfg.clock.setTimeout(() => this.repeatNoop(), NOOP_REPEAT_MS);
    else if (!this.faults.has("no-noop-during-upgrade")) super.startNoops();
  }
}
