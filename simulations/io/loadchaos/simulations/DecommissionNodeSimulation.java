package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultSpec;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.ClusterChecks;
import io.loadchaos.harness.RunSpec;
import java.util.List;
import java.util.Map;

/**
 * Scenario 4.2 (docs/scenarios.md), graceful decommission: a 4th node joins, then node 3 is decommissioned under write
 * load. All its shards move to other active nodes (RF kept), it ends Decommissioned owning
 * nothing, and nothing acknowledged is lost.
 */
public class DecommissionNodeSimulation extends LoadChaosSimulation {

  public DecommissionNodeSimulation() {
    super(RunSpec.of("DecommissionNode").standardSlos().knob("duration", "50s")
            .check(run -> List.of(ClusterChecks.decommissioned(run, "3"))),
        FaultTimeline.builder()
            .at(5).fault("add-node", FaultSpec.Action.ADD_NODE, "all", null, Map.of())
            .at(15).fault("decommission-3", FaultSpec.Action.DECOMMISSION, "node:3", null, Map.of())
            .build());
    setUpStandard();
  }
}
