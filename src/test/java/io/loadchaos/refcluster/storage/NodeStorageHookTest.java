package io.loadchaos.refcluster.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.refcluster.lp.FieldType;
import io.loadchaos.refcluster.lp.Point;
import io.loadchaos.refcluster.wal.WalRecord;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shard move installs a write hook on the source and then snapshots the shard. A write that
 * looked the hook up just before it was installed is not remembered by the hook, so it must be
 * wholly in memory when the snapshot runs: else the snapshot carries only part of it and the
 * rest is lost when the source copy is cleaned (seen as 2 of one batch's points missing in
 * ShardMoveTest on a loaded machine). The write here is paused between two of its points.
 */
class NodeStorageHookTest {
  private static final long SHARD = 7;

  private static List<Point> points(long firstTime, int n) {
    List<Point> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Point("cpu", new String[] {"host"}, new String[] {"h" + i}, new String[] {"v"}, new FieldType[] {FieldType.FLOAT},
          new Object[] {(double) i}, firstTime + i));
    }
    return out;
  }

  private static long rows(NodeStorage storage) {
    ShardStore s = storage.shard(SHARD);
    AtomicLong n = new AtomicLong();
    if (s != null) {
      s.scan(Long.MIN_VALUE, Long.MAX_VALUE, (series, time, row) -> n.incrementAndGet());
    }
    return n.get();
  }

  @Test
  void setHookWaitsForAWriteThatMissedItSoTheSnapshotHoldsAllOfIt(@TempDir Path dir) throws Exception {
    try (NodeStorage storage = new NodeStorage(dir, true, ns -> {})) {
      List<Point> batch = points(1_000, 3);
      WalRecord rec = WalRecord.of(SHARD, "db", "cpu", 1, batch);
      CountDownLatch applying = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicBoolean paused = new AtomicBoolean();
      // the points as the storage applies them: the write stops after its first point
      List<Point> slow = new AbstractList<>() {
        @Override
        public Point get(int i) {
          if (i == 1 && paused.compareAndSet(false, true)) {
            applying.countDown();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return batch.get(i);
        }

        @Override
        public int size() {
          return batch.size();
        }
      };
      CompletableFuture<CompletableFuture<Void>> inFlight = CompletableFuture.supplyAsync(() -> storage.write(rec, slow));
      assertThat(applying.await(10, TimeUnit.SECONDS)).isTrue();

      // the move: install the hook, then snapshot (here: count the rows the snapshot would copy)
      List<WalRecord> hooked = new CopyOnWriteArrayList<>();
      AtomicLong snapshotRows = new AtomicLong(-1);
      Thread mover = new Thread(() -> {
        storage.setHook(SHARD, (r, p) -> {
          hooked.add(r);
          return CompletableFuture.completedFuture(null);
        });
        snapshotRows.set(rows(storage));
      }, "mover");
      mover.start();
      // either the mover finishes at once (the race is open) or it parks until the write is applied
      long deadline = System.currentTimeMillis() + 10_000;
      while (mover.isAlive() && mover.getState() != Thread.State.WAITING && System.currentTimeMillis() < deadline) {
        Thread.sleep(5);
      }
      release.countDown();
      mover.join(10_000);
      inFlight.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);

      assertThat(snapshotRows.get()).as("rows of the in-flight write the snapshot sees (all or nothing, never part)").isEqualTo(3);
      assertThat(hooked).as("the write that missed the hook is not handed to it").isEmpty();
      storage.write(WalRecord.of(SHARD, "db", "cpu", 2, points(2_000, 2)), points(2_000, 2)).get(10, TimeUnit.SECONDS);
      assertThat(hooked).as("a write after setHook goes to the hook").hasSize(1);
      assertThat(rows(storage)).isEqualTo(3);
    }
  }
}
