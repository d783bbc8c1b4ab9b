package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultSpec;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.RunSpec;
import java.time.Duration;

/**
 * Scenario 2.3 (docs/scenarios.md), node failure during write: RF=3, a random node is SIGKILLed while writes run and restarted 10 s later. Writes keep succeeding through the other owners (quorum 2 of 3, client failover to the next node); nothing acknowledged is lost.
 */
public class NodeFailureDuringWriteSimulation extends LoadChaosSimulation {

  public NodeFailureDuringWriteSimulation() {
    super(RunSpec.of("NodeFailureDuringWrite").standardSlos(),
        FaultTimeline.builder().at(12).fault(FaultSpec.Action.KILL, "random", Duration.ofSeconds(10)).build());
    setUpStandard();
  }
}
