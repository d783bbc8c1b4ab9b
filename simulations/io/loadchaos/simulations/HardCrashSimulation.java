package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultSpec;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.RunSpec;
import java.time.Duration;

/**
 * Scenario 4.3 (docs/scenarios.md), node failure (hard crash): a random node is SIGKILLed and stays down until the end-of-run heal. With RF=3 every shard stays available for reads and writes through its remaining owners.
 */
public class HardCrashSimulation extends LoadChaosSimulation {

  public HardCrashSimulation() {
    super(RunSpec.of("HardCrash").standardSlos(),
        FaultTimeline.builder().at(10).fault(FaultSpec.Action.KILL, "random", null).build());
    setUpStandard();
  }
}
