package io.loadchaos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.SimulationRunner;
import io.loadchaos.check.Verdict;
import io.loadchaos.cli.Main;
import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The default simulation against deliberately broken reference clusters: the verdict that should
 * catch each defect fails, Maven exits non-zero, and the reports are still written.
 */
class BaselineVerdictsTest {

  private static Verdict verdict(RunResult r, String name) {
    return r.verdicts().stream().filter(v -> v.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no verdict '" + name + "' in " + r.verdicts()));
  }

  @Test
  void acknowledgedButUnwrittenBatchesAreCaughtAsLostAndRecheckAgrees() throws Exception {
    var res = SimulationRunner.run("ack-without-write", "BaselineWriteSimulation",
        Map.of("loadchaos.bug", "ack-without-write=0.05", "loadchaos.duration", "12s", "loadchaos.flight", "false"));
    assertThat(res.exitCode()).as(res.output()).isNotZero();
    assertThat(res.gatlingIndex()).as("Gatling HTML report").isPresent();
    assertThat(res.output()).contains("FAIL     read-back lost");
    RunResult r = ResultsJson.read(res.runDir());
    Verdict lost = verdict(r, "read-back lost");
    assertThat(lost.status()).isEqualTo(Verdict.Status.FAIL);
    assertThat(Long.parseLong(lost.measured())).isPositive();
    assertThat(lost.examples().get("lost")).isNotEmpty();
    assertThat(res.runDir().resolve("verdicts.xml")).content().contains("<failure");
    assertThat(res.runDir().resolve("history.csv")).exists();

    // re-check the saved run offline: the cluster restarts from its data, same verdicts
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    int exit;
    System.setOut(new PrintStream(out, true));
    try {
      exit = Main.commandLine().execute("check", "--run", res.runDir().toString());
    } finally {
      System.setOut(old);
    }
    assertThat(exit).as(out.toString()).isEqualTo(1);
    assertThat(out.toString()).contains("same verdicts as the run").contains("FAIL     read-back lost");
  }

  @Test
  void coordinatorOnlyStorageIsCaughtByTheReplicaVerdict() throws Exception {
    var res = SimulationRunner.run("no-replication", "BaselineWriteSimulation",
        Map.of("loadchaos.bug", "no-replication", "loadchaos.duration", "10s", "loadchaos.flight", "false"));
    assertThat(res.exitCode()).as(res.output()).isNotZero();
    assertThat(res.gatlingIndex()).isPresent();
    RunResult r = ResultsJson.read(res.runDir());
    assertThat(verdict(r, "replica consistency").status()).isEqualTo(Verdict.Status.FAIL);
    assertThat(verdict(r, "replica consistency").examples().get("divergent")).isNotEmpty();
  }
}
