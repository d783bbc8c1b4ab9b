package io.loadchaos.refcluster.storage;

import io.loadchaos.refcluster.lp.Point;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** This node's copy of one shard, in memory (the WAL makes it durable). */
public final class ShardStore {
  private final long shardId;
  private final String db;
  private final String table;
  private final ConcurrentHashMap<SeriesId, Series> series = new ConcurrentHashMap<>();
  private final AtomicLong rowCount = new AtomicLong();
  private final boolean staleOverwrite;

  ShardStore(long shardId, String db, String table) {
    this(shardId, db, table, false);
  }

  /** {@code staleOverwrite}: the deliberate defect, an overwrite keeps the old field values. */
  ShardStore(long shardId, String db, String table, boolean staleOverwrite) {
    this.shardId = shardId;
    this.db = db;
    this.table = table;
    this.staleOverwrite = staleOverwrite;
  }

  void apply(Point p, long version) {
    apply(p, version, null);
  }

  /**
   * Stores one point; {@code hint} is the series the previous point of the same batch went to (or
   * null): reused without a lookup when this point has the same series. Returns the point's series.
   */
  Series apply(Point p, long version, Series hint) {
    Series s;
    if (hint != null && sameSeries(hint, p)) {
      s = hint;
    } else {
      SeriesId id = new SeriesId(p.measurement(), p.tagKeys(), p.tagValues());
      s = series.get(id);
      if (s == null) {
        s = series.computeIfAbsent(id, k -> new Series(k.measurement, k.tagKeys, k.tagValues));
      }
    }
    if (s.put(p.timeNs(), version, p.fieldNames(), p.fieldTypes(), p.fieldValues(), staleOverwrite)) {
      rowCount.incrementAndGet();
    }
    return s;
  }

  private static boolean sameSeries(Series s, Point p) {
    return (s.tagValues == p.tagValues() || Arrays.equals(s.tagValues, p.tagValues()))
        && (s.tagKeys == p.tagKeys() || Arrays.equals(s.tagKeys, p.tagKeys()))
        && s.measurement.equals(p.measurement());
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

  /** Series identity (measurement + sorted tags) without building the escaped key string. */
  private static final class SeriesId {
    final String measurement;
    final String[] tagKeys;
    final String[] tagValues;
    final int hash;

    SeriesId(String measurement, String[] tagKeys, String[] tagValues) {
      this.measurement = measurement;
      this.tagKeys = tagKeys;
      this.tagValues = tagValues;
      int h = measurement.hashCode();
      for (int i = 0; i < tagKeys.length; i++) {
        h = 31 * (31 * h + tagKeys[i].hashCode()) + tagValues[i].hashCode();
      }
      this.hash = h;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SeriesId other && hash == other.hash && measurement.equals(other.measurement)
          && Arrays.equals(tagKeys, other.tagKeys) && Arrays.equals(tagValues, other.tagValues);
    }
  }
}
