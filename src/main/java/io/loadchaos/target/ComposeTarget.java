package io.loadchaos.target;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.loadchaos.chaos.LinkProxies;
import io.loadchaos.chaos.NodeControl;
import io.loadchaos.chaos.NodeProcess;
import io.loadchaos.check.Verdict;
import io.loadchaos.target.cluster.ContainerProcess;
import io.loadchaos.target.compose.ComposeCli;
import io.loadchaos.target.compose.ComposeImages;
import io.loadchaos.target.compose.ContainerLogScan;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The Compose cluster ({@code docker/compose.yaml}) as a target: brought up with the Compose CLI
 * under project name = run id, its containers found by the run label with docker-java, faults
 * injected on those containers only, every client->node and node->node link routed through the
 * stack's fault proxy (Toxiproxy API), and everything brought down ({@code down -v}) at the end,
 * also on failure or interrupt (shutdown hook), with a check that nothing labelled is left.
 */
public final class ComposeTarget implements ClusterTarget, NodeControl {
  public static final String RUN_LABEL = "io.loadchaos.run";
  static final String ROLE_LABEL = "io.loadchaos.role";
  static final String NODE_LABEL = "io.loadchaos.node";
  public static final int MAX_NODES = 4;
  /** Ports inside the fault-proxy container (see compose.yaml). */
  static final int API_PORT = 8474;
  static final int CLIENT_LINK_PORT_BASE = 18080;
  static final int PEER_LINK_PORT_BASE = 19000;
  private static final Duration COMPOSE_TIMEOUT = Duration.ofMinutes(5);
  /** compose.yaml hands this variable to every node container; the reference node reads its token from it. */
  static final String NODE_TOKEN_ENV = "LOADCHAOS_NODE_TOKEN";

  /**
   * What to bring up. {@code nodes} 1..4 (4 uses the {@code scale} profile); {@code extraProfiles}
   * e.g. {@code monitoring} (adds Prometheus and Grafana); {@code env} is passed to the Compose CLI
   * on top of this process's environment (image/command overrides, see docs/compose.md).
   */
  public record Options(Path composeFile, String runId, Path runDir, int nodes, int replicationFactor,
      List<String> bugs, String token, Duration healthTimeout, List<String> extraProfiles, Map<String, String> env) {
    public Options {
      if (composeFile == null || !Files.isRegularFile(composeFile)) {
        throw new IllegalArgumentException("loadchaos.composeFile: no compose file at " + composeFile
            + " (expected docker/compose.yaml of the loadchaos checkout)");
      }
      if (nodes < 1 || nodes > MAX_NODES) {
        throw new IllegalArgumentException("loadchaos.nodes: the compose target runs 1.." + MAX_NODES + " nodes, got " + nodes);
      }
      if (replicationFactor < 1) {
        throw new IllegalArgumentException("loadchaos.replicationFactor: expected >= 1, got " + replicationFactor);
      }
      bugs = List.copyOf(bugs);
      extraProfiles = List.copyOf(extraProfiles);
      env = Map.copyOf(env);
      token = token == null || token.isBlank() ? null : token;
    }

    public static Options defaults(Path composeFile, String runId, Path runDir) {
      return new Options(composeFile, runId, runDir, 3, 3, List.of(), null, Duration.ofMinutes(3), List.of(), Map.of());
    }

    public Options withNodes(int n) {
      return new Options(composeFile, runId, runDir, n, replicationFactor, bugs, token, healthTimeout, extraProfiles, env);
    }
  }

  private final Options options;
  private final String project;
  private final DockerClient docker;
  private final ComposeCli compose;
  private final int nodePort;
  private final Map<String, String> containerByNode = new LinkedHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;
  private Process watchdog;
  private LinkProxies links;
  private ExternalTarget http;
  private List<Node> nodes = List.of();
  private String networkId;

  private ComposeTarget(Options options) {
    this.options = options;
    this.project = projectName(options.runId());
    this.docker = dockerClient();
    this.nodePort = Integer.parseInt(env("LOADCHAOS_NODE_PORT", "8181"));
    Map<String, String> env = new LinkedHashMap<>(options.env());
    env.put("LOADCHAOS_RUN_ID", project);
    // the token reaches the nodes in their environment (compose.yaml), never in a command line;
    // set even when empty, so a value inherited from this process's environment cannot leak in
    env.put(NODE_TOKEN_ENV, options.token() == null ? "" : options.token());
    for (int i = 1; i <= options.nodes(); i++) {
      String key = "LOADCHAOS_NODE" + i + "_COMMAND";
      // a user's own node command (e.g. a real InfluxDB 3 image) wins over the reference node's
      if (env(key, null) == null && !env.containsKey(key)) env.put(key, referenceNodeCommand(i));
    }
    List<String> profiles = new ArrayList<>(options.extraProfiles());
    if (options.nodes() == MAX_NODES) profiles.add("scale");
    this.compose = new ComposeCli(ComposeCli.detect(), options.composeFile().toAbsolutePath(), project, profiles, env,
        options.runDir().resolve("compose.log"));
    this.shutdownHook = new Thread(this::closeFromHook, "loadchaos-compose-down-" + project);
  }

  /** Brings the stack up and waits until every node is healthy; on any failure it is brought down again. */
  public static ComposeTarget start(Options options) {
    ComposeTarget t = new ComposeTarget(options);
    Runtime.getRuntime().addShutdownHook(t.shutdownHook);
    try {
      t.startWatchdog();
      t.up();
      return t;
    } catch (Exception e) {
      t.close();
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      if (e instanceof RuntimeException re) throw re;
      throw new IllegalStateException("compose target: " + e.getMessage(), e);
    }
  }

  /** Compose project names allow lower-case letters, digits, '-' and '_'. */
  public static String projectName(String runId) {
    String s = runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("^[^a-z0-9]+", "");
    if (s.isEmpty()) throw new IllegalArgumentException("run id '" + runId + "' has no usable characters for a Compose project name");
    return s;
  }

  /** Scans the node logs collected into {@code runDir/containers} (a verdict named {@code node logs}). */
  public static Verdict logVerdict(Path runDir) {
    return ContainerLogScan.scan(runDir.resolve("containers"));
  }

  /**
   * A shell in its own session that waits for this JVM to vanish and then brings the project
   * down: a SIGKILLed harness (no shutdown hook runs) leaves nothing behind either. close() ends it.
   */
  private void startWatchdog() throws IOException {
    String down = compose.command("down", "-v", "--remove-orphans", "-t", "5").stream().map(ComposeTarget::shellQuote)
        .collect(Collectors.joining(" "));
    String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 1; done; " + down;
    ProcessBuilder pb = new ProcessBuilder("setsid", "bash", "-c", script)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
            Files.createDirectories(options.runDir()).resolve("compose-watchdog.log").toFile()));
    pb.environment().putAll(compose.env());
    watchdog = pb.start();
  }

  private static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private String referenceNodeCommand(int id) {
    StringBuilder peers = new StringBuilder();
    for (int j = 1; j <= options.nodes(); j++) {
      if (peers.length() > 0) peers.append(',');
      peers.append(j).append('=').append(j == id ? "node" + j + ":" + nodePort : "faultproxy:" + peerLinkPort(id, j));
    }
    StringBuilder cmd = new StringBuilder("node --id " + id + " --http 0.0.0.0:" + nodePort + " --data-dir /data --peers "
        + peers + " --meta-node 1 --replication-factor " + options.replicationFactor());
    for (String b : options.bugs()) cmd.append(" --bug ").append(b);
    return cmd.toString();
  }

  static int peerLinkPort(int from, int to) {
    return PEER_LINK_PORT_BASE + 10 * from + to;
  }

  private void up() throws Exception {
    // missing or stale project images are built here, from this JVM's own code (docs/compose.md)
    Map<String, String> buildEnv = new LinkedHashMap<>(System.getenv());
    buildEnv.putAll(options.env());
    ComposeImages.ensure(docker, List.of(
        env("LOADCHAOS_NODE_IMAGE", options.env().getOrDefault("LOADCHAOS_NODE_IMAGE", ComposeImages.NODE_IMAGE)),
        env("LOADCHAOS_FAULTPROXY_IMAGE", options.env().getOrDefault("LOADCHAOS_FAULTPROXY_IMAGE", ComposeImages.FAULTPROXY_IMAGE))),
        options.composeFile().toAbsolutePath().getParent(), options.runDir(), buildEnv, ComposeTarget::log);
    log("compose up " + project + " (" + String.join(" ", compose.base()) + ", " + options.nodes() + " nodes)");
    // The fault proxy first: the nodes reach each other only through its links.
    compose.run(COMPOSE_TIMEOUT, "up", "-d", "--no-build", "faultproxy");
    String proxy = onlyContainer(ROLE_LABEL + "=faultproxy");
    int apiPort = publishedPort(proxy, API_PORT);
    awaitProxyApi(apiPort);
    links = new LinkProxies("127.0.0.1", apiPort, project);
    for (int i = 1; i <= options.nodes(); i++) {
      links.route(null, Integer.toString(i), "0.0.0.0:" + (CLIENT_LINK_PORT_BASE + i), "node" + i + ":" + nodePort);
      for (int j = 1; j <= options.nodes(); j++) {
        if (i != j) {
          links.route(Integer.toString(i), Integer.toString(j), "0.0.0.0:" + peerLinkPort(i, j), "node" + j + ":" + nodePort);
        }
      }
    }
    List<String> services = new ArrayList<>(List.of("up", "-d", "--no-build"));
    for (int i = 1; i <= options.nodes(); i++) services.add("node" + i);
    if (options.extraProfiles().contains("monitoring")) services.addAll(List.of("prometheus", "grafana"));
    compose.run(COMPOSE_TIMEOUT, services.toArray(String[]::new));

    List<Node> ns = new ArrayList<>();
    List<String> clientUrls = new ArrayList<>();
    for (int i = 1; i <= options.nodes(); i++) {
      String id = Integer.toString(i);
      containerByNode.put(id, onlyContainer(NODE_LABEL + "=" + id));
      int published = publishedPort(proxy, CLIENT_LINK_PORT_BASE + i);
      String url = "http://127.0.0.1:" + published;
      // the client links are published on this host: probes can cross them (peer links stay inside Docker)
      links.probeAt(LinkProxies.link(null, id), new InetSocketAddress("127.0.0.1", published));
      ns.add(new Node(id, url));
      clientUrls.add(url);
    }
    nodes = List.copyOf(ns);
    networkId = runNetwork();
    ClusterHttp probe = new ClusterHttp(options.token(), Duration.ofSeconds(5));
    for (String id : containerByNode.keySet()) awaitHealthy(id, probe, options.healthTimeout());
    // Capabilities are probed through the client links, as for any external cluster; a node just
    // up on a busy machine may time out once, so a probe that finds no management API is repeated.
    http = new ExternalTarget(clientUrls, options.token());
    for (int attempt = 1; attempt < 3 && !http.has(Capability.MANAGEMENT_API); attempt++) {
      Thread.sleep(1000);
      http = new ExternalTarget(clientUrls, options.token());
    }
    log("compose cluster up: " + nodes.stream().map(n -> n.id() + "=" + n.clientUrl()).toList()
        + ", fault proxy API 127.0.0.1:" + apiPort);
  }

  // ---- ClusterTarget --------------------------------------------------------------------------

  @Override
  public String kind() {
    return "compose";
  }

  @Override
  public List<Node> nodes() {
    return nodes;
  }

  @Override
  public ClusterHttp http() {
    return http.http();
  }

  @Override
  public boolean has(Capability c) {
    return http.has(c);
  }

  @Override
  public Optional<NodeControl> nodeControl() {
    return Optional.of(this);
  }

  @Override
  public Optional<LinkProxies> links() {
    return Optional.ofNullable(links);
  }

  /** The project name (= sanitized run id) every resource of this run is labelled with. */
  public String project() {
    return project;
  }

  /** Direct URL of a node's own published port (not through the fault proxy); changes on restart. */
  public String directUrl(String id) {
    return "http://127.0.0.1:" + publishedPort(container(id), nodePort);
  }

  // ---- NodeControl ----------------------------------------------------------------------------

  @Override
  public List<String> nodeIds() {
    return List.copyOf(containerByNode.keySet());
  }

  @Override
  public void kill(String id) {
    String c = container(id);
    try {
      docker.killContainerCmd(c).withSignal("KILL").exec();
    } catch (ConflictException e) {
      // some engines refuse to kill a frozen container: thaw it and kill at once
      if (!isPaused(id)) throw e;
      docker.unpauseContainerCmd(c).exec();
      docker.killContainerCmd(c).withSignal("KILL").exec();
    }
    awaitState(id, false, Duration.ofSeconds(30));
  }

  @Override
  public void terminate(String id) {
    String c = container(id);
    if (isPaused(id)) docker.unpauseContainerCmd(c).exec();
    try {
      docker.stopContainerCmd(c).withTimeout(20).exec();
    } catch (NotModifiedException e) {
      // already stopped
    }
  }

  @Override
  public void pause(String id) {
    docker.pauseContainerCmd(container(id)).exec();
  }

  @Override
  public void resume(String id) {
    if (isPaused(id)) docker.unpauseContainerCmd(container(id)).exec();
  }

  @Override
  public void start(String id, Duration healthyWithin) throws Exception {
    String c = container(id);
    if (isPaused(id)) docker.unpauseContainerCmd(c).exec();
    if (!isRunning(id)) {
      try {
        docker.startContainerCmd(c).exec();
      } catch (NotModifiedException e) {
        // started meanwhile
      }
    }
    awaitHealthy(id, new ClusterHttp(options.token(), Duration.ofSeconds(5)), healthyWithin);
  }

  @Override
  public boolean isRunning(String id) {
    var state = docker.inspectContainerCmd(container(id)).exec().getState();
    return Boolean.TRUE.equals(state.getRunning());
  }

  @Override
  public boolean isPaused(String id) {
    var state = docker.inspectContainerCmd(container(id)).exec().getState();
    return Boolean.TRUE.equals(state.getPaused());
  }

  @Override
  public void disconnect(String id) {
    docker.disconnectFromNetworkCmd().withNetworkId(networkId).withContainerId(container(id)).withForce(true).exec();
  }

  @Override
  public void reconnect(String id) {
    if (isConnected(id)) return;
    // the service name is the alias peers and the fault proxy resolve; restore it with the link
    docker.connectToNetworkCmd().withNetworkId(networkId).withContainerId(container(id))
        .withContainerNetwork(new ContainerNetwork().withAliases("node" + id)).exec();
  }

  @Override
  public boolean canDisconnect() {
    return true;
  }

  @Override
  public NodeProcess process(String id) {
    return ContainerProcess.of(docker, container(id));
  }

  /** Whether a node's container is attached to the run's network. */
  public boolean isConnected(String id) {
    InspectContainerResponse r = docker.inspectContainerCmd(container(id)).exec();
    return r.getNetworkSettings().getNetworks().values().stream().anyMatch(n -> networkId.equals(n.getNetworkID()));
  }

  // ---- teardown -------------------------------------------------------------------------------

  /**
   * Writes every container's log of this run to {@code runDir/containers/<service>.log}; returns
   * the files written. Safe to call more than once (each call rewrites the files).
   */
  @Override
  public Optional<Path> collectNodeLogs(Path runDir) {
    try {
      collectLogs();
      return Optional.of(options.runDir().resolve("containers"));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public List<Path> collectLogs() throws IOException {
    Path dir = options.runDir().resolve("containers");
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    for (Container c : runContainers()) {
      String service = c.getLabels().getOrDefault("com.docker.compose.service", c.getId().substring(0, 12));
      Path file = dir.resolve(service + ".log");
      try (OutputStream out = Files.newOutputStream(file)) {
        docker.logContainerCmd(c.getId()).withStdOut(true).withStdErr(true).withTimestamps(true)
            .exec(new ResultCallback.Adapter<Frame>() {
              @Override
              public void onNext(Frame frame) {
                try {
                  out.write(frame.getPayload());
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }
            }).awaitCompletion(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while collecting the log of " + service, e);
      }
      written.add(file);
    }
    return written;
  }

  /** Containers, networks and volumes that still carry this run's label. */
  public List<String> leftovers() {
    List<String> out = new ArrayList<>();
    for (Container c : runContainers()) out.add("container " + String.join(",", c.getNames()));
    for (Network n : runNetworks()) out.add("network " + n.getName());
    var volumes = docker.listVolumesCmd().withFilter("label", List.of(RUN_LABEL + "=" + project)).exec().getVolumes();
    if (volumes != null) volumes.forEach(v -> out.add("volume " + v.getName()));
    return out;
  }

  /**
   * Collects the logs, brings the stack down with its volumes and verifies nothing with the run
   * label is left (removing, by id, whatever {@code down} missed). Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: this call is (or runs beside) the hook itself
    }
    if (watchdog != null) watchdog.destroy();
    List<String> errors = new ArrayList<>();
    try {
      collectLogs();
    } catch (IOException | RuntimeException e) {
      errors.add("collecting container logs: " + e.getMessage());
    }
    if (links != null) links.close();
    try {
      compose.run(COMPOSE_TIMEOUT, "down", "-v", "--remove-orphans", "-t", "10");
    } catch (IOException | RuntimeException e) {
      errors.add(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      errors.add("interrupted during compose down");
    }
    List<String> left = leftovers();
    if (!left.isEmpty()) {
      removeLeftovers();
      left = leftovers();
    }
    try {
      docker.close();
    } catch (IOException e) {
      // the connection to the daemon is going away anyway
    }
    if (!left.isEmpty()) {
      throw new IllegalStateException("compose target " + project + ": still left after down: " + left
          + (errors.isEmpty() ? "" : "; errors: " + errors));
    }
    log("compose cluster " + project + " down, nothing left" + (errors.isEmpty() ? "" : " (" + errors + ")"));
  }

  private void closeFromHook() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("[compose] " + e.getMessage());
    }
  }

  private void removeLeftovers() {
    for (Container c : runContainers()) {
      try {
        docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
      } catch (NotFoundException e) {
        // gone meanwhile
      }
    }
    for (Network n : runNetworks()) {
      try {
        docker.removeNetworkCmd(n.getId()).exec();
      } catch (NotFoundException e) {
        // gone meanwhile
      }
    }
    var volumes = docker.listVolumesCmd().withFilter("label", List.of(RUN_LABEL + "=" + project)).exec().getVolumes();
    if (volumes != null) {
      for (var v : volumes) {
        try {
          docker.removeVolumeCmd(v.getName()).exec();
        } catch (NotFoundException e) {
          // gone meanwhile
        }
      }
    }
  }

  // ---- docker helpers -------------------------------------------------------------------------

  private static DockerClient dockerClient() {
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig()).maxConnections(16).connectionTimeout(Duration.ofSeconds(10))
        .responseTimeout(Duration.ofMinutes(2)).build();
    DockerClient client = DockerClientImpl.getInstance(config, http);
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      try {
        client.close();
      } catch (IOException ignored) {
        // closing a client that never connected
      }
      throw new IllegalStateException("no Docker daemon answers at " + config.getDockerHost()
          + ": run 'bash docker/ensure-docker.sh' (" + e.getMessage() + ")", e);
    }
    return client;
  }

  private List<Container> runContainers() {
    return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(RUN_LABEL, project)).exec();
  }

  private List<Network> runNetworks() {
    return docker.listNetworksCmd().withFilter("label", List.of(RUN_LABEL + "=" + project)).exec();
  }

  private String onlyContainer(String label) {
    String[] kv = label.split("=", 2);
    List<Container> found = docker.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(RUN_LABEL, project, kv[0], kv[1])).exec();
    if (found.size() != 1) {
      throw new IllegalStateException("expected one container labelled " + label + " in run " + project + ", found "
          + found.stream().map(c -> String.join(",", c.getNames())).toList());
    }
    return found.get(0).getId();
  }

  private String runNetwork() {
    List<Network> found = runNetworks().stream()
        .filter(n -> "cluster".equals(n.getLabels().get("com.docker.compose.network"))).toList();
    if (found.size() != 1) {
      throw new IllegalStateException("expected the run's 'cluster' network in " + project + ", found "
          + found.stream().map(Network::getName).toList());
    }
    return found.get(0).getId();
  }

  private String container(String id) {
    String c = containerByNode.get(id);
    if (c == null) throw new IllegalArgumentException("no node '" + id + "' in compose run " + project + " (have "
        + containerByNode.keySet() + ")");
    return c;
  }

  private int publishedPort(String containerId, int containerPort) {
    Ports.Binding[] b = docker.inspectContainerCmd(containerId).exec().getNetworkSettings().getPorts().getBindings()
        .get(ExposedPort.tcp(containerPort));
    if (b == null || b.length == 0 || b[0].getHostPortSpec() == null) {
      throw new IllegalStateException("container " + containerId.substring(0, 12) + " publishes no host port for "
          + containerPort + " (is it running?)");
    }
    return Integer.parseInt(b[0].getHostPortSpec());
  }

  private void awaitProxyApi(int apiPort) throws InterruptedException {
    ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", apiPort);
    long deadline = System.nanoTime() + options.healthTimeout().toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      try {
        client.version();
        return;
      } catch (IOException e) {
        last = e;
        Thread.sleep(250);
      }
    }
    throw new IllegalStateException("fault proxy API on 127.0.0.1:" + apiPort + " did not answer within "
        + options.healthTimeout() + (last == null ? "" : ": " + last.getMessage()));
  }

  private void awaitHealthy(String id, ClusterHttp probe, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (isRunning(id) && !isPaused(id)) {
        try {
          if (probe.healthy(directUrl(id))) return;
        } catch (IllegalStateException e) {
          // the port is not published yet
        }
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("node " + id + " (compose " + project + ") not healthy within " + within
        + "; its log ends:\n" + logTail(container(id), 20));
  }

  private void awaitState(String id, boolean running, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline && isRunning(id) != running) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private String logTail(String containerId, int lines) {
    StringBuilder sb = new StringBuilder();
    try {
      docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(lines)
          .exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
              sb.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
          }).awaitCompletion(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      sb.append("(log unavailable: ").append(e.getMessage()).append(')');
    }
    return sb.toString();
  }

  private static String env(String name, String def) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? def : v;
  }

  private static void log(String msg) {
    System.out.println("[compose] " + msg);
  }
}
