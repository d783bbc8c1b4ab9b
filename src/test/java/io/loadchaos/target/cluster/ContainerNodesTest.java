package io.loadchaos.target.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.loadchaos.SimulationRunner;
import io.loadchaos.check.Verdict;
import io.loadchaos.target.compose.ComposeImages;
import io.loadchaos.target.compose.ContainerLogScan;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives one real container, created here from the locally built reference-node image, through
 * {@link ContainerNodes}: kill, stop, start, pause, resume, disconnect and reconnect, log
 * collection, restore on close; and the errors for a missing container or daemon. The container
 * carries a unique label and is removed with its network and volume afterwards, checked with the
 * docker CLI. Needs a Docker daemon (docker/ensure-docker.sh); the image is built when missing or stale.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ContainerNodesTest {
  static final Path PROJECT = Path.of(System.getProperty("loadchaos.projectDir", "."));
  static final String TEST_LABEL = "io.loadchaos.test";
  static final String RUN = UUID.randomUUID().toString();
  /** The node's alias on the test's own network, which reconnect must restore. */
  static final String ALIAS = "influx-it";
  static final Duration START_WITHIN = Duration.ofMinutes(3);

  static String container;
  static String network;
  static String volume = "";
  static String healthUrl;

  @TempDir Path logDir;

  @BeforeAll
  static void containerFromTheNodeImage() throws Exception {
    requireOrSkip(run(Duration.ofSeconds(30), "docker", "info").exit == 0,
        "no Docker daemon answers: run 'bash docker/ensure-docker.sh' to run the container test");
    // the node image, built from these classes when missing or stale (as the compose target does)
    ComposeImages.ensureOwn(PROJECT.resolve("docker"), PROJECT.resolve("target/loadchaos-it"), System.out::println);

    int port = freePort();
    healthUrl = "http://127.0.0.1:" + port + "/ping";
    String name = "loadchaos-it-" + RUN.substring(0, 8);
    container = name; // before creating, so @AfterAll removes it whatever happens next
    // a fixed host port, as a cluster file's URL has: an ephemeral one could change on restart
    docker("run", "-d", "--name", name, "--label", TEST_LABEL + "=" + RUN, "-p", "127.0.0.1:" + port + ":8181",
        "loadchaos-node:local", "node", "--id", "1", "--http", "0.0.0.0:8181", "--data-dir", "/data");
    volume = docker("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", name).strip();
    // a second, user-defined network with an alias: the compose-like case reconnect must restore
    network = name;
    docker("network", "create", "--label", TEST_LABEL + "=" + RUN, network);
    docker("network", "connect", "--alias", ALIAS, network, name);
  }

  @AfterAll
  static void nothingLeft() throws Exception {
    if (container == null) return;
    run(Duration.ofSeconds(60), "docker", "rm", "-f", "-v", container);
    if (network != null) run(Duration.ofSeconds(30), "docker", "network", "rm", network);
    String filter = "label=" + TEST_LABEL + "=" + RUN;
    assertThat(lines(docker("ps", "-aq", "--filter", filter))).as("containers labelled %s", RUN).isEmpty();
    assertThat(lines(docker("network", "ls", "-q", "--filter", filter))).as("networks labelled %s", RUN).isEmpty();
    if (!volume.isEmpty()) {
      assertThat(lines(docker("volume", "ls", "-q", "--filter", "name=" + volume))).as("volume %s", volume).isEmpty();
    }
  }

  @Test
  void killStartPauseResumeDisconnectAndRestore() throws Exception {
    try (ContainerNodes nodes = new ContainerNodes(Map.of("1", container), Map.of("1", healthUrl))) {
      assertThat(nodes.nodeIds()).containsExactly("1");
      assertThat(nodes.canDisconnect()).isTrue();
      nodes.start("1", START_WITHIN); // running already: waits until the JVM answers
      assertThat(nodes.healthy("1")).isTrue();

      nodes.kill("1");
      assertThat(nodes.isRunning("1")).isFalse();
      assertThat(status()).isEqualTo("exited");
      assertThat(nodes.healthy("1")).isFalse();
      nodes.start("1", START_WITHIN);
      assertThat(nodes.isRunning("1")).isTrue();
      assertThat(nodes.healthy("1")).isTrue();

      nodes.pause("1");
      assertThat(nodes.isPaused("1")).isTrue();
      assertThat(status()).isEqualTo("paused");
      assertThat(nodes.healthy("1")).as("a frozen node does not answer within 2 s").isFalse();
      nodes.resume("1");
      assertThat(nodes.isPaused("1")).isFalse();
      assertThat(nodes.healthy("1")).isTrue();

      // off both networks, its published port goes away too; back on, with its alias
      nodes.disconnect("1");
      assertThat(nodes.isConnected("1")).isFalse();
      assertThat(docker("inspect", "-f", "{{len .NetworkSettings.Networks}}", container).strip()).isEqualTo("0");
      assertThat(nodes.healthy("1")).isFalse();
      nodes.reconnect("1");
      assertThat(nodes.isConnected("1")).isTrue();
      assertThat(docker("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", container))
          .contains("bridge", network);
      assertThat(docker("inspect", "-f", "{{json (index .NetworkSettings.Networks \"" + network + "\").Aliases}}", container))
          .contains(ALIAS);
      assertThat(awaitHealthy(nodes, Duration.ofSeconds(30))).as("healthy after reconnect").isTrue();

      // docker stop (SIGTERM) and start again, with its data
      nodes.terminate("1");
      assertThat(nodes.isRunning("1")).isFalse();
      nodes.start("1", START_WITHIN);
      assertThat(nodes.healthy("1")).isTrue();

      Path logs = nodes.collectLogs(logDir).orElseThrow();
      assertThat(logs.resolve("node-1.log")).content().contains("listening on");
      Verdict v = ContainerLogScan.scan(logs);
      assertThat(v.status()).as(v.toString()).isEqualTo(Verdict.Status.PASS);

      // left paused and disconnected: close() must put it back running, unpaused, on its networks
      nodes.pause("1");
      nodes.disconnect("1");
    }
    assertThat(status()).isEqualTo("running");
    assertThat(docker("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", container))
        .contains("bridge", network);
  }

  /** The container named in a cluster file: CrashRestart SIGKILLs it through docker-java and starts it again. */
  @Test
  void aClusterFileContainerSurvivesCrashRestart() throws Exception {
    try (ContainerNodes nodes = new ContainerNodes(Map.of("1", container), Map.of("1", healthUrl))) {
      nodes.start("1", START_WITHIN); // whatever another test left, running and healthy now
    }
    String url = healthUrl.replace("/ping", "");
    Path file = PROJECT.resolve("target/it-container-cluster.yaml").toAbsolutePath();
    Files.writeString(file, "nodes:\n  - {id: \"1\", url: \"" + url + "\", container: \"" + container + "\"}\n");
    var res = SimulationRunner.run("container-crash", "CrashRestartSimulation", Map.of(
        "loadchaos.cluster", file.toString(), "loadchaos.duration", "30s", "loadchaos.pointsPerSecond", "5000"));
    assertThat(res.exitCode()).as(res.output()).isZero();
    assertThat(res.output()).contains("node control yes [1]").contains("kill random (crash) ... ok");
    assertThat(status()).isEqualTo("running");
  }

  @Test
  void aContainerThatDoesNotExistIsAClearError() {
    String missing = "loadchaos-missing-" + RUN.substring(0, 8);
    assertThatThrownBy(() -> new ContainerNodes(Map.of("2", missing), Map.of("2", "http://127.0.0.1:1/ping")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching("node \"2\": container \"" + missing + "\" does not exist on the Docker daemon at \\S+");
  }

  @Test
  void twoNodesOnOneContainerAreRefused() {
    assertThatThrownBy(() -> new ContainerNodes(Map.of("1", container, "2", container),
        Map.of("1", healthUrl, "2", healthUrl)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("each node needs its own container");
  }

  @Test
  void anUnreachableDaemonIsOneClearLine() throws IOException {
    String host = "tcp://127.0.0.1:" + freePort();
    assertThatThrownBy(() -> new ContainerNodes(Map.of("1", "influx-1"), Map.of("1", "http://127.0.0.1:1/ping"), null, host))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("no Docker daemon answers at " + host)
        .hasMessageContaining("influx-1")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aHealthUrlMustBeAFullUrl() {
    assertThatThrownBy(() -> new ContainerNodes(Map.of("1", container), Map.of("1", "127.0.0.1:8181")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("node \"1\": health URL \"127.0.0.1:8181\"");
  }

  private static boolean awaitHealthy(ContainerNodes nodes, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (nodes.healthy("1")) return true;
      Thread.sleep(250);
    }
    return false;
  }

  /** The container's state as the docker CLI sees it (independent of docker-java). */
  private static String status() throws Exception {
    return docker("inspect", "-f", "{{.State.Status}}", container).strip();
  }

  /** Under CI a missing prerequisite is a failure (CI starts Docker); elsewhere the test is skipped with the reason. */
  private static void requireOrSkip(boolean ok, String why) {
    if ("true".equals(System.getenv("CI"))) assertTrue(ok, why);
    else assumeTrue(ok, why);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static List<String> lines(String s) {
    return new ArrayList<>(s.lines().filter(l -> !l.isBlank()).toList());
  }

  private static String docker(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    Result r = run(Duration.ofSeconds(120), cmd.toArray(String[]::new));
    assertThat(r.exit).as(String.join(" ", cmd) + ": " + r.output).isZero();
    return r.output;
  }

  record Result(int exit, String output) {}

  static Result run(Duration timeout, String... cmd) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(PROJECT.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(127, e.getMessage());
    }
    StringBuilder out = new StringBuilder();
    Thread reader = new Thread(() -> {
      try {
        out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // the process went away
      }
    });
    reader.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
      reader.join(5000);
      return new Result(124, "timed out after " + timeout + ": " + String.join(" ", cmd) + "\n" + out);
    }
    reader.join(5000);
    return new Result(p.exitValue(), out.toString());
  }
}
