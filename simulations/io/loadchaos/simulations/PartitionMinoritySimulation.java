package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultSpec;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.RunSpec;
import java.time.Duration;

/**
 * Network partition: one node is cut off from its peers (clients still reach it) for 12 s. Writes it coordinates cannot reach quorum and are retried elsewhere; after the heal hinted handoff levels the replicas.
 */
public class PartitionMinoritySimulation extends LoadChaosSimulation {

  public PartitionMinoritySimulation() {
    super(RunSpec.of("PartitionMinority").standardSlos(),
        FaultTimeline.builder().at(10).fault(FaultSpec.Action.PARTITION, "minority", Duration.ofSeconds(12)).build());
    setUpStandard();
  }
}
