package io.loadchaos.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.influxdb.v3.client.InfluxDBClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher: signals, restart, token, and no child outliving its parent. */
class LocalClusterTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path dir;

  private static int status(String url, String method, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (HttpTimeoutException e) {
      return -1;
    }
  }

  @Test
  void tokenSignalsAndRestart() throws Exception {
    String token = "s3cret-token";
    try (LocalCluster c = LocalCluster.builder().nodes(1).replicationFactor(1).dataDir(dir).authToken(token).start()) {
      LocalNode n = c.node("1");
      // the node unlinked its copy of DuckDB's native library (killed nodes used to leave 58 MB each in /tmp)
      assertThat(Files.readAllLines(Path.of("/proc/" + n.pid() + "/maps")).stream().filter(l -> l.contains("libduckdb_java")))
          .isNotEmpty().allSatisfy(l -> assertThat(l).endsWith("(deleted)"));
      String url = n.clientUrl();
      assertThat(status(url + "/health", "GET", null, null)).isEqualTo(200);
      assertThat(status(url + "/api/v3/write_lp?db=a", "POST", "m v=1", null)).isEqualTo(401);
      assertThat(status(url + "/api/v3/write_lp?db=a", "POST", "m v=1", "wrong")).isEqualTo(401);
      assertThat(status(url + "/metrics", "GET", null, null)).isEqualTo(401);
      try (InfluxDBClient client = InfluxDBClient.getInstance(url, token.toCharArray(), "a")) {
        client.writeRecord("m,host=x v=2");
        try (Stream<Object[]> rows = client.query("SELECT count(*) FROM m")) {
          assertThat(((Number) rows.toList().get(0)[0]).longValue()).isEqualTo(1);
        }
      }
      try (InfluxDBClient anonymous = InfluxDBClient.getInstance(url, null, "a")) {
        assertThatThrownBy(() -> {
          try (Stream<Object[]> rows = anonymous.query("SELECT count(*) FROM m")) {
            rows.toList();
          }
        }).hasMessageContaining("missing or invalid token");
      }

      long pid = n.pid();
      n.pause();
      assertThat(n.isRunning()).isTrue();
      assertThat(status(url + "/health", "GET", null, null)).as("a paused node answers nothing").isEqualTo(-1);
      n.resume();
      n.awaitHealthy(Duration.ofSeconds(30));

      n.kill();
      assertThat(n.isRunning()).isFalse();
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      n.start();
      assertThat(n.pid()).isNotEqualTo(pid);
      assertThat(n.httpAddress().getPort()).as("same port after restart").isEqualTo(URI.create(url).getPort());
      assertThat(n.logFile()).exists();

      n.pause();
      long pausedPid = n.pid();
      c.close();
      assertThat(ProcessHandle.of(pausedPid).map(ProcessHandle::isAlive).orElse(false)).as("close() stops paused nodes").isFalse();
      c.close(); // idempotent
    }
  }

  @Test
  void clusterUpPrintsOneLinePerNodeAndItsNodesDieWithIt() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process launcher = new ProcessBuilder(java, "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        "io.loadchaos.cli.Main", "cluster", "up", "--nodes", "2", "--replication-factor", "2", "--dir", dir.toString())
        .redirectError(dir.resolve("launcher.err").toFile()).start();
    List<Long> pids = new ArrayList<>();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
      ObjectMapper json = new ObjectMapper();
      for (int i = 0; i < 2; i++) {
        String line = out.readLine();
        assertThat(line).as("JSON line for node %d", i + 1).isNotNull();
        JsonNode node = json.readTree(line);
        assertThat(node.get("id").asText()).isEqualTo(Integer.toString(i + 1));
        assertThat(node.get("http").asText()).startsWith("http://127.0.0.1:");
        assertThat(status(node.get("http").asText() + "/health", "GET", null, null)).isEqualTo(200);
        pids.add(node.get("pid").asLong());
      }
      launcher.destroyForcibly(); // SIGKILL: no shutdown hook runs, the nodes must notice on their own
      launcher.waitFor(10, TimeUnit.SECONDS);
      for (long pid : pids) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isPresent()) {
          h.get().onExit().get(30, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("node pid %d outlived its launcher", pid).isFalse();
      }
    } finally {
      launcher.destroyForcibly();
      for (long pid : pids) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  void aForeignListenerOnTheNodesPortIsNeverTakenForTheNode() throws Exception {
    // a server that looks healthy holds the port first: the node cannot bind it and must not be reported started
    HttpServer foreign = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    foreign.createContext("/", ex -> {
      byte[] body = (ex.getRequestURI().getPath().equals("/ping") ? "{\"node_id\":\"1\",\"pid\":1}" : "OK").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    foreign.start();
    try {
      int port = foreign.getAddress().getPort();
      assertThatThrownBy(() -> LocalCluster.builder().nodes(1).replicationFactor(1).dataDir(dir).basePort(port).start())
          .hasMessageContaining("exited").hasMessageContaining("Address already in use");
    } finally {
      foreign.stop(0);
    }
  }
}
