package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultSpec;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.ClusterChecks;
import io.loadchaos.harness.RunSpec;
import java.util.List;
import java.util.Map;

/**
 * Scenario 4.1 (docs/scenarios.md), add node and rebalance: a 4th node joins the loaded 3-node cluster and two shards
 * move to it while writes continue. Each move must pass through every state in order, the source
 * copies must be cleaned, the new owner must serve, and nothing acknowledged may be lost.
 */
public class AddNodeAndRebalanceSimulation extends LoadChaosSimulation {

  public AddNodeAndRebalanceSimulation() {
    super(RunSpec.of("AddNodeAndRebalance").standardSlos()
            .check(run -> List.of(ClusterChecks.migrationStatesInOrder(run), ClusterChecks.sourcesCleaned(run))),
        FaultTimeline.builder().at(10)
            .fault("add-node-and-move", FaultSpec.Action.ADD_NODE, "all", null, Map.of("moves", "2", "table", "cpu")).build());
    setUpStandard();
  }
}
