package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultSpec;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.RunSpec;
import java.time.Duration;

/**
 * Scenario 2.5 (docs/scenarios.md), data consistency after mixed faults: a crash, a pause and a graceful restart of different nodes, then replicas compared shard by shard and every acknowledged point read back.
 */
public class DataConsistencySimulation extends LoadChaosSimulation {

  public DataConsistencySimulation() {
    super(RunSpec.of("DataConsistency").standardSlos().knob("duration", "55s"),
        FaultTimeline.builder().at(5).fault(FaultSpec.Action.KILL, "node:1", Duration.ofSeconds(6))
            .at(24).fault(FaultSpec.Action.PAUSE, "node:2", Duration.ofSeconds(5))
            .at(38).fault(FaultSpec.Action.RESTART, "node:3", null).build());
    setUpStandard();
  }
}
