package io.loadchaos.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.loadchaos.chaos.LinkProxies;
import io.loadchaos.check.Verdict;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brings the real Compose stack up (3 reference nodes behind the fault proxy), kills and restarts a
 * container, pauses one, cuts one off its network, and checks that nothing labelled with the run
 * is left afterwards. Needs a Docker daemon (CI starts one with docker/ensure-docker.sh); the images
 * are built by the target itself when missing or stale.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class ComposeTargetTest {
  static final Path PROJECT = Path.of(System.getProperty("loadchaos.projectDir", "."));
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path runDir;

  @BeforeAll
  static void dockerAndImages() throws Exception {
    assumeTrue(run(Duration.ofSeconds(30), "docker", "info").exit == 0,
        "no Docker daemon answers: run 'bash docker/ensure-docker.sh' to run the compose test");
    // no image prerequisite: ComposeTarget.start builds missing or stale images itself (ComposeImages)
  }

  @Test
  void upKillRestartPauseDisconnectAndNothingLeft() throws Exception {
    String runId = "it-compose-" + Long.toHexString(System.nanoTime());
    String project;
    ComposeTarget.Options options = ComposeTarget.Options.defaults(PROJECT.resolve("docker/compose.yaml"), runId, runDir);
    try (ComposeTarget target = ComposeTarget.start(options)) {
      project = target.project();
      assertThat(target.kind()).isEqualTo("compose");
      assertThat(target.nodeIds()).containsExactly("1", "2", "3");
      assertThat(labelled(project, "container")).hasSize(4);
      assertThat(target.has(ClusterTarget.Capability.MANAGEMENT_API)).isTrue();
      String url1 = target.node("1").clientUrl();
      String url2 = target.node("2").clientUrl();

      assertThat(write(url1, "m,host=a v=1i 1700000000000000000")).isEqualTo(204);

      // SIGKILL a container: with RF 3, writes through another node still reach a quorum.
      target.kill("2");
      assertThat(target.isRunning("2")).isFalse();
      assertThat(write(url1, "m,host=b v=2i 1700000000000000000")).isEqualTo(204);
      target.start("2", Duration.ofMinutes(3));
      assertThat(target.isRunning("2")).isTrue();
      assertThat(awaitCount(target, url2, 2, Duration.ofMinutes(1))).isEqualTo(2);

      target.pause("3");
      assertThat(target.isPaused("3")).isTrue();
      target.resume("3");
      assertThat(target.isPaused("3")).isFalse();

      // Off the network, node 3 cannot be reached through its client link; back on it (with its
      // service alias restored) it can.
      target.disconnect("3");
      assertThat(target.isConnected("3")).isFalse();
      // a connection the proxy opened to node 3 before the cut may take a moment to fail
      assertThat(awaitUnhealthy(target, target.node("3").clientUrl(), Duration.ofSeconds(20))).isTrue();
      target.reconnect("3");
      assertThat(target.isConnected("3")).isTrue();
      assertThat(awaitHealthy(target, target.node("3").clientUrl(), Duration.ofSeconds(60))).isTrue();

      // The run's links are real fault proxies: a disabled client link refuses traffic.
      LinkProxies links = target.links().orElseThrow();
      assertThat(links.links()).contains("client->1", "1->2", "3->1");
      links.disable("client->1");
      assertThat(target.http().healthy(url1)).isFalse();
      assertThat(links.problems()).containsExactly("client->1 disabled");
      links.healAll();
      assertThat(links.problems()).isEmpty();
      assertThat(target.http().healthy(url1)).isTrue();
    }
    for (String kind : List.of("container", "network", "volume")) {
      assertThat(labelled(project, kind)).as("%ss labelled with run %s after close", kind, project).isEmpty();
    }
    assertThat(runDir.resolve("containers/node2.log")).content().contains("listening on");
    Verdict logs = ComposeTarget.logVerdict(runDir);
    assertThat(logs.name()).isEqualTo("node logs");
    assertThat(logs.status()).as(logs.toString()).isEqualTo(Verdict.Status.PASS);
  }

  private static int write(String url, String lp) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/api/v3/write_lp?db=compose_it"))
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(lp)).build();
    return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Rows in table m read through one node; retried while a restarted node catches up. */
  private static long awaitCount(ClusterTarget target, String url, long want, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    AtomicLong n = new AtomicLong(-1);
    while (true) {
      try {
        target.http().querySql(url, "compose_it", "SELECT count(*) AS n FROM m", Map.of(),
            row -> n.set(row.get("n").asLong()));
      } catch (IOException e) {
        n.set(-1);
      }
      if (n.get() == want || System.nanoTime() > deadline) return n.get();
      Thread.sleep(500);
    }
  }

  private static boolean awaitUnhealthy(ClusterTarget target, String url, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!target.http().healthy(url)) return true;
      Thread.sleep(250);
    }
    return false;
  }

  private static boolean awaitHealthy(ClusterTarget target, String url, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (target.http().healthy(url)) return true;
      Thread.sleep(250);
    }
    return false;
  }

  /** Ids of Docker resources with the run label, read with the docker CLI (independent of docker-java). */
  private static List<String> labelled(String project, String kind) throws Exception {
    String filter = "label=" + ComposeTarget.RUN_LABEL + "=" + project;
    Result r = switch (kind) {
      case "container" -> run(Duration.ofSeconds(30), "docker", "ps", "-aq", "--filter", filter);
      case "network" -> run(Duration.ofSeconds(30), "docker", "network", "ls", "-q", "--filter", filter);
      default -> run(Duration.ofSeconds(30), "docker", "volume", "ls", "-q", "--filter", filter);
    };
    assertThat(r.exit).as(r.output).isZero();
    return new ArrayList<>(r.output.lines().filter(l -> !l.isBlank()).toList());
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
