package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultSpec;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.ClusterChecks;
import io.loadchaos.harness.RunSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Any cluster: 150 ms of latency on every answer of node 1 (the fault proxy in front of its
 * client URL, and its peer links where the cluster file lists them) for 10 s. Writes stay
 * available, nothing is lost, and the harness must see the added latency itself (proof the proxy
 * was on the path).
 */
public class ClientLatencySimulation extends LoadChaosSimulation {
  static final String FAULT = "slow-node-1";

  public ClientLatencySimulation() {
    super(RunSpec.of("ClientLatency").standardSlos()
            .check(run -> List.of(ClusterChecks.latencyObserved(run, FAULT, 100))),
        FaultTimeline.builder().at(10).fault(FAULT, FaultSpec.Action.LATENCY, "node:1", Duration.ofSeconds(10),
            Map.of("latency", "150ms", "from", "proxied")).build());
    setUpStandard();
  }
}
