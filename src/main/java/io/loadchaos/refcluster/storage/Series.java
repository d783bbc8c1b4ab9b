package io.loadchaos.refcluster.storage;

import io.loadchaos.refcluster.lp.FieldType;
import io.loadchaos.refcluster.lp.LineProtocolWriter;
import java.util.Arrays;

/** All rows of one series (measurement + tag set) in one shard, keyed by time in ns. */
public final class Series {
  final String measurement;
  final String[] tagKeys;
  final String[] tagValues;
  private volatile String key;
  private final TimeRows rows = new TimeRows();
  // rows of a series nearly always carry the same fields: share one names/types array between them
  private String[] sharedNames = new String[0];
  private FieldType[] sharedTypes = new FieldType[0];

  Series(String measurement, String[] tagKeys, String[] tagValues) {
    this.measurement = measurement;
    this.tagKeys = tagKeys;
    this.tagValues = tagValues;
  }

  /** Returns true when the row is new (not an overwrite). */
  synchronized boolean put(long time, long version, String[] names, FieldType[] types, Object[] values) {
    if ((names == sharedNames || Arrays.equals(names, sharedNames)) && (types == sharedTypes || Arrays.equals(types, sharedTypes))) {
      names = sharedNames;
      types = sharedTypes;
    } else {
      sharedNames = names;
      sharedTypes = types;
    }
    Row row = new Row(version, names, types, values);
    Row old = rows.putIfAbsent(time, row);
    if (old == null) {
      return true;
    }
    rows.put(time, Row.merge(old, row));
    return false;
  }

  synchronized void forEach(long minTime, long maxTime, RowVisitor visitor) {
    rows.forEach((t, row) -> {
      if (t >= minTime && t <= maxTime) {
        visitor.visit(this, t, row);
      }
    });
  }

  /** Canonical series key: measurement plus sorted tags, escaped as in line protocol. */
  public String key() {
    String k = key;
    if (k == null) {
      StringBuilder sb = new StringBuilder(64);
      LineProtocolWriter.appendSeriesKey(sb, measurement, tagKeys, tagValues);
      key = k = sb.toString();
    }
    return k;
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

  /** Open-addressing map from a time (any long) to its row: no boxing, no entry objects. */
  static final class TimeRows {
    private long[] keys = new long[8];
    private Row[] values = new Row[8];
    private int size;

    private static int slot(long key, int mask) {
      long h = key * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32)) & mask;
    }

    /** Stores the row when the time is new and returns null; else returns the stored row unchanged. */
    Row putIfAbsent(long key, Row row) {
      int mask = keys.length - 1;
      int i = slot(key, mask);
      while (values[i] != null) {
        if (keys[i] == key) {
          return values[i];
        }
        i = (i + 1) & mask;
      }
      keys[i] = key;
      values[i] = row;
      if (++size * 4 > keys.length * 3) {
        grow();
      }
      return null;
    }

    void put(long key, Row row) {
      int mask = keys.length - 1;
      int i = slot(key, mask);
      while (values[i] != null) {
        if (keys[i] == key) {
          values[i] = row;
          return;
        }
        i = (i + 1) & mask;
      }
      keys[i] = key;
      values[i] = row;
      if (++size * 4 > keys.length * 3) {
        grow();
      }
    }

    int size() {
      return size;
    }

    private void grow() {
      long[] oldKeys = keys;
      Row[] oldValues = values;
      keys = new long[oldKeys.length * 2];
      values = new Row[oldKeys.length * 2];
      int mask = keys.length - 1;
      for (int j = 0; j < oldKeys.length; j++) {
        if (oldValues[j] != null) {
          int i = slot(oldKeys[j], mask);
          while (values[i] != null) {
            i = (i + 1) & mask;
          }
          keys[i] = oldKeys[j];
          values[i] = oldValues[j];
        }
      }
    }

    interface Visitor {
      void visit(long time, Row row);
    }

    void forEach(Visitor v) {
      for (int i = 0; i < keys.length; i++) {
        if (values[i] != null) {
          v.visit(keys[i], values[i]);
        }
      }
    }
  }
}
