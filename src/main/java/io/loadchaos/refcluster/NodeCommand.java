package io.loadchaos.refcluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code loadchaos node ...}: runs one reference-cluster node until SIGTERM or its parent exits. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Run one reference-cluster node (HTTP API + Arrow Flight on one port).")
public final class NodeCommand implements Callable<Integer> {
  @Option(names = "--id", required = true, description = "this node's id (an entry of --peers)")
  String id;

  @Option(names = "--http", required = true, description = "listen address host:port")
  String http;

  @Option(names = "--data-dir", required = true, description = "WAL, hints and catalog live here")
  Path dataDir;

  @Option(names = "--peers", description = "id=host:port,... of every node, this one included (default: just this node)")
  String peers;

  @Option(names = "--meta-node", description = "id of the node that owns the catalog (default: lowest id)")
  String metaNode;

  @Option(names = "--replication-factor", defaultValue = "3", description = "owners per new shard (capped at the node count)")
  int replicationFactor;

  @Option(names = "--shard-duration", defaultValue = "1h", description = "time shard length for new tables, e.g. 1h, 10m")
  String shardDuration;

  @Option(names = "--auth-token", description = "require 'Authorization: Bearer <token>' on every API call except /health and /ping")
  String authToken;

  @Option(names = "--bug", description = "deliberate defect: ack-without-write=P, no-replication, no-fsync, drop-hints, move-skip-catchup, move-early-cleanup")
  List<String> bugs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    var listen = NodeConfig.parseAddress(http, "--http");
    var peerMap = NodeConfig.parsePeers(peers == null ? id + "=" + http : peers);
    List<String> ids = new ArrayList<>(peerMap.keySet());
    ids.sort(NodeConfig::compareIds);
    String meta = metaNode == null ? ids.get(0) : metaNode;
    NodeConfig config = new NodeConfig(id, listen, dataDir, peerMap, meta, replicationFactor, NodeConfig.parseDuration(shardDuration),
        authToken == null || authToken.isEmpty() ? null : authToken, Bugs.parse(bugs));
    Node node = new Node(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "node-shutdown"));
    // a node never outlives the process that started it (test JVM, launcher)
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
    stopped.await();
    return 0;
  }
}
