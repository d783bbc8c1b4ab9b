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
 * Network latency on one owner: 400 ms +/- 50 ms on the replication links into node 3 for 15 s.
 * Quorum writes complete on the two fast owners, so the median write latency barely moves (at
 * most +150 ms) and the slow replica catches up; a coordinator that waited for every owner
 * ({@code --bug wait-all-owners}) would add the full delay to every write.
 */
public class SlowReplicaSimulation extends Simulation {
  static final String FAULT = "slow-node-3";

  private final LoadChaos lc = LoadChaos.start(
      RunSpec.of("SlowReplica").standardSlos()
          .check(run -> List.of(ClusterChecks.slowOwnerOffWritePath(run, FAULT, 150))),
      faults().at(seconds(10)).latency(link(node("3"), peers()), millis(400)).jitter(millis(50))
          .healAfter(seconds(15)).named(FAULT));

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
