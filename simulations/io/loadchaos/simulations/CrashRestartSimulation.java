package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultSpec;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.check.Slo;
import io.loadchaos.config.Knobs;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.RunSpec;
import java.time.Duration;
import java.util.Map;

/**
 * Any cluster, one node or many: a random node is SIGKILLed 12 s into the write load and
 * restarted 6 s later with its own command (or container). Nothing it acknowledged may be lost,
 * writes are back within the recovery SLO, and steady phases meet availability and p99. Unlike
 * NodeFailureDuringWrite it promises nothing while the node is down, so it also judges a single
 * server (e.g. an InfluxDB 1.x started from a cluster file, docs/targets.md).
 */
public class CrashRestartSimulation extends LoadChaosSimulation {

  public CrashRestartSimulation() {
    super(RunSpec.of("CrashRestart")
            .slo(cfg -> Slo.availability("steady", cfg.get(Knobs.SLO_AVAILABILITY)))
            .slo(cfg -> Slo.p99("steady", cfg.get(Knobs.SLO_P99)))
            .slo(cfg -> Slo.recovery(cfg.get(Knobs.SLO_RECOVERY))),
        FaultTimeline.builder().at(12).fault("crash", FaultSpec.Action.KILL, "random", Duration.ofSeconds(6), Map.of())
            .build());
    setUpStandard();
  }
}
