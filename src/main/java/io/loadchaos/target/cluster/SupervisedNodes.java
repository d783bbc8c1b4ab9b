package io.loadchaos.target.cluster;

import io.loadchaos.chaos.NodeControl;
import io.loadchaos.chaos.NodeProcess;
import io.loadchaos.chaos.OsProcesses;
import io.loadchaos.chaos.ProcessSignals;
import io.loadchaos.target.ClusterHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The nodes of a cluster file that have a {@code start:} command: loadchaos runs each as a child
 * process (output appended to {@code <run>/logs/node-<id>.log}), waits for its health URL, and
 * sends it the signals of the process faults. Signals go to the process and its descendants, so a
 * wrapper script and the server it starts are hit alike. A watchdog kills them if this JVM dies.
 */
public final class SupervisedNodes implements NodeControl, AutoCloseable {
  private final Path clusterFile;
  private final Map<String, ClusterFile.NodeSpec> specs = new LinkedHashMap<>();
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Map<String, Boolean> paused = new LinkedHashMap<>();
  private final ClusterHttp http;
  private final Path logDir;
  private final Path pidFile;
  private final Process watchdog;

  public SupervisedNodes(ClusterFile file, ClusterHttp http, Path logDir) {
    this.clusterFile = file.file();
    for (ClusterFile.NodeSpec n : file.nodes()) if (n.supervised()) specs.put(n.id(), n);
    this.http = http;
    this.logDir = logDir;
    this.pidFile = logDir.resolve("supervised.pids");
    try {
      Files.createDirectories(logDir);
      Files.writeString(pidFile, "");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + logDir, e);
    }
    this.watchdog = specs.isEmpty() ? null : ProcessSignals.watchdog(pidFile);
  }

  /** Starts every supervised node and waits until each is healthy; stops them all if one fails. */
  public void startAll(Duration within) {
    try {
      for (String id : specs.keySet()) start(id, within);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public List<String> nodeIds() {
    return List.copyOf(specs.keySet());
  }

  public Path logFile(String id) {
    return logDir.resolve("node-" + id + ".log");
  }

  @Override
  public synchronized void start(String id, Duration healthyWithin) {
    ClusterFile.NodeSpec n = spec(id);
    if (isRunning(id)) throw new IllegalStateException("node " + id + " is already running (pid " + processes.get(id).pid() + ")");
    Process p;
    try {
      ProcessBuilder pb = new ProcessBuilder(n.start()).directory(n.workDir().toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(id).toFile()));
      pb.environment().putAll(n.env());
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalArgumentException(where(id) + ": field 'start': cannot run " + n.start() + ": " + e.getMessage());
    }
    processes.put(id, p);
    paused.put(id, false);
    writePids();
    awaitHealthy(id, p, healthyWithin);
  }

  private void awaitHealthy(String id, Process p, Duration within) {
    ClusterFile.NodeSpec n = spec(id);
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(where(id) + ": field 'start': " + n.start() + " exited with code " + p.exitValue()
            + " before " + healthUrl(n) + " answered; log " + logFile(id) + ":\n" + ProcessSignals.logTail(logFile(id), 15));
      }
      if (http.healthy(n.url(), n.health())) return;
      sleep(200);
    }
    throw new IllegalStateException(where(id) + ": " + healthUrl(n) + " not healthy " + within.toSeconds()
        + " s after start; log " + logFile(id) + ":\n" + ProcessSignals.logTail(logFile(id), 15));
  }

  private static String healthUrl(ClusterFile.NodeSpec n) {
    return n.url() + (n.health() == null ? "/health (or /ping)" : n.health());
  }

  @Override
  public synchronized void kill(String id) {
    Process p = running(id);
    ProcessSignals.send(p, "KILL");
    ProcessSignals.waitFor(p, 30);
    paused.put(id, false);
  }

  @Override
  public synchronized void terminate(String id) {
    Process p = processes.get(id);
    if (p == null || !p.isAlive()) return;
    if (paused.getOrDefault(id, false)) resume(id);
    ProcessSignals.send(p, "TERM");
    if (!ProcessSignals.waitFor(p, 30)) kill(id);
  }

  @Override
  public synchronized void pause(String id) {
    ProcessSignals.send(running(id), "STOP");
    paused.put(id, true);
  }

  @Override
  public synchronized void resume(String id) {
    ProcessSignals.send(running(id), "CONT");
    paused.put(id, false);
  }

  @Override
  public synchronized boolean isRunning(String id) {
    Process p = processes.get(id);
    return p != null && p.isAlive();
  }

  @Override
  public synchronized boolean isPaused(String id) {
    return paused.getOrDefault(id, false) && isRunning(id);
  }

  /** The node's process and its descendants (a wrapper script and the server it started). */
  @Override
  public synchronized NodeProcess process(String id) {
    return OsProcesses.of(running(id).toHandle());
  }

  private Process running(String id) {
    spec(id);
    Process p = processes.get(id);
    if (p == null || !p.isAlive()) throw new IllegalStateException("node " + id + " is not running");
    return p;
  }

  private ClusterFile.NodeSpec spec(String id) {
    ClusterFile.NodeSpec n = specs.get(id);
    if (n == null) throw new IllegalArgumentException("node " + id + " has no start command in " + clusterFile);
    return n;
  }

  private String where(String id) {
    return "cluster file " + clusterFile + ": node \"" + id + "\"";
  }

  private synchronized void writePids() {
    StringBuilder sb = new StringBuilder();
    for (Process p : processes.values()) {
      if (!p.isAlive()) continue;
      sb.append(p.pid()).append('\n');
      try (Stream<ProcessHandle> d = p.descendants()) {
        d.forEach(h -> sb.append(h.pid()).append('\n'));
      }
    }
    try {
      Files.writeString(pidFile, sb.toString());
    } catch (IOException e) {
      // the watchdog then knows less; close() still stops everything while this JVM lives
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a node");
    }
  }

  /** Stops every node this supervisor started (paused ones resumed first). Idempotent. */
  @Override
  public synchronized void close() {
    for (var e : processes.entrySet()) {
      Process p = e.getValue();
      if (!p.isAlive()) continue;
      try {
        if (paused.getOrDefault(e.getKey(), false)) ProcessSignals.send(p, "CONT");
        terminate(e.getKey());
      } catch (RuntimeException ex) {
        p.destroyForcibly();
      }
      try (Stream<ProcessHandle> d = p.descendants()) {
        d.forEach(ProcessHandle::destroyForcibly);
      }
    }
    if (watchdog != null) watchdog.destroy();
  }
}
