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
 * Scenario 4.2 (docs/scenarios.md), graceful decommission: a 4th node joins, then node 3 is decommissioned under write
 * load. All its shards move to other active nodes (RF kept), it ends Decommissioned owning
 * nothing, and nothing acknowledged is lost.
 */
public class DecommissionNodeSimulation extends Simulation {
  private final LoadChaos lc = LoadChaos.start(
      RunSpec.of("DecommissionNode").standardSlos().knob(Knobs.DURATION, seconds(50))
          .check(run -> List.of(ClusterChecks.decommissioned(run, "3"))),
      faults().at(seconds(5)).addNode().named("add-node")
          .at(seconds(15)).decommission(node("3")).named("decommission-3"));

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
