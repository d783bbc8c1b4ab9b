package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultSpec;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.RunSpec;
import java.time.Duration;

/**
 * Network latency on one owner: 200 ms +/- 50 ms on every link into node 3 for 15 s. Quorum writes complete on the two fast owners, so latency stays within the SLO; the slow replica catches up.
 */
public class SlowReplicaSimulation extends LoadChaosSimulation {

  public SlowReplicaSimulation() {
    super(RunSpec.of("SlowReplica").standardSlos(),
        FaultTimeline.builder().at(10).fault(FaultSpec.Action.LATENCY, "node:3", Duration.ofSeconds(15), "latency", "200ms", "jitter", "50ms").build());
    setUpStandard();
  }
}
