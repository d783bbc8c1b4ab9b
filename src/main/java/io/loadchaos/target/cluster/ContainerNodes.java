package io.loadchaos.target.cluster;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.loadchaos.chaos.NodeControl;
import io.loadchaos.chaos.NodeProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * Fault control of existing Docker containers that a cluster file names ({@code container: influx-2}):
 * kill, stop, pause, start, network disconnect, on exactly those containers and nothing else on the
 * daemon (it may be shared). Every container is resolved once, at construction, to its id, so a
 * container removed and re-created under the same name is an error, not a different target.
 * {@link #close()} puts every container back in the state it was found in.
 */
public final class ContainerNodes implements NodeControl, AutoCloseable {
  /** "Healthy" = the health URL answers 2xx within this long. */
  public static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration KILL_SETTLES_WITHIN = Duration.ofSeconds(30);
  private static final int STOP_GRACE_SECONDS = 20;
  /** Networks a container cannot be cut from (its network mode is not a network of its own). */
  private static final Set<String> FIXED_NETWORKS = Set.of("host", "none");

  /** A node's container as found at construction: its state then is what close() restores. */
  private record Found(String name, String containerId, URI health, boolean running, boolean paused) {}

  /** A network disconnect() took a container off, with what reconnect() passes back. */
  private record Attachment(String network, String networkId, ContainerNetwork settings) {}

  private final String dockerHost;
  private final DockerClient docker;
  private final HttpClient http;
  private final String token;
  private final Map<String, Found> nodes = new LinkedHashMap<>();
  private final Map<String, List<Attachment>> detached = new ConcurrentHashMap<>();
  /** Logs are collected from here on: a long-lived container's older log is not this run's. */
  private final int logsSince;
  private final boolean canDisconnect;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param containers node id -> container name or id, in node order
   * @param healthUrls node id -> full health URL ({@code http://127.0.0.1:18086/ping})
   */
  public ContainerNodes(Map<String, String> containers, Map<String, String> healthUrls) {
    this(containers, healthUrls, null, null);
  }

  /**
   * @param token bearer token sent with the health probe, or null (a real InfluxDB 3 may require it on /health)
   * @param dockerHost e.g. {@code unix:///var/run/docker.sock} or {@code tcp://host:2375}; null: DOCKER_HOST or the default
   */
  public ContainerNodes(Map<String, String> containers, Map<String, String> healthUrls, String token, String dockerHost) {
    this(containers, healthUrls, token, dockerHost, null);
  }

  /** @param tls trust for https health URLs (the run's CA), or null for the JDK's default trust */
  public ContainerNodes(Map<String, String> containers, Map<String, String> healthUrls, String token, String dockerHost,
      SSLContext tls) {
    if (containers.isEmpty()) throw new IllegalArgumentException("no containers to control");
    Map<String, URI> health = new LinkedHashMap<>();
    for (String id : containers.keySet()) health.put(id, healthUri(id, healthUrls.get(id)));
    for (String id : healthUrls.keySet()) {
      if (!containers.containsKey(id)) throw new IllegalArgumentException("node \"" + id + "\": a health URL but no container");
    }
    DefaultDockerClientConfig.Builder cfg = DefaultDockerClientConfig.createDefaultConfigBuilder();
    if (dockerHost != null && !dockerHost.isBlank()) cfg.withDockerHost(dockerHost);
    DefaultDockerClientConfig config;
    try {
      config = cfg.build();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Docker host \"" + dockerHost + "\" is not usable: " + oneLine(e));
    }
    this.dockerHost = config.getDockerHost().toString();
    this.token = token == null || token.isBlank() ? null : token;
    HttpClient.Builder client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(HEALTH_TIMEOUT);
    if (tls != null) client.sslContext(tls);
    this.http = client.build();
    this.docker = connect(config, containers);
    this.logsSince = (int) (System.currentTimeMillis() / 1000);
    try {
      boolean allCanDisconnect = true;
      Map<String, String> nodeByContainerId = new HashMap<>();
      for (var e : containers.entrySet()) {
        String id = e.getKey();
        String name = e.getValue();
        if (name == null || name.isBlank()) throw new IllegalArgumentException("node \"" + id + "\": no container named");
        InspectContainerResponse r = resolve(id, name);
        String other = nodeByContainerId.putIfAbsent(r.getId(), id);
        if (other != null) {
          throw new IllegalArgumentException("node \"" + id + "\": container \"" + name + "\" is also node \"" + other
              + "\"'s; each node needs its own container");
        }
        ContainerState s = r.getState();
        nodes.put(id, new Found(name, r.getId(), health.get(id), isTrue(s.getRunning()), isTrue(s.getPaused())));
        allCanDisconnect &= !disconnectable(r).isEmpty();
      }
      this.canDisconnect = allCanDisconnect;
    } catch (RuntimeException e) {
      closeClient();
      throw e;
    }
  }

  // ---- NodeControl ----------------------------------------------------------------------------

  @Override
  public List<String> nodeIds() {
    return List.copyOf(nodes.keySet());
  }

  /** SIGKILL; returns once Docker reports the container stopped. */
  @Override
  public void kill(String id) {
    Found n = node(id);
    if (!state(id).running) throw new IllegalStateException(describe(id) + " is not running; nothing to kill");
    call(id, "kill", () -> {
      try {
        docker.killContainerCmd(n.containerId()).withSignal("KILL").exec();
      } catch (ConflictException e) {
        // some engines refuse to kill a frozen container: thaw it and kill at once
        if (!state(id).paused) throw e;
        docker.unpauseContainerCmd(n.containerId()).exec();
        docker.killContainerCmd(n.containerId()).withSignal("KILL").exec();
      }
    });
    long deadline = System.nanoTime() + KILL_SETTLES_WITHIN.toNanos();
    while (state(id).running) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(describe(id) + " still running " + KILL_SETTLES_WITHIN.toSeconds() + " s after SIGKILL");
      }
      sleep(100);
    }
  }

  /** docker stop: SIGTERM (or the image's stop signal), SIGKILL after 20 s; returns when stopped. */
  @Override
  public void terminate(String id) {
    Found n = node(id);
    call(id, "stop", () -> {
      // a frozen process cannot handle SIGTERM: thaw it first so it shuts down cleanly
      if (state(id).paused) docker.unpauseContainerCmd(n.containerId()).exec();
      try {
        docker.stopContainerCmd(n.containerId()).withTimeout(STOP_GRACE_SECONDS).exec();
      } catch (NotModifiedException e) {
        // already stopped
      }
    });
  }

  @Override
  public void pause(String id) {
    Found n = node(id);
    Status s = state(id);
    if (!s.running) throw new IllegalStateException(describe(id) + " is not running; cannot pause it");
    if (s.paused) return;
    call(id, "pause", () -> docker.pauseContainerCmd(n.containerId()).exec());
  }

  @Override
  public void resume(String id) {
    Found n = node(id);
    if (state(id).paused) call(id, "unpause", () -> docker.unpauseContainerCmd(n.containerId()).exec());
  }

  /** Unpauses or starts the container (its volumes and file system are kept) and waits until healthy. */
  @Override
  public void start(String id, Duration healthyWithin) {
    Found n = node(id);
    Status s = state(id);
    if (s.paused) call(id, "unpause", () -> docker.unpauseContainerCmd(n.containerId()).exec());
    if (!s.running) {
      call(id, "start", () -> {
        try {
          docker.startContainerCmd(n.containerId()).exec();
        } catch (NotModifiedException e) {
          // started meanwhile
        }
      });
    }
    awaitHealthy(id, healthyWithin);
  }

  /** True while the container's process exists, also when it is paused (as {@code docker ps}). */
  @Override
  public boolean isRunning(String id) {
    return state(id).running;
  }

  @Override
  public boolean isPaused(String id) {
    return state(id).paused;
  }

  /**
   * Disconnects the container from every network it is on and remembers them (with its aliases and
   * any fixed address) for {@link #reconnect}. Its published ports go away with its networks.
   */
  @Override
  public void disconnect(String id) {
    Found n = node(id);
    InspectContainerResponse r = inspect(id);
    List<Attachment> on = disconnectable(r);
    if (on.isEmpty()) {
      throw new UnsupportedOperationException(describe(id) + " is on no network it can be disconnected from (network mode "
          + r.getHostConfig().getNetworkMode() + ")");
    }
    // remember before cutting, so a failure half-way still lets reconnect() restore what was cut
    detached.merge(id, on, (was, now) -> {
      List<Attachment> all = new ArrayList<>(was);
      for (Attachment a : now) if (was.stream().noneMatch(w -> w.networkId().equals(a.networkId()))) all.add(a);
      return List.copyOf(all);
    });
    for (Attachment a : on) {
      call(id, "network disconnect " + a.network(), () -> docker.disconnectFromNetworkCmd().withNetworkId(a.networkId())
          .withContainerId(n.containerId()).withForce(true).exec());
    }
  }

  /** Connects the container back to the networks {@link #disconnect} took it off; a no-op otherwise. */
  @Override
  public void reconnect(String id) {
    Found n = node(id);
    List<Attachment> was = detached.get(id);
    if (was == null) return;
    Set<String> now = inspect(id).getNetworkSettings().getNetworks().values().stream()
        .map(ContainerNetwork::getNetworkID).collect(Collectors.toSet());
    for (Attachment a : was) {
      if (now.contains(a.networkId())) continue;
      call(id, "network connect " + a.network(), () -> docker.connectToNetworkCmd().withNetworkId(a.networkId())
          .withContainerId(n.containerId()).withContainerNetwork(a.settings()).exec());
    }
    detached.remove(id);
  }

  @Override
  public NodeProcess process(String id) {
    return ContainerProcess.of(docker, node(id).containerId());
  }

  /** Whether every container was on a network of its own at construction (not host / none / another container's). */
  @Override
  public boolean canDisconnect() {
    return canDisconnect;
  }

  // ---- beyond NodeControl ---------------------------------------------------------------------

  /** The health URL answers 2xx within {@link #HEALTH_TIMEOUT}. */
  public boolean healthy(String id) {
    return probe(id) == null;
  }

  /** Whether the container is on every network {@link #disconnect} took it off (true when never disconnected). */
  public boolean isConnected(String id) {
    node(id);
    List<Attachment> was = detached.get(id);
    if (was == null) return true;
    Set<String> now = inspect(id).getNetworkSettings().getNetworks().values().stream()
        .map(ContainerNetwork::getNetworkID).collect(Collectors.toSet());
    return was.stream().allMatch(a -> now.contains(a.networkId()));
  }

  /** The Docker daemon these containers live on, e.g. {@code unix:///var/run/docker.sock}. */
  public String dockerHost() {
    return dockerHost;
  }

  /** Full container id of a node (what every call uses). */
  public String containerId(String id) {
    return node(id).containerId();
  }

  /**
   * Writes each container's log (stdout + stderr, Docker timestamps, across restarts) since this
   * object was made to {@code dir/node-<id>.log}. Returns {@code dir} only when every node's log was
   * written, so a log-scan verdict never passes on part of the cluster; the reason is printed otherwise.
   */
  public Optional<Path> collectLogs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      warn("cannot create " + dir + " for the container logs: " + e.getMessage());
      return Optional.empty();
    }
    boolean all = true;
    for (String id : nodes.keySet()) {
      try {
        writeLog(id, dir.resolve("node-" + id + ".log"));
      } catch (IOException | RuntimeException e) {
        warn(describe(id) + ": cannot collect its log: " + oneLine(e));
        all = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        warn("interrupted while collecting the log of " + describe(id));
        return Optional.empty();
      }
    }
    return all ? Optional.of(dir) : Optional.empty();
  }

  /**
   * Puts every container back as it was found: networks reconnected, then running and unpaused if
   * it was (started without waiting for health), paused if it was, stopped if it was stopped.
   * Returns what could not be restored (empty: all restored); never throws for one node's failure.
   */
  public List<String> restoreAll() {
    List<String> problems = new ArrayList<>();
    for (var e : nodes.entrySet()) {
      String id = e.getKey();
      Found f = e.getValue();
      try {
        reconnect(id);
        Status s = state(id);
        if (f.running()) {
          if (!s.running) call(id, "start", () -> docker.startContainerCmd(f.containerId()).exec());
          boolean pausedNow = state(id).paused;
          if (f.paused() && !pausedNow) call(id, "pause", () -> docker.pauseContainerCmd(f.containerId()).exec());
          if (!f.paused() && pausedNow) call(id, "unpause", () -> docker.unpauseContainerCmd(f.containerId()).exec());
        } else if (s.running) {
          terminate(id);
        }
        Status after = state(id);
        if (after.running != f.running() || after.paused != f.paused()) {
          problems.add(describe(id) + " is " + after + ", was " + new Status(f.running(), f.paused(), null, null));
        }
      } catch (RuntimeException ex) {
        problems.add(oneLine(ex));
      }
    }
    return problems;
  }

  /** {@link #restoreAll()}, then closes the connection to the daemon; throws if something stayed changed. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    List<String> problems;
    try {
      problems = restoreAll();
    } finally {
      closeClient();
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("containers not restored to how they were found: " + String.join("; ", problems));
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** One inspect of the container's state. */
  private record Status(boolean running, boolean paused, String status, Long exitCode) {
    @Override
    public String toString() {
      return !running ? "stopped" : paused ? "paused" : "running";
    }
  }

  private Status state(String id) {
    ContainerState s = inspect(id).getState();
    return new Status(isTrue(s.getRunning()), isTrue(s.getPaused()), s.getStatus(), s.getExitCodeLong());
  }

  private InspectContainerResponse inspect(String id) {
    Found n = node(id);
    try {
      return docker.inspectContainerCmd(n.containerId()).exec();
    } catch (NotFoundException e) {
      throw new IllegalStateException(describe(id) + " (id " + n.containerId().substring(0, 12)
          + ") no longer exists on the Docker daemon at " + dockerHost);
    } catch (RuntimeException e) {
      throw new IllegalStateException(describe(id) + ": docker inspect failed: " + oneLine(e), e);
    }
  }

  /** Runs one docker-java call, turning its errors into one line that names the node and the container. */
  private void call(String id, String what, Runnable op) {
    try {
      op.run();
    } catch (NotFoundException e) {
      throw new IllegalStateException(describe(id) + " no longer exists on the Docker daemon at " + dockerHost
          + " (docker " + what + ")");
    } catch (RuntimeException e) {
      throw new IllegalStateException(describe(id) + ": docker " + what + " failed: " + oneLine(e), e);
    }
  }

  private InspectContainerResponse resolve(String id, String name) {
    try {
      return docker.inspectContainerCmd(name).exec();
    } catch (NotFoundException e) {
      throw new IllegalArgumentException("node \"" + id + "\": container \"" + name
          + "\" does not exist on the Docker daemon at " + dockerHost);
    } catch (RuntimeException e) {
      throw new IllegalStateException("node \"" + id + "\": cannot inspect container \"" + name + "\" on the Docker daemon at "
          + dockerHost + ": " + oneLine(e), e);
    }
  }

  /** The networks docker can take the container off (empty for network mode host / none / container:x). */
  private static List<Attachment> disconnectable(InspectContainerResponse r) {
    Map<String, ContainerNetwork> networks = r.getNetworkSettings() == null ? null : r.getNetworkSettings().getNetworks();
    if (networks == null) return List.of();
    List<Attachment> out = new ArrayList<>();
    for (var e : networks.entrySet()) {
      if (FIXED_NETWORKS.contains(e.getKey())) return List.of();
      out.add(new Attachment(e.getKey(), e.getValue().getNetworkID(), reconnectSettings(e.getKey(), e.getValue(), r)));
    }
    return out;
  }

  /**
   * What reconnect passes back: the user's aliases (peers resolve the node by them) and a fixed
   * address if one was configured. The default bridge network takes neither.
   */
  private static ContainerNetwork reconnectSettings(String network, ContainerNetwork was, InspectContainerResponse r) {
    ContainerNetwork cn = new ContainerNetwork();
    if ("bridge".equals(network)) return cn;
    if (was.getAliases() != null) {
      // Docker adds the short id itself on connect; passing it again would duplicate it
      String shortId = r.getId().substring(0, 12);
      List<String> aliases = was.getAliases().stream().filter(a -> !a.equals(shortId)).toList();
      if (!aliases.isEmpty()) cn.withAliases(aliases);
    }
    if (was.getIpamConfig() != null) cn.withIpamConfig(was.getIpamConfig());
    return cn;
  }

  /** Null when healthy, else why not (for error messages). */
  private String probe(String id) {
    Found n = node(id);
    HttpRequest.Builder req = HttpRequest.newBuilder(n.health()).timeout(HEALTH_TIMEOUT).GET();
    if (token != null) req.header("Authorization", "Bearer " + token);
    try {
      int code = http.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      return code / 100 == 2 ? null : "HTTP " + code;
    } catch (HttpTimeoutException e) {
      return "no answer within " + HEALTH_TIMEOUT.toSeconds() + " s";
    } catch (IOException e) {
      return oneLine(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private void awaitHealthy(String id, Duration within) {
    Found n = node(id);
    long deadline = System.nanoTime() + within.toNanos();
    String why = "not probed";
    while (true) {
      Status s = state(id);
      // a container whose process ended (and that Docker is not restarting) will not become healthy
      if (!s.running && !"restarting".equals(s.status())) {
        throw new IllegalStateException(describe(id) + " exited (code " + s.exitCode() + ") while starting; its log ends: "
            + logTail(id, 5));
      }
      if (!s.paused) {
        why = probe(id);
        if (why == null) return;
      } else {
        why = "paused";
      }
      if (System.nanoTime() > deadline) break;
      sleep(250);
    }
    throw new IllegalStateException(describe(id) + " not healthy at " + n.health() + " within " + within.toSeconds() + " s ("
        + why + "); its log ends: " + logTail(id, 5));
  }

  private void writeLog(String id, Path file) throws IOException, InterruptedException {
    try (OutputStream out = Files.newOutputStream(file)) {
      boolean done = docker.logContainerCmd(node(id).containerId()).withStdOut(true).withStdErr(true).withTimestamps(true)
          .withSince(logsSince).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
              try {
                out.write(frame.getPayload());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
          }).awaitCompletion(60, TimeUnit.SECONDS);
      if (!done) throw new IOException("the log did not end within 60 s");
    }
  }

  /** The last lines of the container's log on one line, for error messages. */
  private String logTail(String id, int lines) {
    StringBuilder sb = new StringBuilder();
    try {
      docker.logContainerCmd(node(id).containerId()).withStdOut(true).withStdErr(true).withTail(lines)
          .exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
              sb.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
          }).awaitCompletion(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      return "(log unavailable: " + oneLine(e) + ")";
    }
    String tail = String.join(" | ", sb.toString().strip().lines().map(String::strip).toList());
    return tail.isEmpty() ? "(empty)" : tail;
  }

  private Found node(String id) {
    Found n = nodes.get(id);
    if (n == null) throw new IllegalArgumentException("no node \"" + id + "\" among the containers' nodes " + nodes.keySet());
    return n;
  }

  private String describe(String id) {
    return "node \"" + id + "\": container \"" + node(id).name() + "\"";
  }

  /** A client that has answered a ping; an unreachable daemon is one line naming the host and the nodes. */
  private static DockerClient connect(DefaultDockerClientConfig config, Map<String, String> containers) {
    ApacheDockerHttpClient transport = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig()).maxConnections(16).connectionTimeout(Duration.ofSeconds(10))
        .responseTimeout(Duration.ofMinutes(2)).build();
    DockerClient client = DockerClientImpl.getInstance(config, transport);
    try {
      client.pingCmd().exec();
      return client;
    } catch (RuntimeException e) {
      try {
        client.close();
      } catch (IOException ignored) {
        // a client that never connected
      }
      String wanted = containers.entrySet().stream().map(c -> "node \"" + c.getKey() + "\": container \"" + c.getValue() + "\"")
          .collect(Collectors.joining(", "));
      throw new IllegalStateException("no Docker daemon answers at " + config.getDockerHost() + " (wanted for " + wanted + "): "
          + oneLine(e) + "; start dockerd (bash docker/ensure-docker.sh) or set DOCKER_HOST");
    }
  }

  private void closeClient() {
    try {
      docker.close();
    } catch (IOException e) {
      // the connection is going away anyway
    }
  }

  private static URI healthUri(String id, String url) {
    if (url == null || url.isBlank()) throw new IllegalArgumentException("node \"" + id + "\": no health URL");
    try {
      URI u = URI.create(url.strip());
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw new IllegalArgumentException("not http(s)");
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("node \"" + id + "\": health URL \"" + url
          + "\" is not a full http(s) URL such as http://127.0.0.1:8181/health");
    }
  }

  /**
   * The messages of an exception and its causes on one line, each once (docker-java's carry the
   * daemon's JSON and newlines, and wrappers often repeat their cause's message).
   */
  static String oneLine(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().replaceAll("\\s*\\R\\s*", " ").strip();
      if (parts.stream().noneMatch(p -> p.contains(m))) parts.add(m);
    }
    return String.join(": ", parts);
  }

  private static boolean isTrue(Boolean b) {
    return Boolean.TRUE.equals(b);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void warn(String msg) {
    System.err.println("[containers] " + msg);
  }
}
