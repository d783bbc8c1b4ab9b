package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.ClusterChecks;
import io.loadchaos.harness.RunSpec;
import java.util.List;

/**
 * Scenario 2.1 (docs/scenarios.md), basic replication: RF=3 writes through every node; each shard's owners hold
 * identical copies (replica verdict) and every node answers the same for the same query.
 */
public class BasicReplicationSimulation extends LoadChaosSimulation {

  public BasicReplicationSimulation() {
    super(RunSpec.of("BasicReplication").standardSlos()
            .check(run -> List.of(ClusterChecks.everyNodeAnswersTheSame(run, run.dataset().tables().get(0).name()))),
        FaultTimeline.none());
    setUpStandard();
  }
}
