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
 * Network partition: one node is cut off from its peers (clients still reach it) for 12 s. Writes
 * it coordinates cannot reach quorum, so it must not acknowledge any (they are retried elsewhere);
 * after the heal hinted handoff levels the replicas.
 */
public class PartitionMinoritySimulation extends Simulation {
  static final String FAULT = "partition-minority";

  private final LoadChaos lc = LoadChaos.start(
      RunSpec.of("PartitionMinority").standardSlos()
          .check(run -> List.of(ClusterChecks.isolatedNodesAckNothing(run, FAULT, 1000))),
      faults().at(seconds(10)).partition(minority()).healAfter(seconds(12)).named(FAULT));

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
