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
 * Network latency on one owner: 400 ms +/- 50 ms on the replication links into node 3 for 15 s.
 * Quorum writes complete on the two fast owners, so the median write latency barely moves (at
 * most +150 ms) and the slow replica catches up; a coordinator that waited for every owner
 * ({@code --bug wait-all-owners}) would add the full delay to every write.
 */
public class SlowReplicaSimulation extends LoadChaosSimulation {
  static final String FAULT = "slow-node-3";

  public SlowReplicaSimulation() {
    super(RunSpec.of("SlowReplica").standardSlos()
            .check(run -> List.of(ClusterChecks.slowOwnerOffWritePath(run, FAULT, 150))),
        FaultTimeline.builder().at(10).fault(FAULT, FaultSpec.Action.LATENCY, "node:3", Duration.ofSeconds(15),
            Map.of("latency", "400ms", "jitter", "50ms", "from", "peers")).build());
    setUpStandard();
  }
}
