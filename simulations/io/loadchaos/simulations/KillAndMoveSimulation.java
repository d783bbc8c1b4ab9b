package io.loadchaos.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.loadchaos.gatling.Faults.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.loadchaos.check.Slo;
import io.loadchaos.config.Knobs;
import io.loadchaos.gatling.LoadChaos;
import io.loadchaos.harness.ClusterChecks;
import io.loadchaos.harness.RunSpec;
import java.util.List;

/**
 * Scenarios 2.3 and 4.4 (docs/scenarios.md) in one short run, the default job of
 * {@code mvn gatling:test}: writes and queries on a 3-node RF=3 cluster while a random node is
 * SIGKILLed 10 s in and restarted 8 s later, and then the newest cpu shard moves to a node added
 * for it. Nothing acknowledged may be lost, queries stay correct, the move passes through every
 * state in order, and the SLOs hold in steady phases.
 */
public class KillAndMoveSimulation extends Simulation {
  private final LoadChaos lc = LoadChaos.start(
      // no write-recovery SLO: the crash's heal is verified after the move has begun and the move
      // lasts until the load ends, so nothing is left to time alone; the node's own recovery and
      // catch-up SLOs judge the crash instead
      RunSpec.of("KillAndMove").standardSlos().withoutSlo(Slo.Metric.RECOVERY_S).knob(Knobs.DURATION, seconds(36))
          .check(run -> List.of(ClusterChecks.migrationStatesInOrder(run))),
      faults().at(seconds(10)).kill(randomNode()).healAfter(seconds(8)).named("crash")
          .at(seconds(22)).moveShards(table("cpu"), 1, toNewNode()).newestFirst().named("move-newest-shard"));

  private final ScenarioBuilder writes = scenario("writes")
      .during(lc.duration(), "n", false).on(pace(lc.writePace()).exec(lc.writeBatch()));
  private final ScenarioBuilder queries = scenario("queries")
      .during(lc.duration(), "n", false).on(exec(lc.query()).pause(lc.knob(Knobs.QUERY_PAUSE)));

  {
    setUp(writes.injectOpen(atOnceUsers(lc.knob(Knobs.WRITERS))).andThen(lc.verdicts()),
        queries.injectOpen(atOnceUsers(lc.queryUsers())))
        .protocols(lc.http()).assertions(lc.assertions());
  }
}
