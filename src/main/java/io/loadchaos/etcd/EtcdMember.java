package io.loadchaos.etcd;

import io.loadchaos.chaos.ProcessSignals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** One etcd member of an {@link EtcdEnsemble}: its URLs, data dir, log and the signals the faults send. */
public final class EtcdMember {
  private final EtcdEnsemble ensemble;
  private final int index;
  private final String name;
  private final String clientUrl;
  private final String peerUrl;
  private final Path dataDir;
  private final Path logFile;
  private List<String> command;
  private Process process;
  private boolean paused;

  EtcdMember(EtcdEnsemble ensemble, int index, String name, String clientUrl, String peerUrl, Path dataDir, Path logFile) {
    this.ensemble = ensemble;
    this.index = index;
    this.name = name;
    this.clientUrl = clientUrl;
    this.peerUrl = peerUrl;
    this.dataDir = dataDir;
    this.logFile = logFile;
  }

  public int index() {
    return index;
  }

  public String name() {
    return name;
  }

  /** The URL clients connect to, e.g. {@code http://127.0.0.1:21379}. */
  public String clientUrl() {
    return clientUrl;
  }

  public String peerUrl() {
    return peerUrl;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return logFile;
  }

  public synchronized Optional<ProcessHandle> process() {
    return process == null || !process.isAlive() ? Optional.empty() : Optional.of(process.toHandle());
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  public synchronized boolean isPaused() {
    return paused && isRunning();
  }

  /** SIGKILL, then waits until the process is gone. */
  public void kill() {
    killNow();
    ensemble.processesChanged();
  }

  private synchronized void killNow() {
    if (!isRunning()) return;
    ProcessSignals.send(process, "KILL");
    ProcessSignals.waitFor(process, 30);
    paused = false;
  }

  /** SIGSTOP: the member freezes with its sockets open (a "grey" failure: peers see timeouts, not refusals). */
  public synchronized void pause() {
    ProcessSignals.send(running(), "STOP");
    paused = true;
  }

  /** SIGCONT after {@link #pause()}. */
  public synchronized void resume() {
    ProcessSignals.send(running(), "CONT");
    paused = false;
  }

  /** Kills the member if it runs, starts it again on the same data dir and ports, waits until healthy. */
  public void restart() {
    synchronized (this) {
      if (paused && isRunning()) resume();
      killNow();
      launch();
    }
    ensemble.processesChanged();
    ensemble.awaitHealthy(List.of(this));
  }

  void launch(List<String> command) {
    synchronized (this) {
      this.command = command;
      launch();
    }
    ensemble.processesChanged();
  }

  private void launch() {
    if (isRunning()) throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
    try {
      Files.createDirectories(logFile.getParent());
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      // etcd reads ETCD_* variables as flags: only the command line configures a member
      pb.environment().keySet().removeIf(k -> k.startsWith("ETCD_"));
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start etcd member " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
    }
    paused = false;
  }

  /** Stops the member whatever its state: a paused member gets SIGCONT first, or SIGKILL would wait for it. */
  synchronized void stopForClose() {
    if (!isRunning()) return;
    try {
      if (paused) resume();
    } catch (IllegalStateException e) {
      // it is killed next anyway
    }
    killNow();
    if (process.isAlive()) process.destroyForcibly();
  }

  private Process running() {
    if (!isRunning()) throw new IllegalStateException("etcd member " + name + " is not running");
    return process;
  }

  @Override
  public String toString() {
    return name + " (" + clientUrl + ")";
  }
}
