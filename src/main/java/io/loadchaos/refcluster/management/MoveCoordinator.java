package io.loadchaos.refcluster.management;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import io.loadchaos.refcluster.Node;
import io.loadchaos.refcluster.catalog.Catalog;
import io.loadchaos.refcluster.catalog.ShardDef;
import io.loadchaos.refcluster.catalog.TableSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs shard moves and decommissions on the meta node. A move: MigratingSnapshot (the source
 * copies the shard to the target while remembering new writes), MigratingWAL (those writes are
 * shipped), AwaitingCutover (the source fences writes and ships the rest), then the catalog
 * cutover (owners updated, persisted, pushed to the source and the target before anything is
 * deleted) and Stable; the source then forwards late writes and deletes its copy (Cleaned).
 * A failed step (a node down) is retried from the snapshot until the nodes are back; a move
 * whose cutover is durable only retries the cleanup. Every state is recorded in {@link MoveRegistry}.
 */
final class MoveCoordinator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MoveCoordinator.class);
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);
  private static final long GIVE_UP_MILLIS = 10 * 60_000;

  private final Node node;
  private final MoveRegistry registry;
  private final StateSync sync;
  private final SourceMigrations local;
  private final InternalClient client;
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "shard-move");
    t.setDaemon(true);
    return t;
  });
  private final ConcurrentHashMap<Long, CompletableFuture<String>> running = new ConcurrentHashMap<>();
  private volatile boolean closed;

  MoveCoordinator(Node node, MoveRegistry registry, StateSync sync, SourceMigrations local, InternalClient client) {
    this.node = node;
    this.registry = registry;
    this.sync = sync;
    this.local = local;
    this.client = client;
    for (MoveRegistry.Move m : registry.active()) {
      log.info("resuming move of shard {} ({} -> {}) left in state {}", m.shardId(), m.source(), m.target(), m.state());
      launch(m);
    }
  }

  MoveRegistry registry() {
    return registry;
  }

  boolean moving(long shardId) {
    MoveRegistry.Entry e = registry.get(shardId);
    return e != null && e.move() != null;
  }

  /** Starts a validated move; null if the shard is already moving. Completes with the outcome. */
  CompletableFuture<String> start(ShardDef shard, String source, String target) {
    MoveRegistry.Move m = new MoveRegistry.Move(shard.id(), shard.db(), shard.table(), source, target, MoveState.Stable.name(), false, 0, null,
        Instant.now().toString());
    if (!registry.begin(m)) {
      return null;
    }
    return launch(m);
  }

  private CompletableFuture<String> launch(MoveRegistry.Move m) {
    CompletableFuture<String> done = new CompletableFuture<>();
    running.put(m.shardId(), done);
    workers.execute(() -> {
      try {
        done.complete(run(m));
      } catch (Throwable t) {
        log.error("move of shard {} failed", m.shardId(), t);
        done.completeExceptionally(t);
      } finally {
        running.remove(m.shardId(), done);
      }
    });
    return done;
  }

  /** The move of a shard in progress, for callers that wait (decommission). */
  CompletableFuture<String> running(long shardId) {
    return running.get(shardId);
  }

  private String run(MoveRegistry.Move m) throws InterruptedException {
    long deadline = System.currentTimeMillis() + GIVE_UP_MILLIS;
    int attempts = m.attempts();
    while (!closed) {
      try {
        if (!m.cutoverDone()) {
          m = step(m, MoveState.MigratingSnapshot, attempts);
          callSource(m, "start", null);
          m = step(m, MoveState.MigratingWAL, attempts);
          callSource(m, "catchup", null);
          callSource(m, "catchup", null);
          m = step(m, MoveState.AwaitingCutover, attempts);
          callSource(m, "fence", null);
          m = cutover(m, attempts);
        }
        ShardDef now = shard(m);
        callSource(m, "finish", now);
        registry.end(m, "Completed");
        log.info("move of shard {} from node {} to node {} completed", m.shardId(), m.source(), m.target());
        return "Completed";
      } catch (Exception e) {
        attempts++;
        m = registry.update(m.with(m.state(), m.cutoverDone(), attempts, e.toString()), false);
        log.warn("move of shard {} ({} -> {}) attempt {} failed in {}: {}", m.shardId(), m.source(), m.target(), attempts, m.state(), e.toString());
        if (!m.cutoverDone()) {
          try {
            callSource(m, "abort", null);
          } catch (Exception ignored) {
            // the source is down: its session died with it
          }
          if (System.currentTimeMillis() > deadline) {
            rollBack(m);
            return "RolledBack";
          }
        }
        TimeUnit.SECONDS.sleep(1);
      }
    }
    return "Interrupted";
  }

  /** Enters a state: durable in the registry and the catalog, then told to the other nodes. */
  private MoveRegistry.Move step(MoveRegistry.Move m, MoveState state, int attempts) {
    ShardDef s = shard(m);
    node.catalog().catalog().updateShard(withStatus(s, s.nodeIds(), state.name()));
    MoveRegistry.Move next = registry.update(m.with(state.name(), false, attempts, m.lastError()), true);
    sync.broadcastSoon();
    return next;
  }

  /**
   * The atomic switch: owners become (owners - source + target), persisted on the meta node, then
   * pushed to the source and the target (required) and every other node (best effort).
   */
  private MoveRegistry.Move cutover(MoveRegistry.Move m, int attempts) throws Exception {
    ShardDef s = shard(m);
    List<String> owners = new ArrayList<>(s.nodeIds());
    int i = owners.indexOf(m.source());
    if (i >= 0) {
      owners.set(i, m.target());
    } else if (!owners.contains(m.target())) {
      owners.add(m.target());
    }
    node.catalog().catalog().updateShard(withStatus(s, owners, MoveState.Stable.name()));
    List<String> must = new ArrayList<>();
    for (String id : List.of(m.source(), m.target())) {
      if (!id.equals(node.config().id())) {
        must.add(id);
      }
    }
    List<String> took = sync.broadcast();
    if (!took.containsAll(must)) {
      // a retry repeats the (idempotent) steps; the catalog already names the target
      throw new IllegalStateException("cutover of shard " + m.shardId() + " is durable but nodes " + must + " have not all learned it (took: " + took + ")");
    }
    // recorded after the members know, so a listing that says Stable anywhere shows the new owners
    return registry.update(m.with(MoveState.Stable.name(), true, attempts, m.lastError()), true);
  }

  private void rollBack(MoveRegistry.Move m) {
    ShardDef s = shard(m);
    node.catalog().catalog().updateShard(withStatus(s, s.nodeIds(), MoveState.Stable.name()));
    registry.update(m.with(MoveState.Stable.name(), false, m.attempts(), m.lastError()), true);
    registry.end(m, "RolledBack");
    sync.broadcast();
    log.warn("move of shard {} rolled back after {} attempts: {}", m.shardId(), m.attempts(), m.lastError());
  }

  private void callSource(MoveRegistry.Move m, String op, ShardDef def) throws Exception {
    if (m.source().equals(node.config().id())) {
      switch (op) {
        case "start" -> local.start(m.shardId(), m.target());
        case "catchup" -> local.catchUp(m.shardId());
        case "fence" -> local.fence(m.shardId());
        case "finish" -> local.finish(m.shardId(), def);
        case "abort" -> local.abort(m.shardId());
        default -> throw new IllegalArgumentException(op);
      }
      return;
    }
    byte[] body = def == null ? null : StateSync.JSON.writeValueAsBytes(def);
    AggregatedHttpResponse r = client.call(sync.addressOf(m.source()), HttpMethod.POST,
        "/internal/migration/" + op + "?shard=" + m.shardId() + "&target=" + m.target(), body == null ? null : MediaType.JSON, body, STEP_TIMEOUT)
        .get(STEP_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    if (r.status().code() != 200) {
      throw new IllegalStateException("source node " + m.source() + " " + op + ": HTTP " + r.status().code() + " " + r.contentUtf8());
    }
  }

  private ShardDef shard(MoveRegistry.Move m) {
    TableSnapshot t = node.catalog().catalog().table(m.db(), m.table());
    ShardDef s = t == null ? null : t.shards().get(m.shardId());
    if (s == null) {
      throw new IllegalStateException("shard " + m.shardId() + " vanished from the catalog");
    }
    return s;
  }

  static ShardDef withStatus(ShardDef s, List<String> owners, String status) {
    return new ShardDef(s.id(), s.db(), s.table(), s.timeStart(), s.timeEnd(), s.partition(), s.numHashPartitions(), s.shardKeys(), owners, status);
  }

  // ---- decommission ---------------------------------------------------------------------------

  /** Every shard (of every table) that lists the node as an owner. */
  static List<ShardDef> shardsOwnedBy(Catalog catalog, String id) {
    List<ShardDef> out = new ArrayList<>();
    for (TableSnapshot t : catalog.all()) {
      for (ShardDef s : t.shardList()) {
        if (s.nodeIds().contains(id)) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** Moves every shard off a Draining node, then marks it Decommissioned. */
  void drain(String id) {
    workers.execute(() -> {
      try {
        while (!closed) {
          List<ShardDef> owned = shardsOwnedBy(node.catalog().catalog(), id);
          if (owned.isEmpty()) {
            break;
          }
          for (ShardDef s : owned) {
            CompletableFuture<String> f = running(s.id());
            if (f == null) {
              String target = leastLoadedTarget(s);
              if (target == null) {
                throw new IllegalStateException("no Active node can take " + s.describe());
              }
              f = start(s, id, target);
            }
            if (f != null) {
              f.get(GIVE_UP_MILLIS + 60_000, TimeUnit.MILLISECONDS);
            }
          }
        }
        node.membership().setStatus(id, NodeRecord.DECOMMISSIONED);
        sync.broadcast();
        log.info("node {} decommissioned: it owns no shard", id);
      } catch (Exception e) {
        log.error("decommission of node {} stopped: {}", id, e.toString(), e);
      }
    });
  }

  /** The Active non-owner that owns the fewest shards (ties: lowest id). */
  String leastLoadedTarget(ShardDef s) {
    Map<String, Integer> load = new HashMap<>();
    for (TableSnapshot t : node.catalog().catalog().all()) {
      for (ShardDef x : t.shards().values()) {
        for (String o : x.nodeIds()) {
          load.merge(o, 1, Integer::sum);
        }
      }
    }
    String best = null;
    for (String id : node.membership().activeIds()) {
      if (s.nodeIds().contains(id)) {
        continue;
      }
      if (best == null || load.getOrDefault(id, 0) < load.getOrDefault(best, 0)) {
        best = id;
      }
    }
    return best;
  }

  @Override
  public void close() {
    closed = true;
    workers.shutdownNow();
  }
}
