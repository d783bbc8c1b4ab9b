package io.loadchaos.etcd;

import io.loadchaos.chaos.ProcessSignals;
import io.loadchaos.local.LocalCluster;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * N etcd members run as child processes on 127.0.0.1, bootstrapped statically as one cluster:
 * <pre>
 * try (EtcdEnsemble etcd = EtcdEnsemble.builder().withMembers(3).withDataRoot(dir).withLabel(runId).start()) {
 *   etcd.endpoints(); etcd.leader().kill(); etcd.member(1).pause(); ...
 * }
 * </pre>
 * Each member has its own free client and peer port, its data dir {@code <root>/etcd-<i>} and its log
 * {@code <root>/etcd-<i>.log}. {@link #close()} stops every member and deletes nothing; a shutdown hook
 * and a watchdog (for a SIGKILLed JVM) make sure no member outlives this JVM.
 */
public final class EtcdEnsemble implements AutoCloseable {
  static final String INSTALL_HINT = "run scripts/ensure-etcd.sh (installs Debian's etcd-server 3.4)";
  private final List<EtcdMember> members = new ArrayList<>();
  private final Duration timeout;
  private final Path pidFile;
  private final Object pidLock = new Object();
  private final EtcdProbe probe = new EtcdProbe();
  private final Thread shutdownHook = new Thread(this::close, "etcd-ensemble-shutdown");
  private Process watchdog;
  private boolean closed;

  private EtcdEnsemble(Path root, Duration timeout) {
    this.timeout = timeout;
    this.pidFile = root.resolve("etcd.pids");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every member's client URL, in member order. */
  public List<String> endpoints() {
    return members.stream().map(EtcdMember::clientUrl).toList();
  }

  public List<EtcdMember> members() {
    return List.copyOf(members);
  }

  public EtcdMember member(int i) {
    return members.get(i);
  }

  /** The member that is leader now, waiting (bounded) while an election runs; fails naming every member's state. */
  public EtcdMember leader() {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (EtcdMember m : members) {
        if (m.isRunning() && !m.isPaused() && probe.status(m.clientUrl()).map(EtcdProbe.Status::isLeader).orElse(false)) return m;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no etcd member is leader " + timeout.toSeconds() + " s after asking: " + states());
      }
      sleep(100);
    }
  }

  /** Waits until each given member answers healthy and the cluster has a leader; fails naming the member and its log. */
  void awaitHealthy(List<EtcdMember> which) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<EtcdMember> pending = new ArrayList<>(which);
    while (true) {
      for (EtcdMember m : which) {
        if (!m.isRunning()) {
          throw new IllegalStateException("etcd member " + m + " exited before it was healthy; log " + m.logFile() + ":\n" + ProcessSignals.logTail(m.logFile(), 15));
        }
      }
      pending.removeIf(m -> probe.healthy(m.clientUrl()));
      if (pending.isEmpty()) return;
      if (System.nanoTime() > deadline) {
        EtcdMember m = pending.get(0);
        throw new IllegalStateException("etcd member " + m + " not healthy (no leader or no quorum) " + timeout.toSeconds()
            + " s after start; log " + m.logFile() + ":\n" + ProcessSignals.logTail(m.logFile(), 15));
      }
      sleep(100);
    }
  }

  /**
   * Keeps the watchdog's pid file to the members running now, so it never kills a reused pid of a
   * dead one. Called with no member's lock held (it takes each member's).
   */
  void processesChanged() {
    synchronized (pidLock) {
      writePids();
    }
  }

  private void writePids() {
    String pids = members.stream().map(EtcdMember::process).flatMap(Optional::stream)
        .map(h -> h.pid() + "\n").collect(Collectors.joining());
    try {
      Files.writeString(pidFile, pids);
    } catch (IOException e) {
      // the watchdog then knows less; close() and the shutdown hook still stop everything
    }
  }

  private String states() {
    return members.stream().map(m -> m.name() + " " + (!m.isRunning() ? "not running" : m.isPaused() ? "paused"
        : probe.status(m.clientUrl()).map(s -> "follows " + s.leaderId()).orElse("no answer"))).collect(Collectors.joining(", "));
  }

  /** Stops every member (paused ones resumed first) and the watchdog. Idempotent; deletes nothing. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) return;
      closed = true;
    }
    for (EtcdMember m : members) {
      try {
        m.stopForClose();
      } catch (RuntimeException e) {
        m.process().ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    processesChanged();
    if (watchdog != null) watchdog.destroy();
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs close() again, which returns at once
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for etcd");
    }
  }

  /** Testcontainers-style: set what differs from the defaults (3 members, a temp dir, 30 s), then {@link #start()}. */
  public static final class Builder {
    private int size = 3;
    private Path root;
    private String label = "loadchaos-" + Long.toHexString(System.nanoTime());
    private String binary = "etcd";
    private Duration timeout = Duration.ofSeconds(30);

    public Builder withMembers(int n) {
      if (n < 1) throw new IllegalArgumentException("an etcd ensemble needs at least 1 member, got " + n);
      this.size = n;
      return this;
    }

    /** Where the members' data dirs and logs go; it should be new or this same ensemble's. */
    public Builder withDataRoot(Path dir) {
      this.root = dir;
      return this;
    }

    /** The run id: the cluster's {@code --initial-cluster-token}, so two ensembles never join each other. */
    public Builder withLabel(String label) {
      if (!label.matches("[A-Za-z0-9._-]+")) throw new IllegalArgumentException("etcd label must be [A-Za-z0-9._-]+, got " + label);
      this.label = label;
      return this;
    }

    /** The etcd executable: a path, or a name looked up on PATH (default {@code etcd}). */
    public Builder withBinary(String binary) {
      this.binary = binary;
      return this;
    }

    /** How long start, restart and {@link EtcdEnsemble#leader()} wait. */
    public Builder withTimeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** Starts every member and waits until all are healthy under one leader; stops them all if that fails. */
    public EtcdEnsemble start() {
      String exe = executable(binary);
      try {
        Path dir = root != null ? root : Files.createTempDirectory("loadchaos-etcd-");
        Files.createDirectories(dir);
        EtcdEnsemble e = new EtcdEnsemble(dir, timeout);
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < size; i++) {
          String name = "etcd-" + i;
          e.members.add(new EtcdMember(e, i, name, url(port(ports)), url(port(ports)), dir.resolve(name), dir.resolve(name + ".log")));
        }
        String cluster = e.members.stream().map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
        Runtime.getRuntime().addShutdownHook(e.shutdownHook);
        try {
          Files.writeString(e.pidFile, "");
          e.watchdog = ProcessSignals.watchdog(e.pidFile);
          for (EtcdMember m : e.members) m.launch(command(exe, m, cluster, label));
          e.awaitHealthy(e.members);
          e.leader();
        } catch (RuntimeException ex) {
          e.close();
          throw ex;
        }
        return e;
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot create the etcd data root " + root, ex);
      }
    }

    private static List<String> command(String exe, EtcdMember m, String cluster, String token) {
      return List.of(exe, "--name", m.name(), "--data-dir", m.dataDir().toString(),
          "--listen-client-urls", m.clientUrl(), "--advertise-client-urls", m.clientUrl(),
          "--listen-peer-urls", m.peerUrl(), "--initial-advertise-peer-urls", m.peerUrl(),
          // static bootstrap; on a restart etcd reads the membership from the data dir instead
          "--initial-cluster", cluster, "--initial-cluster-token", token, "--initial-cluster-state", "new",
          "--logger", "zap", "--log-outputs", "stderr");
    }

    private static int port(Set<Integer> taken) {
      while (true) {
        int p = LocalCluster.Builder.freePort();
        if (taken.add(p)) return p;
      }
    }

    private static String url(int port) {
      return "http://127.0.0.1:" + port;
    }

    private static String executable(String binary) {
      if (binary.contains("/")) {
        if (Files.isExecutable(Path.of(binary))) return binary;
        throw new IllegalStateException("etcd binary " + binary + " is not executable; " + INSTALL_HINT);
      }
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        Path p = Path.of(dir.isEmpty() ? "." : dir, binary);
        if (Files.isExecutable(p)) return p.toString();
      }
      throw new IllegalStateException("'" + binary + "' is not on PATH; " + INSTALL_HINT);
    }
  }
}
