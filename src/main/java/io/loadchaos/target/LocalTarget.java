package io.loadchaos.target;

import io.loadchaos.chaos.LinkProxies;
import io.loadchaos.chaos.NodeControl;
import io.loadchaos.chaos.NodeProcess;
import io.loadchaos.chaos.OsProcesses;
import io.loadchaos.chaos.NodeProvisioner;
import io.loadchaos.config.Knobs;
import io.loadchaos.config.RunConfig;
import io.loadchaos.faultproxy.FaultProxyServer;
import io.loadchaos.local.LinkRouter;
import io.loadchaos.local.LocalCluster;
import io.loadchaos.local.LocalNode;
import io.loadchaos.objectstore.ObjectStoreServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * The embedded default: a reference cluster of child JVMs on 127.0.0.1, optionally with an
 * in-process Toxiproxy-compatible fault proxy on every client->node and node->node link.
 * Everything it starts is stopped by {@link #close}, and the nodes exit on their own if this JVM
 * dies.
 */
public final class LocalTarget implements ClusterTarget, NodeControl, NodeProvisioner {
  /** {@code --bug} name of the fault proxy's deliberate defect (docs/faultproxy.md). */
  public static final String PROXY_STALE_CONNECTIONS = "proxy-stale-connections";
  private final LocalCluster cluster;
  private final FaultProxyServer proxyServer;
  private final LinkProxies links;
  private final ClusterHttp http;

  private final Process watchdog;

  private final Path caCert;
  /** The object store of {@code loadchaos.objectStore=on}, else null. */
  private final ObjectStoreServer objectStore;

  private LocalTarget(LocalCluster cluster, FaultProxyServer proxyServer, LinkProxies links, String token,
      Process watchdog, Path caCert, ObjectStoreServer objectStore) {
    this.objectStore = objectStore;
    this.watchdog = watchdog;
    this.cluster = cluster;
    this.proxyServer = proxyServer;
    this.links = links;
    this.caCert = caCert;
    this.http = new ClusterHttp(token, Duration.ofSeconds(60), caCert);
  }

  /**
   * Starts the cluster described by the run's knobs in {@code dataDir}. With {@code loadchaos.tls}
   * the nodes serve https with a CA generated for this start, and that CA is the run's CA.
   */
  public static LocalTarget start(RunConfig cfg, Path dataDir, String runId, boolean linkProxies) {
    boolean tls = cfg.get(Knobs.TLS);
    if (tls && !cfg.get(Knobs.CA_CERT).isEmpty()) {
      throw new IllegalArgumentException(Knobs.CA_CERT.property() + ": with " + Knobs.TLS.property()
          + "=true the local target trusts only the CA it generates for the run; unset " + Knobs.CA_CERT.property());
    }
    // the proxy's own deliberate defect is the harness's, not a node's
    List<String> bugs = new ArrayList<>(cfg.get(Knobs.BUGS));
    boolean staleProxy = bugs.remove(PROXY_STALE_CONNECTIONS);
    if (staleProxy && !linkProxies) {
      throw new IllegalArgumentException(Knobs.BUGS.property() + "=" + PROXY_STALE_CONNECTIONS
          + ": this run has no fault proxy (its faults need none), so the proxy's defect cannot apply");
    }
    FaultProxyServer proxyServer = null;
    LinkProxies links = null;
    ObjectStoreServer objectStore = null;
    try {
      LinkRouter router = LinkRouter.direct();
      if (linkProxies) {
        try {
          proxyServer = FaultProxyServer.start(new InetSocketAddress("127.0.0.1", 0));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot start the fault proxy", e);
        }
        if (staleProxy) proxyServer.withToxicsOnNewConnectionsOnly();
        links = new LinkProxies("127.0.0.1", proxyServer.apiAddress().getPort(), runId);
        LinkProxies l = links;
        router = l::route;
      }
      String token = cfg.get(Knobs.TOKEN);
      if (cfg.get(Knobs.OBJECT_STORE).equals("on")) {
        // one bucket for every node, blobs under the cluster dir (docs/storage.md)
        objectStore = ObjectStoreServer.builder().withDataDir(dataDir.resolve("object-store")).withLabel(runId).withBucket("loadchaos").start();
      }
      ObjectStoreServer os = objectStore;
      LocalCluster.Builder builder = LocalCluster.builder();
      if (cfg.get(Knobs.CATALOG).equals("etcd")) {
        builder.etcdCatalog(runId); // labelled with the run, data under the cluster dir, closed with the cluster
      }
      LocalCluster cluster = builder
          .nodes(cfg.get(Knobs.NODES))
          .replicationFactor(cfg.get(Knobs.REPLICATION_FACTOR))
          .dataDir(dataDir)
          .basePort(0)
          .authToken(token.isEmpty() ? null : token)
          .tls(tls)
          .bugs(bugs)
          .nodeJvmArgs(cfg.get(Knobs.NODE_JVM_ARGS))
          .linkRouter(router)
          .objectStore(os == null ? null : os.endpoint(), os == null ? null : os.bucket(), os == null ? null : os.credentials())
          .start();
      String configured = cfg.get(Knobs.CA_CERT);
      Path ca = cluster.caCert().orElse(configured.isEmpty() ? null : Path.of(configured));
      if (tls) System.out.println("[loadchaos] local cluster serves https; run CA " + ca);
      return new LocalTarget(cluster, proxyServer, links, token, watchdog(dataDir), ca, objectStore);
    } catch (RuntimeException e) {
      if (links != null) links.close();
      if (proxyServer != null) proxyServer.close();
      if (objectStore != null) objectStore.close();
      throw e;
    }
  }

  /**
   * Nodes notice their parent's death themselves, except a node that is paused (SIGSTOP) when this
   * JVM is SIGKILLed. A tiny shell watchdog outlives this JVM and then resumes and kills every
   * process whose command line names this run's cluster directory, and nothing else.
   */
  private static Process watchdog(Path dataDir) {
    String dir = dataDir.toAbsolutePath().toString();
    if (dir.contains("'")) throw new IllegalArgumentException("cluster dir must not contain a quote: " + dir);
    String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 1; done; "
        + "pkill -CONT -f -- '--data-dir " + dir + "'; pkill -KILL -f -- '--data-dir " + dir + "'; rm -f '" + dir + "/auth-token'";
    try {
      return new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the cluster watchdog", e);
    }
  }

  public LocalCluster cluster() {
    return cluster;
  }

  /** The object store the nodes snapshot to ({@code loadchaos.objectStore=on}). */
  public Optional<ObjectStoreServer> objectStore() {
    return Optional.ofNullable(objectStore);
  }

  @Override
  public String kind() {
    return "local";
  }

  @Override
  public List<Node> nodes() {
    return cluster.nodes().stream().map(n -> new Node(n.id(), n.clientUrl())).toList();
  }

  @Override
  public Optional<Path> caCert() {
    return Optional.ofNullable(caCert);
  }

  @Override
  public ClusterHttp http() {
    return http;
  }

  @Override
  public boolean has(Capability c) {
    return true;
  }

  @Override
  public Optional<NodeControl> nodeControl() {
    return Optional.of(this);
  }

  @Override
  public Optional<LinkProxies> links() {
    return Optional.ofNullable(links);
  }

  @Override
  public Optional<NodeProvisioner> provisioner() {
    return Optional.of(this);
  }

  // ---- NodeControl: signals to the child processes ----

  @Override
  public List<String> nodeIds() {
    return cluster.nodes().stream().map(LocalNode::id).toList();
  }

  @Override
  public void kill(String id) {
    cluster.node(id).kill();
  }

  @Override
  public void terminate(String id) {
    cluster.node(id).terminate();
  }

  @Override
  public void pause(String id) {
    cluster.node(id).pause();
  }

  @Override
  public void resume(String id) {
    cluster.node(id).resume();
  }

  @Override
  public void start(String id, Duration healthyWithin) {
    LocalNode n = cluster.node(id);
    if (!n.isRunning()) n.start();
    n.awaitHealthy(healthyWithin);
  }

  @Override
  public boolean isRunning(String id) {
    return cluster.node(id).isRunning();
  }

  @Override
  public boolean isPaused(String id) {
    return cluster.node(id).isPaused();
  }

  @Override
  public NodeProcess process(String id) {
    return OsProcesses.of(cluster.node(id).handle());
  }

  // ---- NodeProvisioner: scale-out ----

  @Override
  public NewNode startNewNode() {
    LocalNode n = cluster.addNode();
    String address = n.httpAddress().getHostString() + ":" + n.httpAddress().getPort();
    return new NewNode(new Node(n.id(), n.clientUrl()), address, address);
  }

  @Override
  public Optional<Path> collectNodeLogs(Path runDir) {
    Path dir = runDir.resolve("logs");
    try {
      Files.createDirectories(dir);
      for (LocalNode n : cluster.nodes()) {
        if (Files.exists(n.logFile())) {
          Files.copy(n.logFile(), dir.resolve("node-" + n.id() + ".log"),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return Optional.of(dir);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } finally {
      watchdog.destroy();
      if (links != null) links.close();
      if (proxyServer != null) proxyServer.close();
      // after the nodes, which snapshot to it until they stop
      if (objectStore != null) objectStore.close();
    }
  }
}
