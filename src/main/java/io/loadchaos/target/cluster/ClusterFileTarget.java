package io.loadchaos.target.cluster;

import io.loadchaos.chaos.LinkProxies;
import io.loadchaos.chaos.NodeControl;
import io.loadchaos.faultproxy.FaultProxyServer;
import io.loadchaos.target.ClusterHttp;
import io.loadchaos.target.ClusterTarget;
import io.loadchaos.target.ExternalTarget;
import io.loadchaos.tls.CaTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A cluster loadchaos did not write, from a cluster file: nodes by URL, optionally started and
 * supervised ({@code start:}) and, when the run has network faults or the file lists peer links,
 * a fault proxy in front of every node's client URL (the load and the checks go through it) and on
 * every listed peer link. Everything it started is stopped by {@link #close}.
 */
public final class ClusterFileTarget implements ClusterTarget {
  private final ClusterFile file;
  private final List<Node> nodes;
  private final ClusterHttp http;
  private final Set<Capability> caps;
  private final SupervisedNodes supervised;
  private final ContainerNodes containers;
  private final NodeControls control;
  private final FaultProxyServer proxyServer;
  private final LinkProxies links;
  private final Path logDir;
  private Path caCert;

  private ClusterFileTarget(ClusterFile file, List<Node> nodes, ClusterHttp http, Set<Capability> caps,
      SupervisedNodes supervised, ContainerNodes containers, FaultProxyServer proxyServer, LinkProxies links, Path logDir) {
    this.file = file;
    this.nodes = nodes;
    this.http = http;
    this.caps = caps;
    this.supervised = supervised;
    this.containers = containers;
    List<NodeControl> controls = new ArrayList<>();
    if (!supervised.nodeIds().isEmpty()) controls.add(supervised);
    if (containers != null) controls.add(containers);
    this.control = new NodeControls(controls);
    this.proxyServer = proxyServer;
    this.links = links;
    this.logDir = logDir;
  }

  /**
   * Opens the cluster: peer-link proxies first (the nodes connect through them), then the
   * supervised nodes, then the client proxies. On any failure what was started is stopped.
   */
  public static ClusterFileTarget open(ClusterFile file, String token, Path runDir, String runId, boolean clientProxies) {
    return open(file, token, null, runDir, runId, clientProxies);
  }

  /** {@code caCert}: PEM CA certificates the nodes' https URLs are trusted with (null: the JDK's default trust). */
  public static ClusterFileTarget open(ClusterFile file, String token, Path caCert, Path runDir, String runId, boolean clientProxies) {
    ClusterHttp http = new ClusterHttp(token, Duration.ofSeconds(60), caCert);
    Path logDir = runDir.resolve("logs");
    FaultProxyServer proxyServer = null;
    LinkProxies links = null;
    SupervisedNodes supervised = null;
    ContainerNodes containers = null;
    try {
      Map<String, String> containerById = new LinkedHashMap<>();
      Map<String, String> healthById = new LinkedHashMap<>();
      for (ClusterFile.NodeSpec n : file.nodes()) {
        if (n.container() == null) continue;
        containerById.put(n.id(), n.container());
        // /ping exists on every InfluxDB version; a node's own health path wins
        healthById.put(n.id(), n.url() + (n.health() == null ? "/ping" : n.health()));
      }
      if (!containerById.isEmpty()) {
        try {
          containers = new ContainerNodes(containerById, healthById, token, null,
              caCert == null ? null : CaTrust.load(caCert).sslContext());
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("cluster file " + file.file() + ": " + e.getMessage(), e);
        }
      }
      if (clientProxies || !file.links().isEmpty()) {
        proxyServer = FaultProxyServer.start(new InetSocketAddress("127.0.0.1", 0));
        links = new LinkProxies("127.0.0.1", proxyServer.apiAddress().getPort(), runId).servedHere();
        for (ClusterFile.LinkSpec l : file.links()) links.route(l.from(), l.to(), l.listen(), l.upstream());
      }
      supervised = new SupervisedNodes(file, http, logDir);
      supervised.startAll(file.startTimeout());
      List<Node> nodes = new ArrayList<>();
      for (ClusterFile.NodeSpec n : file.nodes()) {
        if (!supervised.nodeIds().contains(n.id()) && !http.healthy(n.url(), n.health() == null && n.container() != null ? "/ping" : n.health())) {
          throw new IllegalStateException("cluster file " + file.file() + ": node \"" + n.id() + "\": " + n.url()
              + (n.health() == null ? "/health (or /ping)" : n.health()) + " does not answer; is it running?");
        }
        nodes.add(new Node(n.id(), clientProxies ? proxied(links, n) : n.url()));
      }
      Set<Capability> caps = ExternalTarget.probe(http, nodes.get(0).clientUrl());
      ClusterFileTarget t = new ClusterFileTarget(file, List.copyOf(nodes), http, caps, supervised, containers, proxyServer, links, logDir);
      t.caCert = caCert;
      return t;
    } catch (IOException e) {
      close(supervised, containers, links, proxyServer);
      throw new UncheckedIOException("cannot start the fault proxy for " + file.file(), e);
    } catch (RuntimeException e) {
      close(supervised, containers, links, proxyServer);
      throw e;
    }
  }

  /** The node's client URL through its own proxy, {@code client->id}. */
  private static String proxied(LinkProxies links, ClusterFile.NodeSpec n) {
    URI u = URI.create(n.url());
    int port = u.getPort() > 0 ? u.getPort() : u.getScheme().equals("https") ? 443 : 80;
    InetSocketAddress listen = links.route(null, n.id(), new InetSocketAddress(u.getHost(), port));
    // the proxy listens on 127.0.0.1; keep the path prefix a node URL may carry
    return u.getScheme() + "://127.0.0.1:" + listen.getPort() + (u.getRawPath() == null ? "" : u.getRawPath());
  }

  public ClusterFile file() {
    return file;
  }

  @Override
  public String kind() {
    return "cluster file";
  }

  @Override
  public List<Node> nodes() {
    return nodes;
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
    return caps.contains(c);
  }

  @Override
  public Optional<NodeControl> nodeControl() {
    return control.nodeIds().isEmpty() ? Optional.empty() : Optional.of(control);
  }

  @Override
  public Optional<LinkProxies> links() {
    return Optional.ofNullable(links);
  }

  @Override
  public String healthPath(String nodeId) {
    return file.nodes().stream().filter(n -> n.id().equals(nodeId)).findFirst().map(ClusterFile.NodeSpec::health).orElse(null);
  }

  @Override
  public Optional<Path> collectNodeLogs(Path runDir) {
    if (containers != null && containers.collectLogs(logDir).isEmpty()) return Optional.empty();
    return control.nodeIds().isEmpty() ? Optional.empty() : Optional.of(logDir);
  }

  @Override
  public void close() {
    close(supervised, containers, links, proxyServer);
  }

  /** Stops started processes, restores containers as they were found, deletes the run's proxies. */
  private static void close(SupervisedNodes supervised, ContainerNodes containers, LinkProxies links, FaultProxyServer proxyServer) {
    try {
      if (supervised != null) supervised.close();
      if (containers != null) containers.close();
    } finally {
      if (links != null) links.close();
      if (proxyServer != null) proxyServer.close();
    }
  }
}
