package io.loadchaos.refcluster.snapshot;

import io.loadchaos.objectstore.S3Clients;
import io.loadchaos.refcluster.storage.NodeStorage;
import io.loadchaos.refcluster.storage.ShardStore;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Snapshots a node's shard copies to Parquet in the object store and drops the WAL they cover
 * (docs/storage.md). A cycle: rotate the WAL (older segments are then all in memory), write and
 * upload each shard changed since the last cycle as {@code <db>/<table>/<shard>/<node>/snapshot-<cycle>.parquet},
 * commit the index (atomic rename), delete the covered WAL segments, then the superseded objects.
 * A crash at any step leaves either the old index with all its WAL, or the new one whose covered
 * segments a start deletes; rows a snapshot holds that the kept WAL holds too are applied twice,
 * which leaves them as they were (same version, same values).
 */
public final class Snapshotter implements NodeStorage.Restore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Snapshotter.class);
  /** The file a node creates when it stops before truncating its WAL ({@link SnapshotSettings#pauseBeforeWalTruncate}). */
  public static final String PAUSE_MARKER = "paused-before-wal-truncate";

  private final String nodeId;
  private final SnapshotSettings settings;
  private final Path dir;
  private final Path indexFile;
  private final S3Client s3;
  private volatile SnapshotIndex index;
  private volatile NodeStorage storage;
  private final Thread thread;
  private volatile boolean closed;
  private long lastCycleNanos = System.nanoTime();

  public Snapshotter(String nodeId, SnapshotSettings settings, Path dataDir) throws IOException {
    this.nodeId = nodeId;
    this.settings = settings;
    this.dir = dataDir.resolve("snapshots");
    this.indexFile = dir.resolve("index.json");
    Files.createDirectories(dir.resolve("work"));
    this.s3 = S3Clients.create(settings.endpoint(), settings.credentials());
    this.index = SnapshotIndex.load(indexFile);
    this.thread = new Thread(this::loop, "snapshotter");
    this.thread.setDaemon(true);
  }

  /** Loads every committed snapshot into {@code into}; returns the first WAL segment to replay. */
  @Override
  public long restore(NodeStorage into) throws IOException {
    SnapshotIndex idx = index;
    long rows = 0;
    for (SnapshotIndex.Entry e : idx.shards()) {
      Path local = dir.resolve("work").resolve("restore-" + e.shard() + ".parquet");
      try {
        Files.deleteIfExists(local);
        s3.getObject(b -> b.bucket(settings.bucket()).key(e.key()), local);
      } catch (SdkException ex) {
        throw new IOException("cannot download snapshot " + e.key() + " of shard " + e.shard() + ": " + ex.getMessage(), ex);
      }
      long n = ParquetShardFile.read(local, e.columns(), (p, v) -> into.restoreRow(e.shard(), e.db(), e.table(), v, p));
      Files.delete(local);
      if (n != e.rows()) {
        throw new IOException("snapshot " + e.key() + " holds " + n + " rows, its index entry says " + e.rows());
      }
      rows += n;
    }
    log.info("snapshots loaded: {} shards, {} rows (cycle {}), WAL from segment {}", idx.shards().size(), rows, idx.cycle(), idx.walFrom());
    return idx.walFrom();
  }

  /** Starts the background cycles on {@code storage} (the storage this restored). */
  public void start(NodeStorage storage) {
    this.storage = storage;
    thread.start();
  }

  public SnapshotIndex index() {
    return index;
  }

  private void loop() {
    while (!closed) {
      try {
        Thread.sleep(100);
        NodeStorage s = storage;
        boolean rowsDue = s.pointsSinceRotation() >= settings.rows();
        boolean timeDue = s.changedSinceRotation() && System.nanoTime() - lastCycleNanos >= settings.interval().toNanos();
        if (rowsDue || timeDue) {
          snapshotOnce();
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        log.warn("snapshot cycle failed (the WAL keeps everything; next try in {})", settings.interval(), e);
        lastCycleNanos = System.nanoTime();
      }
    }
  }

  /** One cycle (see the class comment); returns the committed index. */
  public synchronized SnapshotIndex snapshotOnce() throws IOException, InterruptedException {
    NodeStorage s = storage;
    NodeStorage.Rotation rotation = s.rotateWal();
    lastCycleNanos = System.nanoTime();
    SnapshotIndex old = index;
    long cycle = old.cycle() + 1;
    Map<Long, SnapshotIndex.Entry> next = new TreeMap<>();
    for (SnapshotIndex.Entry e : old.shards()) {
      next.put(e.shard(), e);
    }
    List<String> superseded = new ArrayList<>();
    long rows = 0;
    try {
      for (long id : rotation.changedShards()) {
        SnapshotIndex.Entry previous = next.remove(id);
        if (previous != null) {
          superseded.add(previous.key());
        }
        ShardStore shard = s.shard(id);
        if (shard == null) {
          continue; // dropped: its entry goes
        }
        Path file = dir.resolve("work").resolve(id + "-" + cycle + ".parquet");
        ParquetShardFile.Written w = ParquetShardFile.write(shard, file);
        String key = key(shard, cycle);
        s3.putObject(b -> b.bucket(settings.bucket()).key(key).contentType("application/vnd.apache.parquet"), RequestBody.fromFile(file));
        Files.delete(file);
        next.put(id, new SnapshotIndex.Entry(id, shard.db(), shard.table(), key, w.rows(), w.columns()));
        rows += w.rows();
      }
    } catch (IOException | RuntimeException e) {
      // nothing committed: those shards are written again next cycle, the WAL still holds their records
      s.markChanged(rotation.changedShards());
      throw e;
    }
    SnapshotIndex committed = new SnapshotIndex(cycle, rotation.segment(), List.copyOf(next.values()));
    committed.save(indexFile);
    index = committed;
    log.info("snapshot cycle {}: {} shards written ({} rows), index committed, WAL from segment {}", cycle, rotation.changedShards().size(),
        rows, rotation.segment());
    if (settings.pauseBeforeWalTruncate()) {
      // test-only: stop here until killed, so a test can SIGKILL between upload and WAL truncation
      Files.writeString(dir.resolve(PAUSE_MARKER), Long.toString(cycle));
      log.warn("snapshot cycle {}: paused before WAL truncation (--test-pause-before-wal-truncate)", cycle);
      while (!closed) {
        Thread.sleep(1_000);
      }
      return committed;
    }
    int deleted = s.deleteWalBefore(rotation.segment());
    for (String key : superseded) {
      try {
        s3.deleteObject(b -> b.bucket(settings.bucket()).key(key));
      } catch (SdkException e) {
        log.warn("cannot delete superseded snapshot {} (left in the bucket): {}", key, e.getMessage());
      }
    }
    log.info("snapshot cycle {}: {} WAL segments deleted, {} superseded objects deleted", cycle, deleted, superseded.size());
    return committed;
  }

  /** {@code <db>/<table>/<shard>/<node>/snapshot-<cycle>.parquet}, names URL-encoded so a '/' in one stays one level. */
  String key(ShardStore shard, long cycle) {
    return enc(shard.db()) + "/" + enc(shard.table()) + "/" + shard.shardId() + "/" + enc(nodeId) + "/snapshot-" + cycle + ".parquet";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    s3.close();
  }
}
