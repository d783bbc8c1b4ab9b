package io.loadchaos.refcluster.management;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import io.loadchaos.refcluster.Bugs;
import io.loadchaos.refcluster.Node;
import io.loadchaos.refcluster.catalog.ShardDef;
import io.loadchaos.refcluster.catalog.TableSnapshot;
import io.loadchaos.refcluster.lp.Point;
import io.loadchaos.refcluster.replication.ReplicaWrite;
import io.loadchaos.refcluster.storage.NodeStorage;
import io.loadchaos.refcluster.storage.ShardStore;
import io.loadchaos.refcluster.wal.WalRecord;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source side of shard moves on this node. While a shard is moving away its writes go
 * through a hook: stored here and remembered for catch-up (TEE), held back (FENCED, during the
 * cutover) or, once the cutover is done, forwarded to the new owners (FORWARD). Snapshot and
 * catch-up records keep their versions, so the target's copy merges exactly like the source's.
 */
final class SourceMigrations {
  private static final Logger log = LoggerFactory.getLogger(SourceMigrations.class);
  private static final Duration SHIP_TIMEOUT = Duration.ofSeconds(60);
  private static final long FENCE_MAX_MILLIS = 10_000;
  private static final int CHUNK_BYTES = 2 * 1024 * 1024;

  enum Mode { TEE, FENCED, FORWARD }

  private final Node node;
  private final InternalClient client;
  private final StateSync sync;
  private final Bugs bugs;
  private final ConcurrentHashMap<Long, Session> sessions = new ConcurrentHashMap<>();

  SourceMigrations(Node node, InternalClient client, StateSync sync) {
    this.node = node;
    this.client = client;
    this.sync = sync;
    this.bugs = node.config().bugs();
  }

  /** One shard moving away from this node. */
  private final class Session implements NodeStorage.WriteHook {
    final long shardId;
    final String db;
    final String table;
    final String target;
    final ConcurrentLinkedQueue<WalRecord> pending = new ConcurrentLinkedQueue<>();
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    volatile Mode mode = Mode.TEE;
    volatile CompletableFuture<Void> released = new CompletableFuture<>();
    volatile ShardDef newDef;

    Session(long shardId, String db, String table, String target) {
      this.shardId = shardId;
      this.db = db;
      this.table = table;
      this.target = target;
    }

    @Override
    public CompletableFuture<Void> write(WalRecord record, List<Point> points) {
      CompletableFuture<Void> gate;
      lock.readLock().lock();
      try {
        if (mode == Mode.TEE) {
          CompletableFuture<Void> durable = node.storage().writeHere(record, points);
          pending.add(record);
          return durable;
        }
        if (mode == Mode.FORWARD) {
          return forward(newDef, record);
        }
        gate = released;
      } finally {
        lock.readLock().unlock();
      }
      // the write fence: the write waits (holding no thread) for the cutover, then goes where the
      // shard's current hook says (through storage, so a session replaced or aborted meanwhile is
      // not written to, and a new session's snapshot cannot run concurrently with it)
      return gate.orTimeout(FENCE_MAX_MILLIS + 1_000, TimeUnit.MILLISECONDS)
          .handle((v, ex) -> ex)
          .thenCompose(ex -> ex == null ? node.storage().write(record, points)
              : CompletableFuture.failedFuture(new IllegalStateException("shard " + shardId + " is fenced for a move: " + ex)));
    }

    void setMode(Mode m, ShardDef def) {
      CompletableFuture<Void> open = null;
      lock.writeLock().lock();
      try {
        if (def != null) {
          newDef = def;
        }
        mode = m;
        if (m == Mode.FENCED) {
          released = new CompletableFuture<>();
        } else {
          open = released;
        }
      } finally {
        lock.writeLock().unlock();
      }
      if (open != null) {
        open.complete(null); // held-back writes continue in the new mode
      }
    }
  }

  /** MigratingSnapshot: starts remembering new writes, then copies the whole shard to the target. */
  long start(long shardId, String target) throws Exception {
    ShardDef def = shardDef(shardId);
    Session old = sessions.remove(shardId);
    if (old != null) {
      old.setMode(Mode.TEE, null);
    }
    Session s = new Session(shardId, def.db(), def.table(), target);
    sessions.put(shardId, s);
    node.storage().setHook(shardId, s);
    long rows = ship(target, snapshot(shardId, def.db(), def.table()));
    if (bugs.moveEarlyCleanup()) {
      // deliberate defect: the source copy is deleted as soon as the snapshot is on the target,
      // long before the cutover is durable; later writes land on a fresh local copy nobody ships
      sessions.remove(shardId);
      node.storage().setHook(shardId, null);
      node.storage().dropShard(shardId, def.db(), def.table()).get(30, TimeUnit.SECONDS);
      log.warn("move-early-cleanup: dropped shard {} right after its snapshot", shardId);
    }
    log.info("shard {}: snapshot of {} rows shipped to node {}", shardId, rows, target);
    return rows;
  }

  /** MigratingWAL: ships the writes that arrived since the snapshot. */
  long catchUp(long shardId) throws Exception {
    Session s = sessions.get(shardId);
    return s == null ? 0 : drain(s);
  }

  /** AwaitingCutover: holds new writes back, then ships what is left. */
  long fence(long shardId) throws Exception {
    Session s = sessions.get(shardId);
    if (s == null) {
      return 0;
    }
    s.setMode(Mode.FENCED, null);
    CompletableFuture<Void> gate = s.released;
    // a fence never outlives a lost meta node: writes resume locally (and are still remembered)
    CompletableFuture.delayedExecutor(FENCE_MAX_MILLIS, TimeUnit.MILLISECONDS).execute(() -> {
      if (s.released == gate && s.mode == Mode.FENCED) {
        log.warn("shard {}: fence expired without a cutover; writes resume locally", shardId);
        s.setMode(Mode.TEE, null);
      }
    });
    return drain(s);
  }

  /**
   * After the durable cutover: forwards this shard's writes to its new owners from now on, ships
   * the last writes that reached this copy, then deletes it (the source copy ends Cleaned).
   */
  long finish(long shardId, ShardDef newDef) throws Exception {
    Session s = sessions.get(shardId);
    long shipped = 0;
    if (s != null) {
      s.setMode(Mode.FORWARD, newDef);
      shipped = drain(s);
    } else {
      Session fwd = new Session(shardId, newDef.db(), newDef.table(), null);
      fwd.setMode(Mode.FORWARD, newDef);
      sessions.put(shardId, fwd);
      node.storage().setHook(shardId, fwd);
    }
    node.storage().dropShard(shardId, newDef.db(), newDef.table()).get(30, TimeUnit.SECONDS);
    log.info("shard {}: cut over to {}, source copy cleaned ({} late records shipped)", shardId, newDef.nodeIds(), shipped);
    return shipped;
  }

  /** Gives up a move: the shard is written here again as before. */
  void abort(long shardId) {
    Session s = sessions.remove(shardId);
    node.storage().setHook(shardId, null);
    if (s != null) {
      s.setMode(Mode.TEE, null);
    }
  }

  /**
   * A replica write for a shard this node's catalog says it does not own (a coordinator that has
   * not learned a cutover yet, or a hint replayed late): forwarded to the owners. Null when the
   * write belongs here.
   */
  CompletableFuture<Void> redirectIfNotOwner(ReplicaWrite w) {
    if (sessions.containsKey(w.shard().id())) {
      return null; // the hook decides
    }
    TableSnapshot t = node.catalog().catalog().table(w.shard().db(), w.shard().table());
    ShardDef mine = t == null ? null : t.shards().get(w.shard().id());
    if (mine == null || mine.nodeIds().contains(node.config().id())) {
      return null;
    }
    return forward(mine, w.record());
  }

  /**
   * Sends a record to a shard's owners (except this node); succeeds only when every one of them
   * stored it. A forward keeps no hints of its own, so an owner that missed it (the new owner
   * still busy with the snapshot, say) must fail the write here: the coordinator then keeps a
   * hint for this node and its replay forwards again, instead of a quorum ack leaving the new
   * owner's copy short for good.
   */
  private CompletableFuture<Void> forward(ShardDef def, WalRecord record) {
    List<String> owners = new ArrayList<>(def.nodeIds());
    owners.remove(node.config().id());
    int needed = owners.size();
    if (owners.isEmpty()) {
      return node.storage().writeHere(record, NodeStorage.parse(record));
    }
    byte[] body = new ReplicaWrite(def, record).encode();
    CompletableFuture<Void> done = new CompletableFuture<>();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    for (String owner : owners) {
      CompletableFuture<AggregatedHttpResponse> call;
      try {
        call = client.call(sync.addressOf(owner), HttpMethod.POST, "/internal/migration/forwarded_write", MediaType.OCTET_STREAM, body,
            Duration.ofSeconds(10));
      } catch (RuntimeException e) {
        call = CompletableFuture.failedFuture(e);
      }
      call.whenComplete((r, ex) -> {
        if (ex == null && r.status().code() == 204) {
          if (ok.incrementAndGet() == needed) {
            done.complete(null);
          }
        } else if (failed.incrementAndGet() > owners.size() - needed) {
          done.completeExceptionally(new IllegalStateException("forwarding shard " + def.id() + " write to " + owners + " failed: "
              + (ex != null ? ex.toString() : "HTTP " + r.status().code() + " " + r.contentUtf8())));
        }
      });
    }
    return done;
  }

  private long drain(Session s) throws Exception {
    List<WalRecord> batch = new ArrayList<>();
    WalRecord r;
    while ((r = s.pending.poll()) != null) {
      batch.add(r);
    }
    if (bugs.moveSkipCatchup()) {
      // deliberate defect: the writes that arrived during the move are never carried over
      if (!batch.isEmpty()) {
        log.warn("move-skip-catchup: dropping {} catch-up records of shard {}", batch.size(), s.shardId);
      }
      return 0;
    }
    return ship(s.target, batch);
  }

  /** The shard copy as records, one per version, so the target merges overwrites identically. */
  private static List<WalRecord> snapshot(long shardId, String db, String table, ShardStore store) {
    Map<Long, List<Point>> byVersion = new TreeMap<>();
    if (store != null) {
      store.scan(Long.MIN_VALUE, Long.MAX_VALUE, (series, time, row) -> byVersion.computeIfAbsent(row.version(), v -> new ArrayList<>())
          .add(new Point(table, series.tagKeys(), series.tagValues(), row.names(), row.types(), row.values(), time)));
    }
    List<WalRecord> out = new ArrayList<>(byVersion.size());
    byVersion.forEach((v, points) -> out.add(WalRecord.of(shardId, db, table, v, points)));
    return out;
  }

  private List<WalRecord> snapshot(long shardId, String db, String table) {
    return snapshot(shardId, db, table, node.storage().shard(shardId));
  }

  /** Sends records to the target's ingest endpoint in chunks; returns the number of lines sent. */
  private long ship(String target, List<WalRecord> records) throws Exception {
    long lines = 0;
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(chunk);
    for (WalRecord r : records) {
      byte[] b = r.encode();
      out.writeInt(b.length);
      out.write(b);
      lines += r.pointCount();
      if (chunk.size() >= CHUNK_BYTES) {
        send(target, chunk.toByteArray());
        chunk.reset();
      }
    }
    if (chunk.size() > 0) {
      send(target, chunk.toByteArray());
    }
    return lines;
  }

  private void send(String target, byte[] body) throws Exception {
    AggregatedHttpResponse r = client.call(sync.addressOf(target), HttpMethod.POST, "/internal/migration/ingest", MediaType.OCTET_STREAM, body,
        SHIP_TIMEOUT).get(SHIP_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    if (r.status().code() != 204) {
      throw new IOException("target node " + target + " refused the shard data: HTTP " + r.status().code() + " " + r.contentUtf8());
    }
  }

  /**
   * Target side: stores shipped records durably. They bypass hooks (this node is not yet an owner);
   * a forwarding hook left from an earlier move of the shard away from here is retired.
   */
  void ingest(byte[] body) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(body);
    List<CompletableFuture<Void>> durable = new ArrayList<>();
    while (b.remaining() >= 4) {
      int n = b.getInt();
      if (n < 0 || n > b.remaining()) {
        throw new IllegalArgumentException("malformed migration chunk: record length " + n + " with " + b.remaining() + " bytes left");
      }
      byte[] rec = new byte[n];
      b.get(rec);
      WalRecord r = WalRecord.decode(rec);
      Session old = sessions.get(r.shardId());
      if (old != null && old.mode == Mode.FORWARD) {
        sessions.remove(r.shardId());
        node.storage().setHook(r.shardId(), null);
      }
      durable.add(node.storage().writeHere(r, NodeStorage.parse(r)));
    }
    CompletableFuture.allOf(durable.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
  }

  private ShardDef shardDef(long shardId) {
    for (TableSnapshot t : node.catalog().catalog().all()) {
      ShardDef s = t.shards().get(shardId);
      if (s != null) {
        return s;
      }
    }
    throw new IllegalArgumentException("shard " + shardId + " is not in node " + node.config().id() + "'s catalog");
  }
}
