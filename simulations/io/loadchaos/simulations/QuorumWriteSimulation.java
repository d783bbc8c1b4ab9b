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
import io.loadchaos.harness.TableSetup;
import java.util.List;

/**
 * Scenario 2.2 (docs/scenarios.md), quorum writes: tables with RF 1, 2 and 3 in every batch. Writes succeed while quorum
 * {@code RF/2+1} is met; while a majority of the nodes is killed, no write may be acknowledged
 * (503 / info only), and every acknowledged point must read back afterwards.
 */
public class QuorumWriteSimulation extends Simulation {
  static final String FAULT = "kill-majority";

  private final LoadChaos lc = LoadChaos.start(
      RunSpec.of("QuorumWrite")
          .knob(Knobs.DATASET, "quorum")
          .table(TableSetup.table("q_rf1").shardedBy("host").partitions(1).rf(1))
          .table(TableSetup.table("q_rf2").shardedBy("host").partitions(1).rf(2))
          .table(TableSetup.table("q_rf3").shardedBy("host").partitions(1).rf(3))
          .slo(cfg -> Slo.availability("steady", cfg.get(Knobs.SLO_AVAILABILITY)))
          .slo(cfg -> Slo.recovery(cfg.get(Knobs.SLO_RECOVERY)))
          .check(run -> List.of(ClusterChecks.noAckWhileFaulted(run, FAULT, 1000))),
      faults().at(seconds(12)).kill(majority()).healAfter(seconds(8)).named(FAULT));

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
