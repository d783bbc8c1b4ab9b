package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.ClusterChecks;
import io.loadchaos.harness.RunSpec;
import io.loadchaos.harness.TableSetup;
import java.util.List;

/**
 * Scenario 3.2 (docs/scenarios.md), shard pruning: cpu is sharded by host into 3 hash partitions with RF=1, so each
 * partition lives on one node. Equality queries on host must fetch no fragment from a non-owner:
 * judged from the fault proxies on the node->node links (fragment requests per link), with the
 * nodes' own fragment counters as a second source.
 */
public class ShardPruningSimulation extends LoadChaosSimulation {

  public ShardPruningSimulation() {
    super(RunSpec.of("ShardPruning").standardSlos().withLinkProxies()
            .table(new TableSetup("cpu", List.of("host"), 3, 1))
            .table(new TableSetup("mem", List.of("host"), 3, 1))
            .check(run -> List.of(ClusterChecks.shardPruning(run, "cpu", "host", "host_3", 20))),
        FaultTimeline.none());
    setUpStandard();
  }
}
