package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.ClusterChecks;
import io.loadchaos.harness.RunSpec;
import io.loadchaos.harness.TableSetup;
import java.util.List;

/**
 * Scenario 3.1 (docs/scenarios.md), aggregates across hash partitions: GROUP BY the shard key over 3 partitions must
 * return each group once, and the groups must add up to the total (during load: the
 * across-partitions query template; after: an exact comparison).
 */
public class QueryAcrossHashPartitionsSimulation extends LoadChaosSimulation {

  public QueryAcrossHashPartitionsSimulation() {
    super(RunSpec.of("QueryAcrossHashPartitions").standardSlos().knob("queryUsers", 2)
            .table(new TableSetup("cpu", List.of("host"), 3, 2))
            .check(run -> List.of(ClusterChecks.partitionAggregates(run, "cpu", "host"))),
        FaultTimeline.none());
    setUpStandard();
  }
}
