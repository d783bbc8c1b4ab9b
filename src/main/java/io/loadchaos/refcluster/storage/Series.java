package io.loadchaos.refcluster.storage;

import java.util.HashMap;
import java.util.Map;

/** All rows of one series (measurement + tag set) in one shard, keyed by time in ns. */
public final class Series {
  final String key;
  final String[] tagKeys;
  final String[] tagValues;
  private final HashMap<Long, Row> rows = new HashMap<>();
  // rows of a series nearly always carry the same fields: share one names/types array between them
  private String[] sharedNames = new String[0];
  private io.loadchaos.refcluster.lp.FieldType[] sharedTypes = new io.loadchaos.refcluster.lp.FieldType[0];

  Series(String key, String[] tagKeys, String[] tagValues) {
    this.key = key;
    this.tagKeys = tagKeys;
    this.tagValues = tagValues;
  }

  /** Returns true when the row is new (not an overwrite). */
  synchronized boolean put(long time, Row row) {
    if (java.util.Arrays.equals(row.names(), sharedNames) && java.util.Arrays.equals(row.types(), sharedTypes)) {
      row = new Row(row.version(), sharedNames, sharedTypes, row.values());
    } else {
      sharedNames = row.names();
      sharedTypes = row.types();
    }
    Row old = rows.get(time);
    if (old == null) {
      rows.put(time, row);
      return true;
    }
    rows.put(time, Row.merge(old, row));
    return false;
  }

  synchronized void forEach(long minTime, long maxTime, RowVisitor visitor) {
    for (Map.Entry<Long, Row> e : rows.entrySet()) {
      long t = e.getKey();
      if (t >= minTime && t <= maxTime) {
        visitor.visit(this, t, e.getValue());
      }
    }
  }

  public String key() {
    return key;
  }

  public String[] tagKeys() {
    return tagKeys;
  }

  public String[] tagValues() {
    return tagValues;
  }

  /** Called for every row a scan selects. */
  @FunctionalInterface
  public interface RowVisitor {
    void visit(Series series, long timeNs, Row row);
  }
}
