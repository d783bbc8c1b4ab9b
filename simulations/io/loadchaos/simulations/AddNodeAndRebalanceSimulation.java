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
 * Scenario 4.1 (docs/scenarios.md), add node and rebalance: a 4th node joins the loaded 3-node cluster and two shards
 * move to it while writes continue. Each move must pass through every state in order, the source
 * copies must be cleaned, the new owner must serve, and nothing acknowledged may be lost.
 */
public class AddNodeAndRebalanceSimulation extends Simulation {
  private final LoadChaos lc = LoadChaos.start(
      RunSpec.of("AddNodeAndRebalance").standardSlos()
          .check(run -> List.of(ClusterChecks.migrationStatesInOrder(run), ClusterChecks.sourcesCleaned(run))),
      faults().at(seconds(10)).addNode().moving(2, table("cpu")).named("add-node-and-move"));

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
