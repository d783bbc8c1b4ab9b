package io.loadchaos.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.check.Verdict;
import io.loadchaos.history.FaultEvent;
import io.loadchaos.history.History;
import io.loadchaos.target.ClusterHttp;
import io.loadchaos.target.ClusterTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a fault timeline on its own scheduler thread, on the run's one clock (the history's),
 * logs every start and heal, records them as fault events (which become the SLO phases), and
 * heals everything at the end, on failure and on interrupt.
 */
public final class ChaosEngine implements AutoCloseable {
  private final ClusterTarget target;
  private final History history;
  private final FaultTimeline timeline;
  private final TargetSelector selector;
  private final String database;
  private final ScheduledExecutorService scheduler;
  private final List<ScheduledFuture<?>> pending = Collections.synchronizedList(new ArrayList<>());
  private final List<Active> active = new ArrayList<>();
  private final List<Map<String, Object>> shardStates = Collections.synchronizedList(new ArrayList<>());
  private final List<StartedMove> startedMoves = Collections.synchronizedList(new ArrayList<>());
  private final ClusterOpNemesis clusterOps;
  private final ExecutorService operations = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "loadchaos-cluster-ops");
    t.setDaemon(true);
    return t;
  });
  private final FaultProver prover;
  private final RecoveryProbe recovery;
  private final RecoveryProbe.Settings settings;
  private final ExecutorService measurements = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "loadchaos-recovery");
    t.setDaemon(true);
    return t;
  });
  private final List<Future<?>> measuring = Collections.synchronizedList(new ArrayList<>());
  private boolean healed;
  /** Injections and scheduled heals in progress: healAll waits for them before it verifies. */
  private int injecting;
  private static final long INJECTION_WAIT_MILLIS = 180_000;
  /** How often the shard listing is polled while a move or decommission the harness started runs. */
  public static final long SHARD_POLL_MILLIS = 100;

  /**
   * An injected fault. {@code event} always holds the newest version of its fault event (the heal
   * and the recovery measurements replace it), {@code marker} the probe point written while it was in
   * effect, {@code healStart} when the harness began to undo it, per node.
   */
  private static final class Active {
    final FaultSpec spec;
    final String key;
    final Nemesis.Heal heal;
    FaultEvent event;
    Future<RecoveryProbe.Marker> marker;
    final Map<String, Long> healStart = new LinkedHashMap<>();

    Active(FaultSpec spec, String key, FaultEvent event, Nemesis.Heal heal) {
      this.spec = spec;
      this.key = key;
      this.event = event;
      this.heal = heal;
    }
  }

  public ChaosEngine(ClusterTarget target, History history, FaultTimeline timeline, long seed, String database) {
    this(target, history, timeline, seed, database, RecoveryProbe.Settings.defaults());
  }

  /** {@code settings}: how recovery probes write and read, and their thresholds ({@code slo.nodeRecovery}, {@code slo.catchUp}). */
  public ChaosEngine(ClusterTarget target, History history, FaultTimeline timeline, long seed, String database,
      RecoveryProbe.Settings settings) {
    this.target = target;
    this.history = history;
    this.timeline = timeline;
    this.database = database;
    this.settings = settings;
    this.selector = new TargetSelector(seed, this::ownerSetsOf);
    this.clusterOps = new ClusterOpNemesis(target, database, history, selector.random(), shardStates, startedMoves);
    this.prover = new FaultProver(target);
    this.recovery = new RecoveryProbe(target, history, database, settings);
    // several threads: a slow heal (a node restart) must not delay the next fault on another node
    this.scheduler = Executors.newScheduledThreadPool(4, r -> {
      Thread t = new Thread(r, "loadchaos-chaos");
      t.setDaemon(true);
      return t;
    });
  }

  public FaultTimeline timeline() {
    return timeline;
  }

  /** Schedules every fault relative to now. */
  public synchronized void start() {
    if (!pending.isEmpty() || healed) return;
    long now = history.nowMicros();
    if (timeline.faults().stream().anyMatch(f -> RecoveryProbe.measures(f.action()))) {
      // ready before the first fault: its marker and recovery probes write there
      measuring.add(measurements.submit(() -> {
        String err = recovery.setUp();
        log(history.nowMicros(), "recovery probes: " + (err == null ? "database " + recovery.database() + " ready" : err));
      }));
    }
    for (FaultSpec f : timeline.faults()) {
      // cluster operations run one after another, as an operator would: a decommission waits for
      // the node added before it to have joined and received its shards
      Runnable due = clusterOperation(f) ? () -> operations.submit(() -> inject(f)) : () -> inject(f);
      pending.add(scheduler.schedule(due, f.at().toNanos() / 1000, TimeUnit.MICROSECONDS));
    }
    if (!timeline.faults().isEmpty()) log(now, "timeline of " + timeline.faults().size() + " faults started");
  }

  private Nemesis nemesisFor(FaultSpec f, Active[] self) {
    return switch (f.action()) {
      case KILL, TERM, PAUSE, RESTART, DISCONNECT -> new ProcessNemesis(target.nodeControl().orElseThrow(() ->
          new UnsupportedOperationException(target.kind() + " target has no process control")), id -> whileRestarting(self[0], id));
      case ADD_NODE, MOVE_SHARD, DECOMMISSION, NODE_STATUS -> clusterOps;
      default -> new NetworkNemesis(target.links().orElseThrow(() ->
          new UnsupportedOperationException(target.kind() + " target has no fault proxies on its links")),
          target.nodes().stream().map(ClusterTarget.Node::id).toList());
    };
  }

  private static boolean clusterOperation(FaultSpec f) {
    return switch (f.action()) {
      case ADD_NODE, MOVE_SHARD, DECOMMISSION, NODE_STATUS -> true;
      default -> false;
    };
  }

  /** Faults that are over once injected: a restart, or an operation that ran to completion. */
  private boolean selfHealing(FaultSpec f) {
    return switch (f.action()) {
      case ADD_NODE, MOVE_SHARD, DECOMMISSION, RESTART -> true;
      default -> false;
    };
  }

  private void inject(FaultSpec f) {
    synchronized (this) {
      if (healed) return;
      injecting++;
    }
    try {
      injectNow(f);
    } finally {
      synchronized (this) {
        injecting--;
        notifyAll();
      }
    }
  }

  private void injectNow(FaultSpec f) {
    long t0 = history.nowMicros();
    // recorded before the nemesis runs: a slow injection (a restart) is part of the fault window
    FaultEvent started = new FaultEvent(f.name(), f.action().label(), f.target(), List.of(), t0, -1, true, "injecting");
    history.addFault(started);
    // the restart hook needs the fault before the nemesis returns
    Active[] self = {new Active(f, RecoveryProbe.tag(f.name()) + "-" + t0, started, () -> "nothing to heal")};
    List<String> nodes = List.of();
    Nemesis.Heal heal = () -> "nothing to heal";
    String detail;
    String proof = "";
    boolean ok;
    boolean injected = false;
    try {
      nodes = selector.resolve(f.target(), target.nodes().stream().map(ClusterTarget.Node::id).toList());
      Nemesis nemesis = nemesisFor(f, self);
      List<String> links = nemesis instanceof NetworkNemesis n ? n.linksOf(f, nodes) : List.of();
      Map<String, Object> before = prover.capture(f, nodes);
      heal = nemesis.inject(f, nodes);
      injected = true;
      FaultProver.Proof p = prover.prove(f, nodes, before, links);
      ok = p.ok();
      proof = p.text();
      detail = "on " + (nodes.isEmpty() ? f.target() : nodes) + (ok ? "" : "; not proven: " + p.text());
    } catch (Exception e) {
      ok = false;
      detail = (injected ? "proof failed: " : "injection failed: ") + e.getMessage();
    }
    long t1 = history.nowMicros();
    log(t0, f.action().label() + " " + f.target() + " (" + f.name() + ") ... " + (ok ? "ok " : "FAILED ") + (t1 - t0) / 1000 + " ms " + detail
        + (ok && !proof.isEmpty() ? "; proof: " + proof : ""));
    FaultEvent ev = new FaultEvent(f.name(), f.action().label(), f.target(), nodes, t0, -1, ok, detail, proof, List.of());
    Active a = new Active(f, self[0].key, ev, heal);
    synchronized (a) {
      a.healStart.putAll(self[0].healStart);
      a.marker = self[0].marker;
    }
    history.updateFault(started, ev);
    List<String> hit = nodes;
    if (ok && measured(a) && a.marker == null) a.marker = measurements.submit(() -> recovery.marker(a.key, hit));
    synchronized (this) {
      if (healed) {
        healOne(a);
        return;
      }
      active.add(a);
    }
    if (!injected || (selfHealing(f) && f.duration() == null)) {
      // a failed injection, or an operation that already ran to completion, ends now; an unproven
      // fault keeps its schedule (it may have half taken effect) and fails the run by its event
      healAndForget(a);
    } else if (f.duration() != null) {
      pending.add(scheduler.schedule(() -> healAndForget(a), f.duration().toNanos() / 1000, TimeUnit.MICROSECONDS));
    }
  }

  /** Whether the fault's nodes get a recovery measurement after its heal. */
  private static boolean measured(Active a) {
    return RecoveryProbe.measures(a.spec.action()) && !a.event.nodes().isEmpty();
  }

  /** A restart's node is down: the marker goes in now, and the heal (its start) begins right after. */
  private void whileRestarting(Active a, String id) {
    RecoveryProbe.Marker m = recovery.marker(a.key, List.of(id));
    synchronized (a) {
      if (a.marker == null) a.marker = CompletableFuture.completedFuture(m);
      a.healStart.put(id, history.nowMicros());
    }
  }

  private void healAndForget(Active a) {
    synchronized (this) {
      if (!active.remove(a)) return;
      injecting++;
    }
    try {
      healOne(a);
    } finally {
      synchronized (this) {
        injecting--;
        notifyAll();
      }
    }
  }

  private boolean healOne(Active a) {
    long t0 = history.nowMicros();
    boolean ok;
    String detail;
    try {
      detail = a.heal.heal();
      ok = true;
    } catch (Exception e) {
      detail = "heal failed: " + e;
      ok = false;
    }
    long t1 = history.nowMicros();
    log(t0, "heal " + a.spec.name() + " ... " + (ok ? "ok " : "FAILED ") + (t1 - t0) / 1000 + " ms " + detail);
    update(a, a.event.endedAt(t1, ok, detail));
    if (a.event.ok() && measured(a)) startMeasuring(a, t0);
    return ok;
  }

  /** Replaces the fault's event in the history with a newer version of it. */
  private void update(Active a, FaultEvent next) {
    synchronized (a) {
      history.updateFault(a.event, next);
      a.event = next;
    }
  }

  /** Measures, in the background, how each node the fault hit serves again and catches up. */
  private void startMeasuring(Active a, long healStartMicros) {
    measuring.add(measurements.submit(() -> {
      RecoveryProbe.Marker marker;
      try {
        marker = a.marker == null ? new RecoveryProbe.Marker(false, "no marker was written") : a.marker.get();
      } catch (Exception e) {
        marker = new RecoveryProbe.Marker(false, "marker write failed: " + e);
      }
      RecoveryProbe.Marker m = marker;
      List<Future<FaultEvent.NodeRecovery>> each = new ArrayList<>();
      for (String id : a.event.nodes()) {
        long from;
        synchronized (a) {
          from = a.healStart.getOrDefault(id, healStartMicros);
        }
        each.add(measurements.submit(() -> recovery.measure(a.key, id, from, m)));
      }
      List<FaultEvent.NodeRecovery> out = new ArrayList<>();
      for (var f : each) {
        try {
          out.add(f.get());
        } catch (Exception e) {
          // measure() catches its own failures; an interrupted run ends here
          return;
        }
      }
      update(a, a.event.withRecovery(out));
      for (FaultEvent.NodeRecovery r : out) {
        log(history.nowMicros(), "recovery of node " + r.node() + " after " + a.spec.name() + ": serve " + describe(r.serve())
            + ", catch-up " + describe(r.catchUp()));
      }
    }));
  }

  private static String describe(FaultEvent.Measure m) {
    return m.seconds() != null ? String.format(Locale.ROOT, "%.2f s", m.seconds()) : m.status().name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /**
   * Waits until every recovery measurement has ended (each stops at its threshold), so the fault
   * events hold their results; at most {@code within}.
   */
  public void awaitRecoveries(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    // a measurement may start another (per node): wait until the list stops growing
    for (int seen = 0; ; ) {
      List<Future<?>> now;
      synchronized (measuring) {
        now = List.copyOf(measuring);
      }
      if (now.size() == seen) return;
      for (Future<?> f : now.subList(seen, now.size())) {
        try {
          f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          log(history.nowMicros(), "recovery measurements still running after " + within.toSeconds() + " s: reported as they are");
          return;
        } catch (ExecutionException e) {
          // logged by the measurement itself
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      seen = now.size();
    }
  }

  /** How long {@link #awaitRecoveries} may need: the longer threshold plus the calls in flight. */
  public Duration recoveryBound() {
    Duration longer = settings.nodeRecovery().compareTo(settings.catchUp()) > 0 ? settings.nodeRecovery() : settings.catchUp();
    return longer.plusSeconds(15);
  }

  /**
   * Cancels faults not yet injected, heals the active ones (newest first) and verifies that
   * nothing is left broken. Returns the {@code heal} verdict.
   */
  public List<Verdict> healAll() {
    List<Active> toHeal;
    synchronized (this) {
      if (healed) return List.of();
      healed = true;
      // an injection or heal in progress (a restart, a move) finishes first, then the rest is healed
      long deadline = System.currentTimeMillis() + INJECTION_WAIT_MILLIS;
      while (injecting > 0 && System.currentTimeMillis() < deadline) {
        try {
          wait(Math.max(1, deadline - System.currentTimeMillis()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      toHeal = new ArrayList<>(active);
      active.clear();
    }
    synchronized (pending) {
      pending.forEach(p -> p.cancel(false));
    }
    Collections.reverse(toHeal);
    List<String> problems = new ArrayList<>();
    for (Active a : toHeal) if (!healOne(a)) problems.add("heal of " + a.spec.name() + " failed");
    problems.addAll(verifyHealed());
    if (timeline.faults().isEmpty() && problems.isEmpty()) {
      return List.of(Verdict.pass("heal", "no faults", "all healed", "the run injected no faults"));
    }
    return List.of(Verdict.of("heal", problems.isEmpty(), problems.isEmpty() ? "all healed" : problems.size() + " problems",
        "all healed", problems.isEmpty() ? history.faults().size() + " fault events, all healed and verified" : String.join("; ", problems)));
  }

  /** Everything still broken: nodes down or paused, links disabled or toxic. */
  public List<String> verifyHealed() {
    List<String> problems = new ArrayList<>();
    target.nodeControl().ifPresent(nc -> {
      for (String id : nc.nodeIds()) {
        if (!nc.isRunning(id)) problems.add("node " + id + " not running");
        else if (nc.isPaused(id)) problems.add("node " + id + " paused");
      }
    });
    target.links().ifPresent(l -> problems.addAll(l.problems()));
    return problems;
  }

  /**
   * A shard move the harness asked for (202 accepted): which shard, its owners in the listing just
   * before, to which node, when, and when the harness then saw it Stable on that node
   * ({@code endedMicros} -1 if it never did).
   */
  public record StartedMove(String shard, String table, List<String> ownersBefore, String targetNode, long startedMicros,
      long endedMicros) {}

  public List<StartedMove> startedMoves() {
    synchronized (startedMoves) {
      return List.copyOf(startedMoves);
    }
  }

  /**
   * Every change of a shard's status or owners the harness polled from the listing (about every
   * 100 ms while a move or decommission it started is in flight): t_us, shard, table, status,
   * node_ids.
   */
  public List<Map<String, Object>> shardStates() {
    synchronized (shardStates) {
      return List.copyOf(shardStates);
    }
  }

  private List<List<String>> ownerSetsOf(String table) {
    List<List<String>> out = new ArrayList<>();
    try {
      JsonNode shards = target.http().getJson(target.nodes().get(0).clientUrl() + "/api/v3/cluster/shards"
          + ClusterHttp.query(Map.of("db", database, "table", table)));
      for (JsonNode s : shards) {
        List<String> owners = new ArrayList<>();
        s.path("node_ids").forEach(n -> owners.add(n.asText()));
        out.add(owners);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot list shards of " + table + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static void log(long micros, String line) {
    System.out.println(String.format(Locale.ROOT, "[chaos] +%.1fs %s", micros / 1e6, line));
  }

  /** Heals whatever is still broken and stops the scheduler. Idempotent. */
  @Override
  public void close() {
    healAll();
    scheduler.shutdownNow();
    operations.shutdownNow();
    measurements.shutdownNow();
    prover.close();
  }
}
