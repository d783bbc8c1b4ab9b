package io.loadchaos.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.loadchaos.gatling.Faults.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.loadchaos.config.Knobs;
import io.loadchaos.gatling.LoadChaos;
import io.loadchaos.harness.ClusterChecks;
import io.loadchaos.harness.RunSpec;
import java.util.List;

/**
 * Scenario 4.4 (docs/scenarios.md), reads and writes during rebalancing: the two newest shards of cpu (the ones being
 * written) move to a new node while
 * writes and queries run at full rate. Writes that land during MigratingWAL must reach the new
 * owner; queries stay correct; nothing acknowledged is lost.
 */
public class ReadWriteDuringRebalanceSimulation extends Simulation {
  private final LoadChaos lc = LoadChaos.start(
      RunSpec.of("ReadWriteDuringRebalance").standardSlos().knob(Knobs.QUERY_USERS, 2)
          .check(run -> List.of(ClusterChecks.migrationStatesInOrder(run))),
      faults().at(seconds(8)).moveShards(table("cpu"), 2, toNewNode()).newestFirst().named("move-2-shards"));

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
