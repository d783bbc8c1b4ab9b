package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultSpec;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.ClusterChecks;
import io.loadchaos.harness.RunSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Network partition: one node is cut off from its peers (clients still reach it) for 12 s. Writes
 * it coordinates cannot reach quorum, so it must not acknowledge any (they are retried elsewhere);
 * after the heal hinted handoff levels the replicas.
 */
public class PartitionMinoritySimulation extends LoadChaosSimulation {
  static final String FAULT = "partition-minority";

  public PartitionMinoritySimulation() {
    super(RunSpec.of("PartitionMinority").standardSlos()
            .check(run -> List.of(ClusterChecks.isolatedNodesAckNothing(run, FAULT, 1000))),
        FaultTimeline.builder().at(10).fault(FAULT, FaultSpec.Action.PARTITION, "minority", Duration.ofSeconds(12), Map.of()).build());
    setUpStandard();
  }
}
