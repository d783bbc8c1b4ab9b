package io.loadchaos.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.loadchaos.gatling.Faults.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.loadchaos.config.Knobs;
import io.loadchaos.gatling.LoadChaos;
import io.loadchaos.harness.RunSpec;

/**
 * Scenario 2.5 (docs/scenarios.md), data consistency after mixed faults: a crash, a pause and a graceful restart of different nodes, then replicas compared shard by shard and every acknowledged point read back.
 */
public class DataConsistencySimulation extends Simulation {
  private final LoadChaos lc = LoadChaos.start(
      RunSpec.of("DataConsistency").standardSlos().knob(Knobs.DURATION, seconds(55)),
      faults().at(seconds(5)).kill(node("1")).healAfter(seconds(6))
          .at(seconds(24)).pause(node("2")).healAfter(seconds(5))
          .at(seconds(38)).restart(node("3")));

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
