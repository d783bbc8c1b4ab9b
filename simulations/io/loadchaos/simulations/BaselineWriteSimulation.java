package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.RunSpec;

/**
 * The default of {@code mvn gatling:test}: a local 3-node RF=3 reference cluster, mixed write and
 * query load (SQL over HTTP and Flight), no faults; read-back, replica and SLO verdicts.
 */
public class BaselineWriteSimulation extends LoadChaosSimulation {

  public BaselineWriteSimulation() {
    // the rate of the committed performance baseline (baselines/BaselineWrite.json)
    super(RunSpec.of("BaselineWrite").standardSlos().knob("pointsPerSecond", 20000), FaultTimeline.none());
    setUpStandard();
  }
}
