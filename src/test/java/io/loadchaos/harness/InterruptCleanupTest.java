package io.loadchaos.harness;

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
import org.junit.jupiter.api.Test;

/**
 * A run interrupted mid-fault leaves nothing behind: Ctrl-C (SIGINT) heals and stops the cluster
 * through the shutdown hook; SIGKILL of the Gatling JVM leaves nodes (even a paused one) that exit
 * on their own within 10 s.
 */
class InterruptCleanupTest {

  @Test
  void sigintMidFaultHealsAndStopsEverything() throws Exception {
    Interrupted r = interrupt("sigint", "INT");
    assertThat(r.output).contains("[chaos]").contains("heal pause-node:2");
    // stopped, not run to its end (which a SIGINT that the JVM ignored would let it do)
    assertThat(r.output).doesNotContain("NO VERDICT FAILED").doesNotContain("VERDICTS FAILED");
    assertThat(awaitNoProcesses(r.runsDir, 15)).as("processes of the run after SIGINT").isEmpty();
  }

  @Test
  void sigkillOfTheGatlingJvmLeavesNoChildrenAfterTenSeconds() throws Exception {
    Interrupted r = interrupt("sigkill", "KILL");
    assertThat(awaitNoProcesses(r.runsDir, 10)).as("processes of the run 10 s after SIGKILL").isEmpty();
  }

  private record Interrupted(String output, Path runsDir) {}

  private static Interrupted interrupt(String name, String signal) throws Exception {
    Path project = SimulationRunner.projectDir();
    Path runs = project.resolve("target/it-runs/interrupt-" + name);
    SimulationRunner.deleteTree(runs);
    Path faults = project.resolve("target/it-faults-" + name + ".yaml");
    Files.writeString(faults, "faults:\n  - {at: 2s, action: pause, target: \"node:2\"}\n");
    Process mvn = new ProcessBuilder(SimulationRunner.withDefaultSigint(List.of("mvn", "-B", "gatling:test",
        "-Dgatling.simulationClass=io.loadchaos.simulations.BaselineWriteSimulation",
        "-Dgatling.resultsFolder=" + project.resolve("target/it-gatling/interrupt-" + name),
        "-Dloadchaos.runDir=" + runs, "-Dloadchaos.faults=" + faults, "-Dloadchaos.duration=90s",
        "-Dloadchaos.flight=false")))
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
          if (line.contains("[chaos]") && line.contains("pause node:2") && line.contains("ok")) paused.countDown();
        }
      } catch (Exception e) {
        // the stream closes when mvn exits
      }
    });
    reader.start();
    try {
      assertThat(paused.await(6, TimeUnit.MINUTES)).as("node 2 paused mid-run\n" + out).isTrue();
      // the Gatling fork: the JVM under Maven's own JVM that is not a cluster node
      ProcessHandle gatling = mvn.toHandle().descendants()
          .filter(h -> h.info().command().orElse("").endsWith("java"))
          .filter(h -> !h.info().commandLine().orElse("").contains("classworlds"))
          .filter(h -> !h.info().commandLine().orElse("").contains("--data-dir"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no Gatling JVM under mvn: " + mvn.toHandle().descendants()
              .map(h -> h.pid() + " " + h.info().commandLine().orElse("?")).toList()));
      assertThat(processesOf(runs)).as("cluster running before the interrupt").isNotEmpty();
      new ProcessBuilder("kill", "-" + signal, Long.toString(gatling.pid())).start().waitFor();
      assertThat(mvn.waitFor(3, TimeUnit.MINUTES)).as("mvn exits after the interrupt").isTrue();
      reader.join(10_000);
      synchronized (out) {
        Files.writeString(project.resolve("target/it-interrupt-" + name + ".log"), out);
      }
      synchronized (out) {
        return new Interrupted(out.toString(), runs);
      }
    } finally {
      mvn.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      mvn.destroyForcibly();
    }
  }

  /** Processes whose command line names the run folder (nodes are started with --data-dir inside it). */
  private static List<String> processesOf(Path runs) {
    String needle = runs.toAbsolutePath().toString();
    return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").contains("--data-dir " + needle))
        .map(h -> h.pid() + " " + h.info().commandLine().orElse("")).toList();
  }

  private static List<String> awaitNoProcesses(Path runs, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    List<String> left = processesOf(runs);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(250);
      left = processesOf(runs);
    }
    return left;
  }
}
