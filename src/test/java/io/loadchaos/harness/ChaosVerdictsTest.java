package io.loadchaos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.SimulationRunner;
import io.loadchaos.check.Verdict;
import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chaos simulations against the reference cluster's matching deliberate defect fail on the right verdict. */
class ChaosVerdictsTest {

  static Verdict.Status status(RunResult r, String name) {
    return r.verdicts().stream().filter(v -> v.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no verdict '" + name + "' in " + r.verdicts())).status();
  }

  @Test
  void nodeRecoveryCatchUpFailsWhenHintsAreDropped() throws Exception {
    var res = SimulationRunner.run("drop-hints", "NodeRecoveryCatchUpSimulation", Map.of(
        "loadchaos.bug", "drop-hints", "loadchaos.duration", "30s", "loadchaos.settleTimeout", "10s",
        // dropped hints never arrive: waiting the default 90 s for the catch-up only adds time
        "loadchaos.flight", "false", "loadchaos.slo.catchUp", "20s"));
    assertThat(res.exitCode()).as(res.output()).isNotZero();
    assertThat(res.gatlingIndex()).isPresent();
    RunResult r = ResultsJson.read(res.runDir());
    assertThat(status(r, "replica consistency")).isEqualTo(Verdict.Status.FAIL);
    // the marker written while node 3 was down never reaches its copy, though the hint gauge says 0
    assertThat(status(r, "slo catch-up after kill-node:3")).isEqualTo(Verdict.Status.FAIL);
    assertThat(status(r, "faults injected")).isEqualTo(Verdict.Status.PASS);
    assertThat(status(r, "heal")).isEqualTo(Verdict.Status.PASS);
    // the fault event names the node it hit, for checks and reports that need it
    assertThat(r.faults()).singleElement().satisfies(f -> assertThat(f.nodes()).containsExactly("3"));
  }

  @Test
  void readWriteDuringRebalanceLosesWritesWhenCatchUpIsSkipped() throws Exception {
    var res = SimulationRunner.run("move-skip-catchup", "ReadWriteDuringRebalanceSimulation", Map.of(
        "loadchaos.bug", "move-skip-catchup", "loadchaos.duration", "30s", "loadchaos.flight", "false",
        // RF=1: the moved copy is the only one, as in MoveBugsTest
        "loadchaos.replicationFactor", "1"));
    assertThat(res.exitCode()).as(res.output()).isNotZero();
    RunResult r = ResultsJson.read(res.runDir());
    // with RF=3 the new owner misses the writes of MigratingWAL: its copy diverges from the other
    // owners (replica verdict), and where it is the copy read, acknowledged points are missing
    assertThat(List.of(status(r, "read-back lost"), status(r, "replica consistency"))).contains(Verdict.Status.FAIL);
    assertThat(status(r, "faults injected")).isEqualTo(Verdict.Status.PASS);
  }
}
