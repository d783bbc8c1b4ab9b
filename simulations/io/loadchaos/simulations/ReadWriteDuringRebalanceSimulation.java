package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultSpec;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.ClusterChecks;
import io.loadchaos.harness.RunSpec;
import java.util.List;
import java.util.Map;

/**
 * Scenario 4.4 (docs/scenarios.md), reads and writes during rebalancing: the two newest shards of cpu (the ones being
 * written) move to a new node while
 * writes and queries run at full rate. Writes that land during MigratingWAL must reach the new
 * owner; queries stay correct; nothing acknowledged is lost.
 */
public class ReadWriteDuringRebalanceSimulation extends LoadChaosSimulation {

  public ReadWriteDuringRebalanceSimulation() {
    super(RunSpec.of("ReadWriteDuringRebalance").standardSlos().knob("queryUsers", 2)
            .check(run -> List.of(ClusterChecks.migrationStatesInOrder(run))),
        FaultTimeline.builder().at(8)
            .fault("move-3-shards", FaultSpec.Action.MOVE_SHARD, "table:cpu", null, Map.of("to", "new", "count", "2", "pick", "newest")).build());
    setUpStandard();
  }
}
