package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultSpec;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.RunSpec;
import java.time.Duration;

/**
 * Scenario 2.4 (docs/scenarios.md), node recovery and catch-up: node 3 is down for 15 s while writes continue; after it restarts, hinted handoff must bring its copies level with the others (replica consistency), within the settle deadline.
 */
public class NodeRecoveryCatchUpSimulation extends LoadChaosSimulation {

  public NodeRecoveryCatchUpSimulation() {
    super(RunSpec.of("NodeRecoveryCatchUp").standardSlos(),
        FaultTimeline.builder().at(8).fault(FaultSpec.Action.KILL, "node:3", Duration.ofSeconds(15)).build());
    setUpStandard();
  }
}
