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
  // rows in time order, appended while times only grow (the usual case: no hashing, sequential
  // memory); a time older than the newest that is not already here goes to the overflow map
  private long[] times = new long[8];
  private long[] versions = new long[8];
  private Object[] stored = new Object[8];
  private int count;
  private TimeRows overflow;
  // rows of a series nearly always carry the same numeric fields: such a row is stored as a bare
  // long[] of its values (one small object per row, less for the GC to copy) in this layout
  private String[] primaryNames;
  private FieldType[] primaryTypes;
  // other rows are Row objects; those share one names/types array between them
  private String[] sharedNames = new String[0];
  private FieldType[] sharedTypes = new FieldType[0];

  Series(String measurement, String[] tagKeys, String[] tagValues) {
    this.measurement = measurement;
    this.tagKeys = tagKeys;
    this.tagValues = tagValues;
  }

  /** Returns true when the row is new (not an overwrite). */
  synchronized boolean put(long time, long version, String[] names, FieldType[] types, Object[] values) {
    return put(time, version, names, types, values, false);
  }

  /** As above; {@code staleWins}: the deliberate stale-overwrite defect (see {@link Row#merge(Row, Row, boolean)}). */
  synchronized boolean put(long time, long version, String[] names, FieldType[] types, Object[] values, boolean staleWins) {
    if (primaryNames == null && packable(types, values)) {
      primaryNames = names;
      primaryTypes = types;
    }
    Object stored;
    if ((names == primaryNames || Arrays.equals(names, primaryNames)) && (types == primaryTypes || Arrays.equals(types, primaryTypes))
        && packable(types, values)) {
      stored = pack(types, values);
    } else {
      if ((names == sharedNames || Arrays.equals(names, sharedNames)) && (types == sharedTypes || Arrays.equals(types, sharedTypes))) {
        names = sharedNames;
        types = sharedTypes;
      } else {
        sharedNames = names;
        sharedTypes = types;
      }
      stored = new Row(version, names, types, values);
    }
    if (count == 0 || time > times[count - 1]) {
      // newer than everything here (the overflow only holds older times): append
      insertSorted(count, time, version, stored);
      return true;
    }
    int at = Arrays.binarySearch(times, 0, count, time);
    if (at >= 0) {
      Row merged = Row.merge(rowAt(at), new Row(version, names, types, values), staleWins);
      versions[at] = merged.version();
      this.stored[at] = merged;
      return false;
    }
    int pos = -at - 1;
    if (count - pos <= MAX_SHIFT && (overflow == null || overflow.slotOfExisting(time) < 0)) {
      // slightly late (concurrent batches, small skew): shift a few rows to keep time order
      insertSorted(pos, time, version, stored);
      return true;
    }
    if (overflow == null) {
      overflow = new TimeRows();
    }
    int slot = overflow.slotOf(time);
    if (slot < 0) {
      overflow.insertAt(-slot - 1, time, version, stored);
      return true;
    }
    Row merged = Row.merge(overflow.row(slot, this), new Row(version, names, types, values), staleWins);
    overflow.set(slot, merged.version(), merged);
    return false;
  }

  /** Late rows closer than this to the newest are inserted in order; older ones go to the overflow map. */
  private static final int MAX_SHIFT = 512;

  private void insertSorted(int pos, long time, long version, Object value) {
    if (count == times.length) {
      int n = count * 2;
      times = Arrays.copyOf(times, n);
      versions = Arrays.copyOf(versions, n);
      stored = Arrays.copyOf(stored, n);
    }
    if (pos < count) {
      System.arraycopy(times, pos, times, pos + 1, count - pos);
      System.arraycopy(versions, pos, versions, pos + 1, count - pos);
      System.arraycopy(stored, pos, stored, pos + 1, count - pos);
    }
    times[pos] = time;
    versions[pos] = version;
    stored[pos] = value;
    count++;
  }

  private Row rowAt(int i) {
    Object v = stored[i];
    return v instanceof Row r ? r : new Row(versions[i], primaryNames, primaryTypes, unpack((long[]) v));
  }

  /** Whether every value fits a long (numbers and booleans, none missing). */
  private static boolean packable(FieldType[] types, Object[] values) {
    for (int i = 0; i < types.length; i++) {
      if (types[i] == FieldType.STRING || values[i] == null) {
        return false;
      }
    }
    return true;
  }

  private static long[] pack(FieldType[] types, Object[] values) {
    long[] bits = new long[values.length];
    for (int i = 0; i < bits.length; i++) {
      Object v = values[i];
      bits[i] = switch (types[i]) {
        case FLOAT -> Double.doubleToRawLongBits((Double) v);
        case BOOLEAN -> ((Boolean) v) ? 1L : 0L;
        default -> (Long) v;
      };
    }
    return bits;
  }

  private Object[] unpack(long[] bits) {
    Object[] values = new Object[bits.length];
    for (int i = 0; i < bits.length; i++) {
      values[i] = switch (primaryTypes[i]) {
        case FLOAT -> Double.longBitsToDouble(bits[i]);
        case BOOLEAN -> bits[i] != 0;
        default -> bits[i];
      };
    }
    return values;
  }

  synchronized void forEach(long minTime, long maxTime, RowVisitor visitor) {
    int from = Arrays.binarySearch(times, 0, count, minTime);
    for (int i = from >= 0 ? from : -from - 1; i < count && times[i] <= maxTime; i++) {
      visitor.visit(this, times[i], rowAt(i));
    }
    if (overflow != null) {
      overflow.forEach(this, (t, row) -> {
        if (t >= minTime && t <= maxTime) {
          visitor.visit(this, t, row);
        }
      });
    }
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

  public String measurement() {
    return measurement;
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

  /**
   * Open-addressing map from a time (any long) to its row: no boxing, no entry objects. A slot
   * holds the version and either a Row or the packed long[] values of a primary-layout row.
   */
  static final class TimeRows {
    private long[] keys = new long[8];
    private long[] versions = new long[8];
    private Object[] values = new Object[8];
    private int size;
    private int shift = 64 - 3;

    /**
     * Fibonacci hashing (the top bits of key * 2^64/phi): times of a series are mostly an
     * arithmetic progression, which this spreads almost perfectly, so probes stay short.
     */
    private static int hash(long key, int shift) {
      return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    /** The slot holding this time, or -(empty slot + 1) where it would go. */
    int slotOf(long key) {
      if ((size + 1) * 4 > keys.length * 3) {
        grow();
      }
      return probe(key);
    }

    /** The slot holding this time, or -1 (never grows the table). */
    int slotOfExisting(long key) {
      int slot = probe(key);
      return slot >= 0 ? slot : -1;
    }

    /** Linear probing: the slot holding this time, or -(empty slot + 1). */
    private int probe(long key) {
      int mask = keys.length - 1;
      int i = hash(key, shift);
      while (values[i] != null) {
        if (keys[i] == key) {
          return i;
        }
        i = (i + 1) & mask;
      }
      return -i - 1;
    }

    /** Stores a new time at the empty slot slotOf just returned (no other change in between). */
    void insertAt(int i, long key, long version, Object value) {
      keys[i] = key;
      versions[i] = version;
      values[i] = value;
      size++;
    }

    void set(int slot, long version, Object value) {
      versions[slot] = version;
      values[slot] = value;
    }

    Row row(int slot, Series s) {
      Object v = values[slot];
      return v instanceof Row r ? r : new Row(versions[slot], s.primaryNames, s.primaryTypes, s.unpack((long[]) v));
    }

    int size() {
      return size;
    }

    private void grow() {
      long[] oldKeys = keys;
      long[] oldVersions = versions;
      Object[] oldValues = values;
      int n = oldKeys.length * 2;
      keys = new long[n];
      versions = new long[n];
      values = new Object[n];
      shift--;
      int mask = n - 1;
      for (int j = 0; j < oldKeys.length; j++) {
        if (oldValues[j] != null) {
          int i = hash(oldKeys[j], shift);
          while (values[i] != null) {
            i = (i + 1) & mask;
          }
          keys[i] = oldKeys[j];
          versions[i] = oldVersions[j];
          values[i] = oldValues[j];
        }
      }
    }

    interface Visitor {
      void visit(long time, Row row);
    }

    void forEach(Series s, Visitor v) {
      for (int i = 0; i < keys.length; i++) {
        if (values[i] != null) {
          v.visit(keys[i], row(i, s));
        }
      }
    }
  }
}
