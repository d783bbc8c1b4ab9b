package io.loadchaos.refcluster.storage;

import io.loadchaos.refcluster.lp.Point;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** This node's copy of one shard, in memory (the WAL makes it durable). */
public final class ShardStore {
  private final long shardId;
  private final String db;
  private final String table;
  private final ConcurrentHashMap<String, Series> series = new ConcurrentHashMap<>();
  private final AtomicLong rowCount = new AtomicLong();

  ShardStore(long shardId, String db, String table) {
    this.shardId = shardId;
    this.db = db;
    this.table = table;
  }

  void apply(Point p, long version) {
    String key = p.seriesKey();
    Series s = series.computeIfAbsent(key, k -> new Series(k, p.tagKeys(), p.tagValues()));
    if (s.put(p.timeNs(), new Row(version, p.fieldNames(), p.fieldTypes(), p.fieldValues()))) {
      rowCount.incrementAndGet();
    }
  }

  /** Visits rows with {@code minTime <= time <= maxTime}. */
  public void scan(long minTime, long maxTime, Series.RowVisitor visitor) {
    for (Series s : series.values()) {
      s.forEach(minTime, maxTime, visitor);
    }
  }

  public long shardId() {
    return shardId;
  }

  public String db() {
    return db;
  }

  public String table() {
    return table;
  }

  public long rowCount() {
    return rowCount.get();
  }
}
