package io.loadchaos.target.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.SimulationRunner;
import io.loadchaos.check.Verdict;
import io.loadchaos.local.LocalCluster;
import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Peer links of a cluster loadchaos only knows from a cluster file: three reference nodes started
 * by {@code start:} commands that point each node at its peers through proxies listed under
 * {@code links:}. PartitionMinority then cuts one node off its peers through those proxies: the
 * cut-off node acknowledges nothing, replicas level after the heal, nothing is lost.
 */
class RefClusterFileTest {

  @Test
  void partitionThroughListedPeerLinks() throws Exception {
    Path dir = SimulationRunner.projectDir().resolve("target/it-refcluster-file").toAbsolutePath();
    SimulationRunner.deleteTree(dir);
    Files.createDirectories(dir);
    List<String> ids = List.of("1", "2", "3");
    Map<String, Integer> http = Map.of("1", freePort(), "2", freePort(), "3", freePort());
    StringBuilder yaml = new StringBuilder("nodes:\n");
    StringBuilder links = new StringBuilder("links:\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (String id : ids) {
      List<String> peers = new ArrayList<>();
      for (String other : ids) {
        if (other.equals(id)) {
          peers.add(id + "=127.0.0.1:" + http.get(id));
          continue;
        }
        int listen = freePort();
        peers.add(other + "=127.0.0.1:" + listen);
        links.append("  - {from: \"").append(id).append("\", to: \"").append(other).append("\", listen: \"127.0.0.1:")
            .append(listen).append("\", upstream: \"127.0.0.1:").append(http.get(other)).append("\"}\n");
      }
      List<String> cmd = new ArrayList<>(List.of(java));
      cmd.addAll(LocalCluster.DEFAULT_NODE_JVM_ARGS);
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.loadchaos.cli.Main", "node", "--id", id,
          "--http", "127.0.0.1:" + http.get(id), "--data-dir", dir.resolve("node-" + id).toString(),
          "--peers", String.join(",", peers), "--meta-node", "1", "--replication-factor", "3"));
      yaml.append("  - id: \"").append(id).append("\"\n    url: http://127.0.0.1:").append(http.get(id)).append("\n    start: [");
      for (int i = 0; i < cmd.size(); i++) yaml.append(i == 0 ? "" : ", ").append('"').append(cmd.get(i)).append('"');
      yaml.append("]\n");
    }
    Path file = dir.resolve("cluster.yaml");
    Files.writeString(file, yaml.append(links).toString());

    var res = SimulationRunner.run("refcluster-file-partition", "PartitionMinoritySimulation", Map.of(
        "loadchaos.cluster", file.toString(), "loadchaos.duration", "30s", "loadchaos.flight", "false"));
    assertThat(res.exitCode()).as(res.output()).isZero();
    assertThat(res.output()).contains("fault proxies yes").contains("1->2").contains("management api yes");
    RunResult r = ResultsJson.read(res.runDir());
    for (String v : List.of("no ack from the cut-off side", "replica consistency", "read-back lost", "faults injected")) {
      assertThat(r.verdicts()).filteredOn(x -> x.name().equals(v)).singleElement()
          .satisfies(x -> assertThat(x.status()).as(v + ": " + x).isEqualTo(Verdict.Status.PASS));
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
