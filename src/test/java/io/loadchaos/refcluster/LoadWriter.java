package io.loadchaos.refcluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Background writers for the management tests: each batch has unique {@code seq} values (an
 * int64 field), so a read-back can tell exactly which acknowledged points are missing. Bounded in
 * batches and time; {@link #close()} stops and joins every thread.
 */
final class LoadWriter implements AutoCloseable {
  /** Middle of the current hour: every point falls in one time shard. */
  static final long BASE_NS = (System.currentTimeMillis() / 3_600_000L * 3_600_000L + 1_800_000L) * 1_000_000L;

  private final List<String> urls;
  private final String db;
  private final String table;
  private final int batchSize;
  private final AtomicLong seq;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  final Set<Long> acked = ConcurrentHashMap.newKeySet();
  final Set<Long> unknown = ConcurrentHashMap.newKeySet();
  final AtomicLong batchesAcked = new AtomicLong();

  LoadWriter(List<String> urls, String db, String table, int batchSize, AtomicLong seq) {
    this.urls = List.copyOf(urls);
    this.db = db;
    this.table = table;
    this.batchSize = batchSize;
    this.seq = seq;
  }

  /** Writes one batch synchronously; returns the HTTP status. */
  int writeBatch(String url) {
    long first = seq.getAndAdd(batchSize);
    StringBuilder sb = new StringBuilder();
    for (long s = first; s < first + batchSize; s++) {
      sb.append(table).append(",host=h").append(s % 30).append(" seq=").append(s).append("i,v=").append(s % 997).append(' ')
          .append(BASE_NS + s).append('\n');
    }
    int status = Http.writeLp(url, db, sb.toString()).status();
    for (long s = first; s < first + batchSize; s++) {
      (status == 204 ? acked : unknown).add(s);
    }
    if (status == 204) {
      batchesAcked.incrementAndGet();
    }
    return status;
  }

  /** Starts {@code n} writer threads, each writing at most {@code maxBatches} batches within {@code maxMillis}. */
  LoadWriter start(int n, int maxBatches, long maxMillis) {
    long deadline = System.currentTimeMillis() + maxMillis;
    for (int i = 0; i < n; i++) {
      int offset = i;
      Thread t = new Thread(() -> {
        for (int b = 0; b < maxBatches && !stop.get() && System.currentTimeMillis() < deadline; b++) {
          writeBatch(urls.get((b + offset) % urls.size()));
        }
      }, "load-writer-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    return this;
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(60_000);
    }
  }
}
