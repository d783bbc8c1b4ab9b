package io.loadchaos.local;

import io.loadchaos.objectstore.S3Credentials;
import io.loadchaos.etcd.EtcdEnsemble;
import io.loadchaos.tls.CaTrust;
import io.loadchaos.tls.LocalCa;
import io.loadchaos.tls.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reference cluster of N nodes, each a child JVM on 127.0.0.1 ({@code io.loadchaos.cli.Main
 * node ...} on this JVM's class path). Nodes exit by themselves if this JVM dies; {@link #close()}
 * (also run by a shutdown hook) stops every one of them.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);
  /** JVM flags for a node: small heap and one GC thread, since several nodes share the machine. */
  public static final List<String> DEFAULT_NODE_JVM_ARGS = List.of(
      "-Xms64m", "-Xmx2g", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=512m", "-XX:+ExitOnOutOfMemoryError",
      "-Xss512k", "-Duser.timezone=UTC", "--add-opens=java.base/java.nio=ALL-UNNAMED");

  private final List<LocalNode> nodes;
  private final Builder settings;
  private final Thread shutdownHook;
  private volatile boolean closed;

  private LocalCluster(List<LocalNode> nodes, Builder settings) {
    this.nodes = new CopyOnWriteArrayList<>(nodes);
    this.settings = settings;
    this.shutdownHook = new Thread(this::stopAll, "local-cluster-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<LocalNode> nodes() {
    return List.copyOf(nodes);
  }

  /**
   * Starts a brand-new node process (next numeric id, own data dir, links through the builder's
   * {@link LinkRouter} both ways), tells the running nodes how to reach it, and waits until it is
   * healthy. It is not a member yet: register it with {@code POST /api/v3/cluster/nodes}; it then
   * fetches the catalog from the meta node and can receive shards by move.
   */
  public synchronized LocalNode addNode() {
    if (closed) {
      throw new IllegalStateException("cluster is closed");
    }
    int next = 1;
    for (LocalNode n : nodes) {
      next = Math.max(next, Integer.parseInt(n.id()) + 1);
    }
    String id = Integer.toString(next);
    Map<String, InetSocketAddress> direct = new LinkedHashMap<>();
    for (LocalNode n : nodes) {
      direct.put(n.id(), n.httpAddress());
    }
    direct.put(id, new InetSocketAddress("127.0.0.1", settings.basePort == 0 ? Builder.freePort() : settings.basePort + next - 1));
    LocalNode node = settings.node(id, direct);
    nodes.add(node);
    node.start();
    InetSocketAddress mine = direct.get(id);
    for (LocalNode other : nodes) {
      if (other == node || !other.isRunning()) {
        continue;
      }
      String route = Builder.hostPort(settings.linkRouter.route(other.id(), id, mine));
      other.postInternal("/internal/peer_route", "{\"id\":\"" + id + "\",\"address\":\"" + route + "\"}");
    }
    return node;
  }

  public LocalNode node(String id) {
    for (LocalNode n : nodes) {
      if (n.id().equals(id)) {
        return n;
      }
    }
    throw new NoSuchElementException("no node " + id + " in this cluster (nodes " + nodes.stream().map(LocalNode::id).toList() + ")");
  }

  /** The PEM file of the CA the nodes' certificate chains to, when the cluster runs TLS. */
  public Optional<Path> caCert() {
    return Optional.ofNullable(settings.ca).map(LocalCa::caCert);
  }

  /** The etcd ensemble holding the catalog, when the cluster was built with {@link Builder#etcdCatalog}. */
  public Optional<EtcdEnsemble> etcd() {
    return Optional.ofNullable(settings.etcd);
  }

  /** Stops every node (paused ones too), then the etcd ensemble, and deletes the token file; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }

  private synchronized void stopAll() {
    closed = true;
    for (LocalNode n : nodes) {
      n.stopForClose();
    }
    if (settings.etcd != null) {
      settings.etcd.close();
    }
    settings.deleteTokenFile();
  }

  /** Options for a local cluster; {@link #start()} launches it and waits until every node is healthy. */
  public static final class Builder {
    private int nodes = 3;
    private int replicationFactor = 3;
    private Path dataDir;
    private int basePort = 0;
    private String authToken;
    private List<String> bugs = List.of();
    private LinkRouter linkRouter = LinkRouter.direct();
    private List<String> nodeJvmArgs = List.of();
    private String shardDuration = "1h";
    private Duration startTimeout = Duration.ofSeconds(120);
    private boolean tls;
    // the object store the nodes snapshot to (docs/storage.md), or none
    private URI objectStore;
    private String bucket;
    private S3Credentials objectStoreCredentials;
    private List<String> extraNodeArgs = List.of();
    private String etcdLabel;
    // started by start() when the catalog is in etcd
    private EtcdEnsemble etcd;
    // written by start(): the token file the nodes read, and the run's CA and server certificate
    private Path tokenFile;
    private LocalCa ca;
    private HttpClient http;

    public Builder nodes(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("nodes must be >= 1, got " + n);
      }
      this.nodes = n;
      return this;
    }

    public Builder replicationFactor(int rf) {
      if (rf < 1) {
        throw new IllegalArgumentException("replicationFactor must be >= 1, got " + rf);
      }
      this.replicationFactor = rf;
      return this;
    }

    /** Parent directory; node i uses {@code <dataDir>/node-<i>}. */
    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** Node i listens on basePort + i - 1; 0 picks free ports. */
    private static final int BIND_ATTEMPTS = 3;
    private static final int LISTEN_PORTS_FROM = 20000;
    private static final int LISTEN_PORTS_TO = 32000;
    private static final Random RANDOM = new Random();

    public Builder basePort(int port) {
      this.basePort = port;
      return this;
    }

    /**
     * Bearer token the nodes require. It reaches them in a file of mode 0600 in the cluster dir
     * ({@code --auth-token-file}), never on their command lines; close() deletes it.
     */
    public Builder authToken(String token) {
      this.authToken = token == null || token.isEmpty() ? null : token;
      return this;
    }

    /**
     * Serve every node over https with a CA and server certificate generated for this cluster into
     * {@code <dataDir>/tls} (see {@link #caCert()}); node-to-node calls trust that CA too.
     */
    public Builder tls(boolean on) {
      this.tls = on;
      return this;
    }

    /** Deliberate defects for every node, e.g. {@code "ack-without-write=0.01"}. */
    public Builder bugs(List<String> bugs) {
      this.bugs = List.copyOf(bugs);
      return this;
    }

    public Builder linkRouter(LinkRouter router) {
      this.linkRouter = router;
      return this;
    }

    /** Extra JVM flags for the nodes, after {@link #DEFAULT_NODE_JVM_ARGS} (so they win). */
    public Builder nodeJvmArgs(List<String> args) {
      this.nodeJvmArgs = List.copyOf(args);
      return this;
    }

    /**
     * Nodes snapshot their shards to this S3-compatible endpoint and bucket ({@code --object-store},
     * docs/storage.md); the credentials reach them in their environment. Null: no object store.
     */
    public Builder objectStore(URI endpoint, String bucket, S3Credentials credentials) {
      this.objectStore = endpoint;
      this.bucket = bucket;
      this.objectStoreCredentials = credentials;
      return this;
    }

    /** More node flags after the ones the builder sets, e.g. {@code --snapshot-rows 1000}. */
    public Builder extraNodeArgs(List<String> args) {
      this.extraNodeArgs = List.copyOf(args);
      return this;
    }

    /** Time shard length of new tables (default 1h), e.g. "10m". */
    public Builder shardDuration(String duration) {
      this.shardDuration = duration;
      return this;
    }

    /**
     * The catalog in etcd instead of on a meta node: start() starts a 3-member ensemble labelled
     * {@code label} (data under {@code <dataDir>/etcd}) and every node, those added later too,
     * gets {@code --catalog}; close() stops the ensemble after the nodes.
     */
    public Builder etcdCatalog(String label) {
      this.etcdLabel = label;
      return this;
    }

    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    public LocalCluster start() {
      if (dataDir == null) {
        throw new IllegalStateException("dataDir is required");
      }
      requireServerStack();
      prepareSecrets();
      if (etcdLabel != null && etcd == null) {
        etcd = EtcdEnsemble.builder().withMembers(3).withDataRoot(dataDir.resolve("etcd")).withLabel(etcdLabel).start();
      }
      try {
        return startWithRetries();
      } catch (RuntimeException e) {
        if (etcd != null) {
          etcd.close(); // a failed start leaves no etcd process
        }
        throw e;
      }
    }

    private LocalCluster startWithRetries() {
      // free ports can be taken by another process before a node binds them: pick new ones and retry
      for (int attempt = 1; ; attempt++) {
        try {
          return startOnce();
        } catch (IllegalStateException e) {
          if (basePort != 0 || attempt == BIND_ATTEMPTS || !String.valueOf(e.getMessage()).contains("Address already in use")) throw e;
          log.warn("a node could not bind its port (attempt {} of {}), starting again on other ports", attempt, BIND_ATTEMPTS);
          for (int i = 1; i <= nodes; i++) deleteNodeDir(dataDir.resolve("node-" + i));
        }
      }
    }

    /**
     * Nodes run on this JVM's class path, and the server stack is an optional dependency of the
     * published artifact (a project that tests its own cluster does not need it): say what to add.
     */
    static void requireServerStack() {
      List<String> missing = new ArrayList<>();
      for (String[] c : SERVER_STACK) {
        try {
          Class.forName(c[0], false, LocalCluster.class.getClassLoader());
        } catch (ClassNotFoundException e) {
          missing.add(c[1]);
        }
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("the local target runs the reference cluster on this class path, which lacks "
            + String.join(", ", missing) + ": add them to your project's dependencies (versions come with the io.loadchaos:loadchaos"
            + " pom import, see docs/harness.md#using-loadchaos-from-your-own-project), or name your own cluster with -Dloadchaos.cluster=FILE");
      }
    }

    private static final String[][] SERVER_STACK = {
        {"com.linecorp.armeria.server.Server", "com.linecorp.armeria:armeria"},
        {"com.linecorp.armeria.server.grpc.GrpcService", "com.linecorp.armeria:armeria-grpc"},
        {"org.duckdb.DuckDBDriver", "org.duckdb:duckdb_jdbc"},
        {"io.micrometer.prometheusmetrics.PrometheusMeterRegistry", "io.micrometer:micrometer-registry-prometheus"}};

    private LocalCluster startOnce() {
      Map<String, InetSocketAddress> direct = new LinkedHashMap<>();
      for (int i = 1; i <= nodes; i++) {
        int port = basePort == 0 ? freePort() : basePort + i - 1;
        direct.put(Integer.toString(i), new InetSocketAddress("127.0.0.1", port));
      }
      List<LocalNode> list = new ArrayList<>();
      for (String id : direct.keySet()) {
        list.add(node(id, direct));
      }
      LocalCluster cluster = new LocalCluster(list, this);
      try {
        for (LocalNode n : list) {
          n.launch();
        }
        for (LocalNode n : list) {
          n.awaitHealthy(startTimeout);
        }
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
      return cluster;
    }

    private void prepareSecrets() {
      try {
        Files.createDirectories(dataDir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + dataDir, e);
      }
      if (authToken != null) {
        tokenFile = dataDir.resolve("auth-token");
        Pem.writeOwnerOnly(tokenFile, authToken.getBytes(StandardCharsets.UTF_8));
      }
      HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
      if (tls) {
        ca = LocalCa.generate(dataDir.resolve("tls"));
        hb.sslContext(CaTrust.load(ca.caCert()).sslContext());
      }
      http = hb.build();
    }

    private void deleteTokenFile() {
      if (tokenFile == null) {
        return;
      }
      try {
        Files.deleteIfExists(tokenFile);
      } catch (IOException e) {
        // the file is 0600 inside the cluster dir; a failed delete leaks it to nobody else
      }
    }

    /** The (not yet started) node {@code id} of a cluster whose nodes listen at {@code direct}. */
    LocalNode node(String id, Map<String, InetSocketAddress> direct) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String classPath = System.getProperty("java.class.path");
      InetSocketAddress listen = direct.get(id);
      StringBuilder peers = new StringBuilder();
      for (Map.Entry<String, InetSocketAddress> other : direct.entrySet()) {
        InetSocketAddress a = other.getKey().equals(id) ? other.getValue() : linkRouter.route(id, other.getKey(), other.getValue());
        peers.append(peers.length() == 0 ? "" : ",").append(other.getKey()).append('=').append(hostPort(a));
      }
      Path dir = dataDir.resolve("node-" + id);
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + dir, e);
      }
      List<String> cmd = new ArrayList<>();
      cmd.add(java);
      cmd.addAll(DEFAULT_NODE_JVM_ARGS);
      cmd.addAll(nodeJvmArgs);
      cmd.add("-cp");
      cmd.add(classPath);
      cmd.add("io.loadchaos.cli.Main");
      cmd.add("node");
      cmd.addAll(List.of("--id", id, "--http", hostPort(listen), "--data-dir", dir.toString(), "--peers", peers.toString(),
          "--meta-node", "1", "--replication-factor", Integer.toString(replicationFactor), "--shard-duration", shardDuration));
      if (tokenFile != null) {
        cmd.addAll(List.of("--auth-token-file", tokenFile.toAbsolutePath().toString()));
      }
      if (ca != null) {
        cmd.addAll(List.of("--tls-cert", ca.serverCert().toAbsolutePath().toString(), "--tls-key", ca.serverKey().toAbsolutePath().toString(),
            "--tls-ca", ca.caCert().toAbsolutePath().toString()));
      }
      for (String b : bugs) {
        cmd.addAll(List.of("--bug", b));
      }
      Map<String, String> env = new LinkedHashMap<>();
      if (objectStore != null) {
        cmd.addAll(List.of("--object-store", objectStore.toString(), "--bucket", bucket));
        objectStoreCredentials.export(env);
      }
      cmd.addAll(extraNodeArgs);
      if (etcd != null) {
        cmd.addAll(List.of("--catalog", "etcd://" + String.join(",", etcd.endpoints().stream().map(u -> u.replaceFirst("^https?://", "")).toList())
            + "/" + etcdLabel.replaceAll("[^A-Za-z0-9_.\\-]", "_")));
      }
      String scheme = ca == null ? "http" : "https";
      String clientUrl = scheme + "://" + hostPort(linkRouter.route(null, id, listen));
      return new LocalNode(id, listen, clientUrl, dir, cmd, authToken, http, scheme, env);
    }

    static String hostPort(InetSocketAddress a) {
      return a.getHostString() + ":" + a.getPort();
    }

    /**
     * A port free right now, below Linux's ephemeral range (32768-60999) where possible: outgoing
     * connections never take those, so only another listener can race a node for it.
     */
    public static int freePort() {
      for (int i = 0; i < 50; i++) {
        int port = LISTEN_PORTS_FROM + RANDOM.nextInt(LISTEN_PORTS_TO - LISTEN_PORTS_FROM);
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException e) {
          // taken: try another
        }
      }
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("no free port", e);
      }
    }

    private static void deleteNodeDir(Path dir) {
      if (!Files.isDirectory(dir)) return;
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot clear " + dir + " before starting again", e);
      }
    }
  }
}
