package io.loadchaos.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.loadchaos.config.Knobs;
import io.loadchaos.gatling.Faults;
import io.loadchaos.gatling.LoadChaos;
import io.loadchaos.harness.ClusterChecks;
import io.loadchaos.harness.RunSpec;
import java.util.List;

/**
 * Scenario 2.1 (docs/scenarios.md), basic replication: RF=3 writes through every node; each shard's owners hold
 * identical copies (replica verdict) and every node answers the same for the same query.
 */
public class BasicReplicationSimulation extends Simulation {
  private final LoadChaos lc = LoadChaos.start(
      RunSpec.of("BasicReplication").standardSlos()
          .check(run -> List.of(ClusterChecks.everyNodeAnswersTheSame(run, run.dataset().tables().get(0).name()))),
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
