package io.loadchaos.refcluster.storage;

import io.loadchaos.refcluster.Bugs;
import io.loadchaos.refcluster.lp.Point;
import io.loadchaos.refcluster.wal.RecordLog;
import io.loadchaos.refcluster.wal.SegmentedLog;
import io.loadchaos.refcluster.wal.WalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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

  /** The single {@code wal/wal.log} (no object store), else null. */
  private final RecordLog wal;
  /** The segmented WAL of a node with snapshots ({@code wal/segments}), else null. */
  private final SegmentedLog segments;
  /** Read-held by append + apply, write-held by {@link #rotateWal}: a rotation sees every older record in memory. */
  private final ReentrantReadWriteLock rotateLock = new ReentrantReadWriteLock();
  /** Shards written (or dropped) since the last rotation: the ones the next snapshot must write. */
  private final Set<Long> changed = ConcurrentHashMap.newKeySet();
  private final AtomicLong pointsSinceRotation = new AtomicLong();
  private final long walRecordsReplayed;
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
    this.segments = null;
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
    this.walRecordsReplayed = count[0];
    wal.start();
  }

  /** Brings back what a start of a node with snapshots loads before its WAL tail. */
  @FunctionalInterface
  public interface Restore {
    /** Puts the snapshots' rows into {@code into} ({@link #restoreRow}); returns the first WAL segment they do not cover. */
    long restore(NodeStorage into) throws IOException;
  }

  /**
   * A node with snapshots (docs/storage.md): {@code restore} loads the snapshots first, then only the
   * WAL segments from the one it returns are replayed (older ones, covered, are deleted).
   */
  public NodeStorage(Path dataDir, boolean fsync, Consumer<Long> fsyncNanos, Bugs bugs, Restore restore) throws IOException {
    if (Files.exists(dataDir.resolve("wal").resolve("wal.log"))) {
      throw new IOException(dataDir + " holds the single WAL of a node without an object store (wal/wal.log):"
          + " start it without --object-store, or on a new data dir");
    }
    this.wal = null;
    this.staleOverwrite = bugs.staleOverwrite();
    this.segments = new SegmentedLog(dataDir.resolve("wal").resolve("segments"), fsync, fsyncNanos);
    long from = restore.restore(this);
    long snapshotShards = shards.size();
    this.walRecordsReplayed = segments.recover(from, (body, start, stop) -> {
      WalRecord r = WalRecord.decode(body);
      if (r.version() == DROPPED) {
        shards.remove(r.shardId());
      } else {
        applyInMemory(r, parse(r));
      }
      changed.add(r.shardId());
    });
    log.info("WAL replayed: {} records from segment {} on, after {} shards from snapshots; {} shards", walRecordsReplayed, from,
        snapshotShards, shards.size());
  }

  /** Records replayed from the WAL at start (with snapshots: only the tail they do not cover). */
  public long walRecordsReplayed() {
    return walRecordsReplayed;
  }

  /** Whether this storage keeps a segmented WAL for snapshots. */
  public boolean snapshots() {
    return segments != null;
  }

  /** One row of a snapshot, applied as a write of {@code version} would be (used by {@link Restore}). */
  public void restoreRow(long shardId, String db, String table, long version, Point p) {
    ShardStore s = shards.computeIfAbsent(shardId, id -> new ShardStore(id, db, table, staleOverwrite));
    s.apply(p, version, null);
  }

  /** What {@link #rotateWal} returns: the new segment and the shards changed in the older ones. */
  public record Rotation(long segment, Set<Long> changedShards) {}

  /**
   * Starts a new WAL segment; every record in older segments is then applied in memory, so a snapshot
   * taken after this call covers them. Returns the shards changed since the previous rotation.
   */
  public Rotation rotateWal() throws IOException {
    rotateLock.writeLock().lock();
    try {
      long seq = segments.rotate();
      Set<Long> shardsChanged = Set.copyOf(changed);
      changed.clear();
      pointsSinceRotation.set(0);
      return new Rotation(seq, shardsChanged);
    } finally {
      rotateLock.writeLock().unlock();
    }
  }

  /** Deletes the WAL segments before {@code segment} (their records are in committed snapshots). */
  public int deleteWalBefore(long segment) throws IOException {
    return segments.deleteBefore(segment);
  }

  /** Marks shards changed again (a snapshot cycle that took them failed before committing). */
  public void markChanged(Set<Long> shardIds) {
    changed.addAll(shardIds);
  }

  /** Points written since the last rotation. */
  public long pointsSinceRotation() {
    return pointsSinceRotation.get();
  }

  /** Whether any shard changed since the last rotation. */
  public boolean changedSinceRotation() {
    return !changed.isEmpty();
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
    if (segments == null) {
      CompletableFuture<Void> durable = wal.append(record.encode());
      applyInMemory(record, points);
      return durable;
    }
    rotateLock.readLock().lock();
    try {
      CompletableFuture<Void> durable = segments.append(record.encode());
      applyInMemory(record, points);
      changed.add(record.shardId());
      pointsSinceRotation.addAndGet(points.size());
      return durable;
    } finally {
      rotateLock.readLock().unlock();
    }
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
    byte[] tombstone = new WalRecord(shardId, db, table, DROPPED, new byte[0]).encode();
    if (segments == null) {
      CompletableFuture<Void> durable = wal.append(tombstone);
      shards.remove(shardId);
      return durable;
    }
    rotateLock.readLock().lock();
    try {
      CompletableFuture<Void> durable = segments.append(tombstone);
      shards.remove(shardId);
      changed.add(shardId);
      return durable;
    } finally {
      rotateLock.readLock().unlock();
    }
  }

  public ShardStore shard(long id) {
    return shards.get(id);
  }

  public Collection<ShardStore> shards() {
    return new ArrayList<>(shards.values());
  }

  @Override
  public void close() throws IOException {
    if (wal != null) {
      wal.close();
    } else {
      segments.close();
    }
  }
}
