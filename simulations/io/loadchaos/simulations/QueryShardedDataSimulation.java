package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.ClusterChecks;
import io.loadchaos.harness.RunSpec;
import io.loadchaos.harness.TableSetup;
import java.util.List;

/**
 * Scenario 3.1 (docs/scenarios.md), querying sharded data: the devops data spans several hourly time shards, each with
 * 3 hash partitions over two owners. Queries hit one shard and all shards while writes run; after
 * the load, per-shard counts must add up to the total.
 */
public class QueryShardedDataSimulation extends LoadChaosSimulation {

  public QueryShardedDataSimulation() {
    super(RunSpec.of("QueryShardedData").standardSlos().knob("queryUsers", 2)
            .table(new TableSetup("cpu", List.of("host"), 3, 2))
            .check(run -> List.of(ClusterChecks.shardedTotals(run, "cpu"))),
        FaultTimeline.none());
    setUpStandard();
  }
}
