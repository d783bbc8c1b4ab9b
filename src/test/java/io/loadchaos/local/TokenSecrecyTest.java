package io.loadchaos.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.cli.Main;
import io.loadchaos.refcluster.NodeCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nodes' bearer token: never on a command line, still enforced, read from a 0600 file or the environment. */
class TokenSecrecyTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path dir;

  private static int write(String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/api/v3/write_lp?db=secret")).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString("m,host=a v=1 1700000000000000000"));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Every command line on the machine, read both ways the JDK and ps see them. */
  private static List<String> allCommandLines() throws IOException {
    List<String> lines = new ArrayList<>();
    ProcessHandle.allProcesses().forEach(p -> {
      p.info().commandLine().ifPresent(lines::add);
      p.info().arguments().ifPresent(a -> lines.add(String.join(" ", a)));
    });
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          lines.add(new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' '));
        } catch (IOException e) {
          // the process ended meanwhile
        }
      }
    }
    return lines;
  }

  @Test
  void noCommandLineCarriesTheTokenAndTheTokenIsStillRequired() throws Exception {
    String token = "tok-" + UUID.randomUUID();
    Path tokenFile = dir.resolve("auth-token");
    try (LocalCluster c = LocalCluster.builder().nodes(2).replicationFactor(2).dataDir(dir).authToken(token).start()) {
      List<Long> pids = c.nodes().stream().map(LocalNode::pid).toList();
      List<String> cmdlines = allCommandLines();
      assertThat(cmdlines).as("command lines were read").isNotEmpty();
      assertThat(cmdlines.stream().filter(l -> l.contains("--data-dir " + dir)).count()).as("the nodes are among them").isGreaterThanOrEqualTo(2);
      assertThat(cmdlines).noneMatch(l -> l.contains(token));
      for (long pid : pids) {
        assertThat(new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8))
            .contains("--auth-token-file").doesNotContain(token);
      }
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");

      String url = c.node("1").clientUrl();
      assertThat(write(url, null)).as("no token").isEqualTo(401);
      assertThat(write(url, "wrong")).as("wrong token").isEqualTo(401);
      // 204 needs the replica on node 2 too: node-to-node calls carry the token from the file as well
      assertThat(write(url, token)).as("the token").isEqualTo(204);
      assertThat(Files.readString(c.node("1").logFile())).doesNotContain(token);
    }
    assertThat(tokenFile).as("deleted at close").doesNotExist();
  }

  @Test
  void theNodeRefusesATokenOnItsCommandLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int exit;
    System.setErr(new PrintStream(err, true));
    try {
      exit = Main.commandLine().execute("node", "--id", "1", "--http", "127.0.0.1:0", "--data-dir", dir.toString(),
          "--auth-token", "visible-in-ps");
    } finally {
      System.setErr(old);
    }
    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("--auth-token is not accepted").contains("--auth-token-file").contains("LOADCHAOS_NODE_TOKEN");
  }

  @Test
  void theTokenComesFromOneFileOrTheEnvironment() throws Exception {
    Path f = Files.writeString(dir.resolve("t"), "abc\n");
    assertThat(NodeCommand.token(f, null)).isEqualTo("abc");
    assertThat(NodeCommand.token(null, "from-env")).isEqualTo("from-env");
    assertThat(NodeCommand.token(null, "")).isNull();
    assertThat(NodeCommand.token(null, null)).isNull();
    assertThatThrownBy(() -> NodeCommand.token(f, "from-env")).hasMessageContaining("given twice");
    assertThatThrownBy(() -> NodeCommand.token(dir.resolve("none"), null)).hasMessageStartingWith("--auth-token-file: no file at");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> NodeCommand.token(empty, null)).hasMessageEndingWith("is empty");
    Path two = Files.writeString(dir.resolve("two"), "a\nb\n");
    assertThatThrownBy(() -> NodeCommand.token(two, null)).hasMessageContaining("more than one line");
  }
}
