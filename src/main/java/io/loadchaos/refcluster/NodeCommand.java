package io.loadchaos.refcluster;

import io.loadchaos.objectstore.S3Credentials;
import io.loadchaos.refcluster.snapshot.SnapshotSettings;
import io.loadchaos.refcluster.etcdcatalog.CatalogSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

  /** Where a launcher puts the token when it does not write a file: the environment is private to the process's user. */
  public static final String TOKEN_ENV = "LOADCHAOS_NODE_TOKEN";

  @Option(names = "--auth-token-file", description = "file holding the bearer token required on every API call except /health and /ping"
      + " (else $" + TOKEN_ENV + "; a token is never taken from the command line, which every local user can read)")
  Path authTokenFile;

  // kept only to explain its removal: a value here would be visible in `ps` to every local user
  @Option(names = "--auth-token", hidden = true)
  String authTokenOnCommandLine;

  @Option(names = "--tls-cert", description = "PEM certificate (chain): serve the HTTP API and Flight over TLS on the one port (with --tls-key)")
  Path tlsCert;

  @Option(names = "--tls-key", description = "PEM PKCS#8 private key of --tls-cert")
  Path tlsKey;

  @Option(names = "--tls-ca", description = "PEM CA certificates trusted on the https calls to peers (default: the JDK's trust store)")
  Path tlsCa;

  @Option(names = "--object-store", description = "S3-compatible endpoint, e.g. http://127.0.0.1:9000: snapshot shards to Parquet there"
      + " and keep only the WAL tail they do not cover (docs/storage.md); credentials from $" + S3Credentials.ACCESS_KEY_ENV
      + " and $" + S3Credentials.SECRET_KEY_ENV + ", never from the command line")
  URI objectStore;

  @Option(names = "--bucket", defaultValue = "loadchaos", description = "bucket of --object-store (one for all nodes)")
  String bucket;

  @Option(names = "--snapshot-rows", defaultValue = "100000", description = "snapshot after this many points written (with --object-store)")
  long snapshotRows;

  @Option(names = "--snapshot-interval", defaultValue = "60s", description = "snapshot changed shards at least this often (with --object-store)")
  String snapshotInterval;

  // test-only (docs/storage.md): stop each snapshot cycle between committing its index and truncating the WAL
  @Option(names = "--test-pause-before-wal-truncate", hidden = true)
  boolean pauseBeforeWalTruncate;
  @Option(names = "--catalog", description = "etcd://host:port,host:port[/cluster]: the catalog lives in etcd and every node serves"
      + " management calls (no meta node); credentials from $" + CatalogSpec.USER_ENV + " / $" + CatalogSpec.PASSWORD_ENV)
  String catalog;

  @Option(names = "--bug", description = "deliberate defect (repeatable, docs/refcluster.md): " + Bugs.VALID)
  List<String> bugs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    var listen = NodeConfig.parseAddress(http, "--http");
    var peerMap = NodeConfig.parsePeers(peers == null ? id + "=" + http : peers);
    List<String> ids = new ArrayList<>(peerMap.keySet());
    ids.sort(NodeConfig::compareIds);
    String meta = metaNode == null ? ids.get(0) : metaNode;
    if (authTokenOnCommandLine != null) {
      throw new IllegalArgumentException("--auth-token is not accepted: a token on the command line is visible to every local user (ps);"
          + " use --auth-token-file FILE (mode 0600) or $" + TOKEN_ENV);
    }
    NodeConfig config = new NodeConfig(id, listen, dataDir, peerMap, meta, replicationFactor, NodeConfig.parseDuration(shardDuration),
        token(authTokenFile, System.getenv(TOKEN_ENV)), Bugs.parse(bugs), NodeTls.of(tlsCert, tlsKey, tlsCa), snapshots(),
        catalog == null ? null : CatalogSpec.parse(catalog));
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

  private SnapshotSettings snapshots() {
    if (objectStore == null) {
      return null;
    }
    return new SnapshotSettings(objectStore, bucket, S3Credentials.fromEnvironment(System.getenv()), snapshotRows,
        NodeConfig.parseDuration(snapshotInterval), pauseBeforeWalTruncate);
  }

  /** The token from {@code file} (trailing newline dropped) or from the environment's value; null for none. */
  public static String token(Path file, String envValue) {
    boolean inEnv = envValue != null && !envValue.isEmpty();
    if (file == null) {
      return inEnv ? envValue : null;
    }
    if (inEnv) {
      throw new IllegalArgumentException("the token is given twice: --auth-token-file and $" + TOKEN_ENV + "; keep one");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--auth-token-file: no file at " + file.toAbsolutePath());
    } catch (IOException e) {
      throw new IllegalArgumentException("--auth-token-file: cannot read " + file.toAbsolutePath() + ": " + e.getMessage());
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("--auth-token-file: " + file.toAbsolutePath() + " is empty");
    }
    if (text.contains("\n")) {
      throw new IllegalArgumentException("--auth-token-file: " + file.toAbsolutePath() + " holds more than one line; expected just the token");
    }
    return text;
  }
}
