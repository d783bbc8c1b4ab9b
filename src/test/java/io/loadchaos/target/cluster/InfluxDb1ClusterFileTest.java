package io.loadchaos.target.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.SimulationRunner;
import io.loadchaos.check.Verdict;
import io.loadchaos.datagen.BatchId;
import io.loadchaos.harness.CheckCommand;
import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A real line-protocol database this project did not write (Debian's InfluxDB 1.6.7), run through a
 * cluster file with {@code start:}: loadchaos starts it, SIGKILLs and restarts it mid-run, puts its
 * fault proxy in front of it, reads everything back in InfluxQL over v1 {@code /query}, and a
 * deliberately wrong expectation (a batch never sent, marked ok) fails {@code read-back lost}.
 */
public class InfluxDb1ClusterFileTest {

  @BeforeAll
  public static void influxdInstalled() throws Exception {
    Path script = SimulationRunner.projectDir().resolve("docs/examples/influxdb1/ensure-influxdb1.sh");
    Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0)
        .as("InfluxDB 1.x could not be installed by " + script + ": " + out).isTrue();
  }

  /** A one-node cluster file with its own config, data dirs and free ports under target/. */
  public static Path clusterFile(String name) throws Exception {
    Path dir = SimulationRunner.projectDir().resolve("target/it-influxdb1/" + name).toAbsolutePath();
    SimulationRunner.deleteTree(dir);
    Files.createDirectories(dir);
    int http = freePort();
    int rpc = freePort();
    Files.writeString(dir.resolve("n1.conf"), Files.readString(SimulationRunner.projectDir()
            .resolve("docs/examples/influxdb1/n1.conf"))
        .replace("/tmp/loadchaos-influxdb1", dir.resolve("data").toString())
        .replace("127.0.0.1:18086", "127.0.0.1:" + http)
        .replace("127.0.0.1:18088", "127.0.0.1:" + rpc));
    Files.writeString(dir.resolve("cluster.yaml"), Files.readString(SimulationRunner.projectDir()
        .resolve("docs/examples/influxdb1/cluster.yaml")).replace("127.0.0.1:18086", "127.0.0.1:" + http));
    return dir.resolve("cluster.yaml");
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static Verdict verdict(RunResult r, String name) {
    return r.verdicts().stream().filter(v -> v.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no verdict '" + name + "' in " + r.verdicts()));
  }

  private static Map<String, String> load(Path cluster) {
    // the default devops dataset (fieldTypes no-unsigned from the cluster file), 30 s at 5,000 points/s
    return Map.of("loadchaos.cluster", cluster.toString(), "loadchaos.duration", "30s", "loadchaos.pointsPerSecond", "5000");
  }

  @Test
  void killAndRestartLosesNothingAndAWrongExpectationFailsReadBack() throws Exception {
    var res = SimulationRunner.run("influxdb1-crash", "CrashRestartSimulation", load(clusterFile("crash")));
    assertThat(res.exitCode()).as(res.output()).isZero();
    assertThat(res.output()).contains("reads through: influxql v1 (/query)")
        .contains("database loadchaos: created with InfluxQL CREATE DATABASE on /query");
    RunResult r = ResultsJson.read(res.runDir());
    assertThat(verdict(r, "read-back lost").status()).isEqualTo(Verdict.Status.PASS);
    assertThat(verdict(r, "read-back lost").measured()).isEqualTo("0");
    assertThat(verdict(r, "read-back lost").detail()).doesNotContain("rows read 0");
    assertThat(verdict(r, "faults injected").status()).isEqualTo(Verdict.Status.PASS);
    assertThat(verdict(r, "heal").status()).isEqualTo(Verdict.Status.PASS);
    assertThat(r.faults()).singleElement().satisfies(f -> assertThat(f.nodes()).containsExactly("1"));
    assertThat(res.runDir().resolve("logs/node-1.log")).isNotEmptyFile();

    // a batch that was never sent, recorded as acknowledged: its points cannot be read back
    long neverSent = BatchId.of(0, 1_000_000);
    Files.writeString(res.runDir().resolve("history.csv"), "write," + neverSent + ",0,1000,1000,ok,204,500\n",
        StandardOpenOption.APPEND);
    int exit = new CommandLine(new CheckCommand()).execute("--run", res.runDir().toString());
    assertThat(exit).isEqualTo(1);
    RunResult recheck = ResultsJson.read(res.runDir().resolve("recheck"));
    Verdict lost = verdict(recheck, "read-back lost");
    assertThat(lost.status()).isEqualTo(Verdict.Status.FAIL);
    assertThat(Long.parseLong(lost.measured())).isPositive();
    assertThat(verdict(recheck, "read-back unexpected").status()).isEqualTo(Verdict.Status.PASS);
  }

  @Test
  void latencyThroughTheFaultProxyIsSeenAndLosesNothing() throws Exception {
    var res = SimulationRunner.run("influxdb1-latency", "ClientLatencySimulation", load(clusterFile("latency")));
    assertThat(res.exitCode()).as(res.output()).isZero();
    RunResult r = ResultsJson.read(res.runDir());
    assertThat(verdict(r, "latency observed").status()).isEqualTo(Verdict.Status.PASS);
    assertThat(verdict(r, "read-back lost").status()).isEqualTo(Verdict.Status.PASS);
    assertThat(verdict(r, "faults injected").status()).isEqualTo(Verdict.Status.PASS);
  }
}
