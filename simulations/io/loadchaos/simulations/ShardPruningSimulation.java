package io.loadchaos.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.loadchaos.config.Knobs;
import io.loadchaos.gatling.Faults;
import io.loadchaos.gatling.LoadChaos;
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
public class ShardPruningSimulation extends Simulation {
  private final LoadChaos lc = LoadChaos.start(
      RunSpec.of("ShardPruning").standardSlos().withLinkProxies()
          .table(TableSetup.table("cpu").shardedBy("host").partitions(3).rf(1))
          .table(TableSetup.table("mem").shardedBy("host").partitions(3).rf(1))
          .check(run -> List.of(ClusterChecks.shardPruning(run, "cpu", "host", "host_3", 20))),
      Faults.none());

  // loadchaos.writers writers looping batches, paced to loadchaos.pointsPerSecond together, and
  // loadchaos.queryUsers users querying every loadchaos.queryPause, both for loadchaos.duration
  private final ScenarioBuilder writes = scenario("writes")
      .during(lc.duration(), "n", false).on(pace(lc.writePace()).exec(lc.writeBatch()));
  private final ScenarioBuilder queries = scenario("queries")
      .during(lc.duration(), "n", false).on(exec(lc.query()).pause(lc.knob(Knobs.QUERY_PAUSE)));

  {
    // the verdicts (heal, settle, checks) after the writes; each verdict a Gatling group
    setUp(writes.injectOpen(atOnceUsers(lc.knob(Knobs.WRITERS))).andThen(lc.verdicts()),
        queries.injectOpen(atOnceUsers(lc.queryUsers())))
        .protocols(lc.http()).assertions(lc.assertions());
  }
}
