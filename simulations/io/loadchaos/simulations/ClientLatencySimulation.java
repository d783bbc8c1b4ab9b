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
 * Any cluster: 150 ms of latency on every answer of node 1 (the fault proxy in front of its
 * client URL, and its peer links where the cluster file lists them) for 10 s. Writes stay
 * available, nothing is lost, and the harness must see the added latency itself (proof the proxy
 * was on the path).
 */
public class ClientLatencySimulation extends Simulation {
  static final String FAULT = "slow-node-1";

  private final LoadChaos lc = LoadChaos.start(
      RunSpec.of("ClientLatency").standardSlos()
          .check(run -> List.of(ClusterChecks.latencyObserved(run, FAULT, 100))),
      faults().at(seconds(10)).latency(link(node("1"), proxied()), millis(150)).healAfter(seconds(10)).named(FAULT));

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
