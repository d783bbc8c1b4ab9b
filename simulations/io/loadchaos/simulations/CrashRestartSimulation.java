package io.loadchaos.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.loadchaos.gatling.Faults.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.loadchaos.check.Slo;
import io.loadchaos.config.Knobs;
import io.loadchaos.gatling.LoadChaos;
import io.loadchaos.harness.RunSpec;

/**
 * Any cluster, one node or many: a random node is SIGKILLed 12 s into the write load and
 * restarted 6 s later with its own command (or container). Nothing it acknowledged may be lost,
 * writes are back within the recovery SLO, and steady phases meet availability and p99. Unlike
 * NodeFailureDuringWrite it promises nothing while the node is down, so it also judges a single
 * server (e.g. an InfluxDB 1.x started from a cluster file, docs/targets.md).
 */
public class CrashRestartSimulation extends Simulation {
  private final LoadChaos lc = LoadChaos.start(
      RunSpec.of("CrashRestart")
          .slo(cfg -> Slo.availability("steady", cfg.get(Knobs.SLO_AVAILABILITY)))
          .slo(cfg -> Slo.p99("steady", cfg.get(Knobs.SLO_P99)))
          .slo(cfg -> Slo.recovery(cfg.get(Knobs.SLO_RECOVERY))),
      faults().at(seconds(12)).kill(randomNode()).healAfter(seconds(6)).named("crash"));

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
