package io.loadchaos.target.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.SimulationRunner;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster-file run interrupted while its started database is paused (SIGSTOP) leaves nothing
 * behind: Ctrl-C heals and stops it through the shutdown hook; SIGKILL of the Gatling JVM is
 * cleaned up by the supervisor's watchdog (CONT, then KILL) within 10 s.
 */
class ClusterFileInterruptTest {

  @BeforeAll
  static void influxd() throws Exception {
    InfluxDb1ClusterFileTest.influxdInstalled();
  }

  @Test
  void sigintWhilePausedStopsTheDatabase() throws Exception {
    Path dir = interrupt("sigint", "INT");
    // stopped, not run to its end (which a SIGINT that the JVM ignored would let it do)
    assertThat(SimulationRunner.projectDir().resolve("target/it-cluster-interrupt-sigint.log")).content()
        .doesNotContain("NO VERDICT FAILED").doesNotContain("VERDICTS FAILED");
    assertThat(awaitNone(dir, 15)).as("influxd of the run after SIGINT").isEmpty();
  }

  @Test
  void sigkillOfTheGatlingJvmWhilePausedIsCleanedByTheWatchdog() throws Exception {
    Path dir = interrupt("sigkill", "KILL");
    assertThat(awaitNone(dir, 10)).as("influxd of the run 10 s after SIGKILL").isEmpty();
  }

  /** Starts a long run with node 1 paused at 3 s, interrupts the Gatling JVM; returns the database's folder. */
  private static Path interrupt(String name, String signal) throws Exception {
    Path cluster = InfluxDb1ClusterFileTest.clusterFile("interrupt-" + name);
    Path dir = cluster.getParent();
    Path faults = dir.resolve("faults.yaml");
    Files.writeString(faults, "faults:\n  - {at: 3s, action: pause, target: \"node:1\"}\n");
    Path project = SimulationRunner.projectDir();
    Process mvn = new ProcessBuilder(SimulationRunner.withDefaultSigint(List.of("mvn", "-B", "gatling:test",
        "-Dgatling.simulationClass=io.loadchaos.simulations.BaselineWriteSimulation",
        "-Dgatling.resultsFolder=" + project.resolve("target/it-gatling/cluster-interrupt-" + name),
        "-Dloadchaos.runDir=" + dir.resolve("runs"), "-Dloadchaos.cluster=" + cluster, "-Dloadchaos.faults=" + faults,
        "-Dloadchaos.duration=90s")))
        .directory(project.toFile()).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    CountDownLatch paused = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(mvn.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (out) {
            out.append(line).append('\n');
          }
          if (line.contains("[chaos]") && line.contains("pause node:1") && line.contains("ok")) paused.countDown();
        }
      } catch (Exception e) {
        // the stream closes when mvn exits
      }
    });
    reader.start();
    try {
      assertThat(paused.await(6, TimeUnit.MINUTES)).as("influxd paused mid-run\n" + out).isTrue();
      assertThat(influxdIn(dir)).as("influxd running before the interrupt").isNotEmpty();
      ProcessHandle gatling = mvn.toHandle().descendants()
          .filter(h -> h.info().command().orElse("").endsWith("java"))
          .filter(h -> !h.info().commandLine().orElse("").contains("classworlds"))
          .findFirst().orElseThrow(() -> new AssertionError("no Gatling JVM under mvn"));
      new ProcessBuilder("kill", "-" + signal, Long.toString(gatling.pid())).start().waitFor();
      assertThat(mvn.waitFor(3, TimeUnit.MINUTES)).as("mvn exits after the interrupt").isTrue();
      reader.join(10_000);
      synchronized (out) {
        Files.writeString(project.resolve("target/it-cluster-interrupt-" + name + ".log"), out);
      }
      return dir;
    } finally {
      mvn.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      mvn.destroyForcibly();
    }
  }

  /** influxd processes whose working directory is the test's folder (their cluster file's). */
  private static List<Long> influxdIn(Path dir) {
    return ProcessHandle.allProcesses()
        .filter(h -> h.info().command().orElse("").endsWith("influxd"))
        .filter(h -> {
          try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(h.pid()), "cwd")).equals(dir);
          } catch (Exception e) {
            return false;
          }
        }).map(ProcessHandle::pid).toList();
  }

  private static List<Long> awaitNone(Path dir, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    List<Long> left = influxdIn(dir);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(250);
      left = influxdIn(dir);
    }
    return left;
  }
}
