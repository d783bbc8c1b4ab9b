package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.ManagementApiContract;
import io.loadchaos.harness.RunSpec;

/**
 * Scenarios 5.1-5.5 (docs/scenarios.md), management API: every status code of the contract (add 201 / duplicate 409 / bad
 * payload 400, delete 204 / unknown 404 / non-numeric 400, status 200 / 404 / 400, move 202 and
 * 404 / 400 / 409 cases, sharding 400 / 404, decommission 404) against a loaded RF=2 cluster.
 */
public class ManagementApiContractSimulation extends LoadChaosSimulation {

  public ManagementApiContractSimulation() {
    super(RunSpec.of("ManagementApiContract").standardSlos().knob("replicationFactor", 2).knob("duration", "15s")
            .check(ManagementApiContract::verify),
        FaultTimeline.none());
    setUpStandard();
  }
}
