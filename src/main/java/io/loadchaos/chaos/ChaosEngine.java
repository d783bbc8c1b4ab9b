package io.loadchaos.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.check.Verdict;
import io.loadchaos.history.FaultEvent;
import io.loadchaos.history.History;
import io.loadchaos.target.ClusterHttp;
import io.loadchaos.target.ClusterTarget;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

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
  private final java.util.concurrent.ExecutorService operations = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "loadchaos-cluster-ops");
    t.setDaemon(true);
    return t;
  });
  private boolean healed;
  /** Injections and scheduled heals in progress: healAll waits for them before it verifies. */
  private int injecting;
  private static final long INJECTION_WAIT_MILLIS = 180_000;
  /** How often the shard listing is polled while a move or decommission the harness started runs. */
  public static final long SHARD_POLL_MILLIS = 100;

  private record Active(FaultSpec spec, FaultEvent event, Nemesis.Heal heal) {}

  public ChaosEngine(ClusterTarget target, History history, FaultTimeline timeline, long seed, String database) {
    this.target = target;
    this.history = history;
    this.timeline = timeline;
    this.database = database;
    this.selector = new TargetSelector(seed, this::ownerSetsOf);
    this.clusterOps = new ClusterOpNemesis(target, database, history, selector.random(), shardStates, startedMoves);
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
    for (FaultSpec f : timeline.faults()) {
      // cluster operations run one after another, as an operator would: a decommission waits for
      // the node added before it to have joined and received its shards
      Runnable due = clusterOperation(f) ? () -> operations.submit(() -> inject(f)) : () -> inject(f);
      pending.add(scheduler.schedule(due, f.at().toNanos() / 1000, TimeUnit.MICROSECONDS));
    }
    if (!timeline.faults().isEmpty()) log(now, "timeline of " + timeline.faults().size() + " faults started");
  }

  private Nemesis nemesisFor(FaultSpec f) {
    return switch (f.action()) {
      case KILL, TERM, PAUSE, RESTART, DISCONNECT -> new ProcessNemesis(target.nodeControl().orElseThrow(() ->
          new UnsupportedOperationException(target.kind() + " target has no process control")));
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
    List<String> nodes = List.of();
    Nemesis.Heal heal;
    String detail;
    boolean ok;
    try {
      nodes = selector.resolve(f.target(), target.nodes().stream().map(ClusterTarget.Node::id).toList());
      heal = nemesisFor(f).inject(f, nodes);
      ok = true;
      detail = "on " + (nodes.isEmpty() ? f.target() : nodes);
    } catch (Exception e) {
      heal = () -> "nothing to heal";
      ok = false;
      detail = "injection failed: " + e.getMessage();
    }
    long t1 = history.nowMicros();
    log(t0, f.action().label() + " " + f.target() + " (" + f.name() + ") ... " + (ok ? "ok " : "FAILED ") + (t1 - t0) / 1000 + " ms " + detail);
    FaultEvent ev = new FaultEvent(f.name(), f.action().label(), f.target(), nodes, t0, -1, ok, detail);
    history.updateFault(started, ev);
    Active a = new Active(f, ev, heal);
    synchronized (this) {
      if (healed) {
        healOne(a);
        return;
      }
      active.add(a);
    }
    if (!ok || (selfHealing(f) && f.duration() == null)) {
      // a failed injection, or an operation that already ran to completion, ends now
      healAndForget(a);
    } else if (f.duration() != null) {
      pending.add(scheduler.schedule(() -> healAndForget(a), f.duration().toNanos() / 1000, TimeUnit.MICROSECONDS));
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
      detail = a.heal().heal();
      ok = true;
    } catch (Exception e) {
      detail = "heal failed: " + e;
      ok = false;
    }
    long t1 = history.nowMicros();
    log(t0, "heal " + a.spec().name() + " ... " + (ok ? "ok " : "FAILED ") + (t1 - t0) / 1000 + " ms " + detail);
    history.updateFault(a.event(), a.event().endedAt(t1, ok, detail));
    return ok;
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
    for (Active a : toHeal) if (!healOne(a)) problems.add("heal of " + a.spec().name() + " failed");
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
  }
}
