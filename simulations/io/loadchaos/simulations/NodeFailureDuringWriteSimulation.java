package io.loadchaos.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.loadchaos.gatling.Faults.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.loadchaos.config.Knobs;
import io.loadchaos.gatling.LoadChaos;
import io.loadchaos.harness.RunSpec;

/**
 * Scenario 2.3 (docs/scenarios.md), node failure during write: RF=3, a random node is SIGKILLed while writes run and restarted 10 s later. Writes keep succeeding through the other owners (quorum 2 of 3, client failover to the next node); nothing acknowledged is lost.
 */
public class NodeFailureDuringWriteSimulation extends Simulation {
  private final LoadChaos lc = LoadChaos.start(
      RunSpec.of("NodeFailureDuringWrite").standardSlos(),
      faults().at(seconds(12)).kill(randomNode()).healAfter(seconds(10)));

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
