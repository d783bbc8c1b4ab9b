package io.loadchaos.refcluster.storage;

import io.loadchaos.refcluster.Bugs;
import io.loadchaos.refcluster.lp.Point;
import io.loadchaos.refcluster.wal.RecordLog;
import io.loadchaos.refcluster.wal.WalRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every shard copy this node holds. A write is appended to the WAL and applied in memory; its
 * future completes when the WAL record is fsynced, which is when the node may acknowledge it. On
 * start the WAL is replayed, so a SIGKILLed node comes back with everything it acknowledged.
 */
public final class NodeStorage implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeStorage.class);

  private final RecordLog wal;
  private final boolean staleOverwrite;
  private final ConcurrentHashMap<Long, ShardStore> shards = new ConcurrentHashMap<>();
  /** Shards whose writes are diverted (a shard being moved away from this node). */
  private final ConcurrentHashMap<Long, WriteHook> hooks = new ConcurrentHashMap<>();
  /**
   * Read-held by a write from its hook lookup until it is applied here or handed to the hook;
   * write-held by {@link #setHook}. So once setHook returns, every write the new hook did not
   * see is wholly in memory: a move's snapshot, taken next, cannot miss it or catch half of it.
   */
  private final ReentrantReadWriteLock hookLock = new ReentrantReadWriteLock();

  /** WAL record version that marks a shard copy as deleted (its source copy cleaned after a move). */
  public static final long DROPPED = Long.MIN_VALUE;

  /** Takes over the writes of one shard instead of {@link #writeHere}. */
  @FunctionalInterface
  public interface WriteHook {
    CompletableFuture<Void> write(WalRecord record, List<Point> points);
  }

  public NodeStorage(Path dataDir, boolean fsync, Consumer<Long> fsyncNanos) throws IOException {
    this(dataDir, fsync, fsyncNanos, Bugs.NONE);
  }

  /** {@code bugs}: the storage defects stale-overwrite and lost-on-restart (no-fsync is {@code fsync}). */
  public NodeStorage(Path dataDir, boolean fsync, Consumer<Long> fsyncNanos, Bugs bugs) throws IOException {
    this.wal = new RecordLog(dataDir.resolve("wal").resolve("wal.log"), fsync, fsyncNanos);
    this.staleOverwrite = bugs.staleOverwrite();
    long[] count = new long[1];
    long end =
        wal.recover(
            0,
            bugs.lostOnRestart(),
            (body, start, stop) -> {
              WalRecord r = WalRecord.decode(body);
              if (r.version() == DROPPED) {
                shards.remove(r.shardId());
              } else {
                applyInMemory(r, parse(r));
              }
              count[0]++;
            });
    log.info("WAL replayed: {} records, {} bytes, {} shards", count[0], end, shards.size());
    wal.start();
  }

  /** The record's points, decoded from their binary form (no text parsing). */
  public static List<Point> parse(WalRecord r) {
    try {
      return r.decodePoints();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad point batch for shard " + r.shardId() + ": " + e.getMessage(), e);
    }
  }

  /** Durably stores the record (or hands it to the shard's hook); {@code points} are its parsed lines. */
  public CompletableFuture<Void> write(WalRecord record, List<Point> points) {
    hookLock.readLock().lock();
    try {
      WriteHook hook = hooks.get(record.shardId());
      return hook != null ? hook.write(record, points) : writeHere(record, points);
    } finally {
      hookLock.readLock().unlock();
    }
  }

  /** Durably stores the record on this node, whatever hook the shard has. */
  public CompletableFuture<Void> writeHere(WalRecord record, List<Point> points) {
    CompletableFuture<Void> durable = wal.append(record.encode());
    applyInMemory(record, points);
    return durable;
  }

  private void applyInMemory(WalRecord r, List<Point> points) {
    ShardStore s = shards.computeIfAbsent(r.shardId(), id -> new ShardStore(id, r.db(), r.table(), staleOverwrite));
    long version = r.version();
    Series last = null;
    for (Point p : points) {
      last = s.apply(p, version, last);
    }
  }

  /** Installs, replaces or removes a shard's hook; returns once no write is still on its way past the old one. */
  public void setHook(long shardId, WriteHook hook) {
    hookLock.writeLock().lock();
    try {
      if (hook == null) {
        hooks.remove(shardId);
      } else {
        hooks.put(shardId, hook);
      }
    } finally {
      hookLock.writeLock().unlock();
    }
  }

  /** Deletes this node's copy of a shard; durable (a tombstone in the WAL) when the future completes. */
  public CompletableFuture<Void> dropShard(long shardId, String db, String table) {
    CompletableFuture<Void> durable = wal.append(new WalRecord(shardId, db, table, DROPPED, new byte[0]).encode());
    shards.remove(shardId);
    return durable;
  }

  public ShardStore shard(long id) {
    return shards.get(id);
  }

  public Collection<ShardStore> shards() {
    return new ArrayList<>(shards.values());
  }

  @Override
  public void close() throws IOException {
    wal.close();
  }
}
