package io.loadchaos.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadchaos.chaos.ProcessSignals;
import io.loadchaos.objectstore.S3Credentials;
import io.loadchaos.refcluster.NodeCommand;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One reference node run as a child JVM: its address, process and the signals the nemeses send. */
public final class LocalNode {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final String directUrl;
  private final String id;
  private final InetSocketAddress httpAddress;
  private final String clientUrl;
  private final Path dataDir;
  private final List<String> command;
  private final String authToken;
  /** Extra environment of the process (the object store's credentials: never on a command line). */
  private final Map<String, String> environment;
  private volatile Process process;
  private volatile boolean paused;

  /** {@code http} trusts the cluster's CA when it runs TLS; {@code scheme} is then https. */
  LocalNode(String id, InetSocketAddress httpAddress, String clientUrl, Path dataDir, List<String> command, String authToken,
      HttpClient http, String scheme) {
    this(id, httpAddress, clientUrl, dataDir, command, authToken, http, scheme, Map.of());
  }

  LocalNode(String id, InetSocketAddress httpAddress, String clientUrl, Path dataDir, List<String> command, String authToken,
      HttpClient http, String scheme, Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
    this.http = http;
    this.directUrl = scheme + "://" + httpAddress.getHostString() + ":" + httpAddress.getPort();
    this.id = id;
    this.httpAddress = httpAddress;
    this.clientUrl = clientUrl;
    this.dataDir = dataDir;
    this.command = List.copyOf(command);
    this.authToken = authToken;
  }

  public String id() {
    return id;
  }

  /** Where the node listens (no proxy). */
  public InetSocketAddress httpAddress() {
    return httpAddress;
  }

  /** The URL a client should use: through the link router's client route. */
  public String clientUrl() {
    return clientUrl;
  }

  public long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  /** The running process, for observing its state; throws when the node is not running. */
  public ProcessHandle handle() {
    Process p = process;
    if (p == null || !p.isAlive()) throw new IllegalStateException("node " + id + " is not running");
    return p.toHandle();
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return dataDir.resolve("node.log");
  }

  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  public boolean isPaused() {
    return paused && isRunning();
  }

  /** Starts (or restarts) the node with the same data dir and port, and waits until it is healthy. */
  public synchronized void start() {
    launch();
    awaitHealthy(Duration.ofSeconds(90));
  }

  synchronized void launch() {
    if (isRunning()) {
      throw new IllegalStateException("node " + id + " is already running (pid " + pid() + ")");
    }
    try {
      Files.createDirectories(dataDir);
      ProcessBuilder pb = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
      pb.environment().remove("JAVA_TOOL_OPTIONS");
      // the token comes in the 0600 file of --auth-token-file; an inherited one would be a second source
      pb.environment().remove(NodeCommand.TOKEN_ENV);
      pb.environment().remove(S3Credentials.ACCESS_KEY_ENV);
      pb.environment().remove(S3Credentials.SECRET_KEY_ENV);
      pb.environment().putAll(environment);
      process = pb.start();
      paused = false;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start node " + id + ": " + e.getMessage(), e);
    }
  }

  /** SIGKILL, then waits for the process to be gone. */
  public synchronized void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    ProcessSignals.waitFor(p, 30);
    paused = false;
  }

  /** SIGTERM (clean shutdown: the WAL is flushed), waits; SIGKILL if it does not exit in 30 s. */
  public synchronized void terminate() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    if (paused) {
      resume();
    }
    p.destroy();
    if (!ProcessSignals.waitFor(p, 30)) {
      kill();
    }
  }

  /** SIGSTOP: the process freezes, its sockets stay open (a "grey" failure). */
  public synchronized void pause() {
    signal("STOP");
    paused = true;
  }

  /** SIGCONT after {@link #pause()}. */
  public synchronized void resume() {
    signal("CONT");
    paused = false;
  }

  public void awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!isRunning()) {
        throw new IllegalStateException("node " + id + " exited (code " + exitCode() + ") before becoming healthy; log tail:\n" + logTail(40));
      }
      try {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(directUrl + "/health"))
            .timeout(Duration.ofSeconds(2));
        if (authToken != null) {
          rb.header("Authorization", "Bearer " + authToken);
        }
        HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          // another process may hold the port (a bind race): healthy means our process answers
          String answeredBy = pingPid();
          if (answeredBy.equals(Long.toString(pid()))) {
            return;
          }
          last = "the port answers for pid " + answeredBy + ", not for node " + id + "'s pid " + pid();
        } else {
          last = "HTTP " + r.statusCode();
        }
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for node " + id);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for node " + id);
      }
    }
    throw new IllegalStateException("node " + id + " not healthy at " + httpAddress + " after " + timeout + " (" + last + "); log tail:\n" + logTail(40));
  }

  /** Posts a JSON body to one of the node's internal endpoints (direct address); false if it did not take it. */
  boolean postInternal(String path, String json) {
    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(directUrl + path))
        .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (authToken != null) {
      rb.header("Authorization", "Bearer " + authToken);
    }
    try {
      return http.send(rb.build(), HttpResponse.BodyHandlers.ofString()).statusCode() / 100 == 2;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The last lines of the node's log, for error messages. */
  /** The pid in the /ping answer at this node's address ({@code "none"} when it names none). */
  private String pingPid() throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(directUrl + "/ping")).timeout(Duration.ofSeconds(2)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode pid = JSON.readTree(r.body()).path("pid");
    return pid.isMissingNode() ? "none" : pid.asText();
  }

  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile());
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private String exitCode() {
    Process p = process;
    try {
      return p == null ? "?" : Integer.toString(p.exitValue());
    } catch (IllegalThreadStateException e) {
      return "running";
    }
  }

  private void signal(String sig) {
    Process p = process;
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException("node " + id + " is not running");
    }
    ProcessSignals.send(p, sig);
  }

  /** Stops the process whatever its state (paused ones get CONT first). */
  synchronized void stopForClose() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    if (paused) {
      try {
        resume();
      } catch (IllegalStateException e) {
        // it is being killed anyway
      }
    }
    kill();
  }
}
