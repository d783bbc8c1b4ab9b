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
 * Scenario 3.1 (docs/scenarios.md), aggregates across hash partitions: GROUP BY the shard key over 3 partitions must
 * return each group once, and the groups must add up to the total (during load: the
 * across-partitions query template; after: an exact comparison).
 */
public class QueryAcrossHashPartitionsSimulation extends Simulation {
  private final LoadChaos lc = LoadChaos.start(
      RunSpec.of("QueryAcrossHashPartitions").standardSlos().knob(Knobs.QUERY_USERS, 2)
          .table(TableSetup.table("cpu").shardedBy("host").partitions(3).rf(2))
          .check(run -> List.of(ClusterChecks.partitionAggregates(run, "cpu", "host"))),
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
