package io.loadchaos.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadchaos.refcluster.NodeCommand;
import io.loadchaos.refcluster.management.RebalanceCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadchaos cluster up ...}: a local reference cluster in the foreground. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Local reference cluster.",
    subcommands = {ClusterCommand.Up.class, RebalanceCommand.class})
public final class ClusterCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Starts the nodes, prints one JSON line per node, runs until SIGTERM/SIGINT, then stops them. */
  @Command(name = "up", mixinStandardHelpOptions = true, description = "Start N nodes on 127.0.0.1 and keep them running until SIGTERM/SIGINT.")
  public static final class Up implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3", description = "number of nodes")
    int nodes;

    @Option(names = "--replication-factor", defaultValue = "3", description = "owners per shard")
    int rf;

    @Option(names = "--dir", required = true, description = "data directory (node-<id> subdirectories)")
    Path dir;

    @Option(names = "--base-port", defaultValue = "0", description = "node i listens on base-port + i - 1 (0 = free ports)")
    int basePort;

    @Option(names = "--shard-duration", defaultValue = "1h", description = "time shard length of new tables")
    String shardDuration;

    @Option(names = "--auth-token-file", description = "file holding the bearer token the nodes require (else $"
        + NodeCommand.TOKEN_ENV + "; never on the command line, which every local user can read)")
    Path authTokenFile;

    // kept only to explain its removal: a value here would be visible in `ps` to every local user
    @Option(names = "--auth-token", hidden = true)
    String authTokenOnCommandLine;

    @Option(names = "--tls", description = "serve the nodes over https with a CA generated into <dir>/tls (ca.pem is printed)")
    boolean tls;

    @Option(names = "--bug", description = "deliberate defect for every node (see `node --help`)")
    List<String> bugs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      if (authTokenOnCommandLine != null) {
        throw new IllegalArgumentException("--auth-token is not accepted: a token on the command line is visible to every local user (ps);"
            + " use --auth-token-file FILE (mode 0600) or $" + NodeCommand.TOKEN_ENV);
      }
      String token = NodeCommand.token(authTokenFile, System.getenv(NodeCommand.TOKEN_ENV));
      LocalCluster cluster = LocalCluster.builder().nodes(nodes).replicationFactor(rf).dataDir(dir).basePort(basePort)
          .shardDuration(shardDuration).authToken(token).tls(tls).bugs(bugs).start();
      CountDownLatch done = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        cluster.close();
        done.countDown();
      }, "cluster-up-shutdown"));
      ObjectMapper json = new ObjectMapper();
      for (LocalNode n : cluster.nodes()) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", n.id());
        line.put("http", (tls ? "https://" : "http://") + n.httpAddress().getHostString() + ":" + n.httpAddress().getPort());
        line.put("pid", n.pid());
        line.put("data_dir", n.dataDir().toString());
        cluster.caCert().ifPresent(ca -> line.put("ca_cert", ca.toString()));
        System.out.println(json.writeValueAsString(line));
      }
      System.out.flush();
      done.await();
      return 0;
    }
  }
}
