package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultSpec;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.check.Slo;
import io.loadchaos.config.Knobs;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.ClusterChecks;
import io.loadchaos.harness.RunSpec;
import io.loadchaos.harness.TableSetup;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Scenario 2.2 (docs/scenarios.md), quorum writes: tables with RF 1, 2 and 3 in every batch. Writes succeed while quorum
 * {@code RF/2+1} is met; while a majority of the nodes is killed, no write may be acknowledged
 * (503 / info only), and every acknowledged point must read back afterwards.
 */
public class QuorumWriteSimulation extends LoadChaosSimulation {
  static final String FAULT = "kill-majority";

  public QuorumWriteSimulation() {
    super(RunSpec.of("QuorumWrite")
            .knob("dataset", "quorum")
            .table(new TableSetup("q_rf1", List.of("host"), 1, 1))
            .table(new TableSetup("q_rf2", List.of("host"), 1, 2))
            .table(new TableSetup("q_rf3", List.of("host"), 1, 3))
            .slo(cfg -> Slo.availability("steady", cfg.get(Knobs.SLO_AVAILABILITY)))
            .slo(cfg -> Slo.recovery(cfg.get(Knobs.SLO_RECOVERY)))
            .check(run -> List.of(ClusterChecks.noAckWhileFaulted(run, FAULT, 1000))),
        FaultTimeline.builder().at(12)
            .fault(FAULT, FaultSpec.Action.KILL, "majority", Duration.ofSeconds(8), Map.of()).build());
    setUpStandard();
  }
}
