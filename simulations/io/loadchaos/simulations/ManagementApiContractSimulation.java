package io.loadchaos.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.loadchaos.gatling.Faults.seconds;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.loadchaos.config.Knobs;
import io.loadchaos.gatling.Faults;
import io.loadchaos.gatling.LoadChaos;
import io.loadchaos.harness.ManagementApiContract;
import io.loadchaos.harness.RunSpec;

/**
 * Scenarios 5.1-5.5 (docs/scenarios.md), management API: every status code of the contract (add 201 / duplicate 409 / bad
 * payload 400, delete 204 / unknown 404 / non-numeric 400, status 200 / 404 / 400, move 202 and
 * 404 / 400 / 409 cases, sharding 400 / 404, decommission 404) against a loaded RF=2 cluster.
 */
public class ManagementApiContractSimulation extends Simulation {
  private final LoadChaos lc = LoadChaos.start(
      RunSpec.of("ManagementApiContract").standardSlos()
          .knob(Knobs.REPLICATION_FACTOR, 2).knob(Knobs.DURATION, seconds(15))
          .check(ManagementApiContract::verify),
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
