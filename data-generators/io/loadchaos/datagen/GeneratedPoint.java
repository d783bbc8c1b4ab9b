package io.loadchaos.datagen;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One generated point, unformatted. A reused flyweight: the visitor must copy what it keeps. The
 * map and string accessors build new objects on each call; the raw accessors do not.
 */
public final class GeneratedPoint {
  final LineProtocolGenerator gen;
  final long[] tagIndex;
  final long[] fieldRaw;
  int table;
  long tableIndex; // index of the point among its table's points in the run
  long globalIndex;
  int writer;
  long seq;
  int indexInBatch;
  long timestampUnits;
  TimeShift shift;
  long overwrittenIndex = -1;

  GeneratedPoint(LineProtocolGenerator gen, int maxTags, int maxFields) {
    this.gen = gen;
    this.tagIndex = new long[maxTags];
    this.fieldRaw = new long[maxFields];
  }

  public String table() {
    return gen.spec().tables().get(table).name();
  }

  /** Position of the table in the spec. */
  public int tableOrdinal() {
    return table;
  }

  /** Canonical series identity: "k1=v1,k2=v2" with tag keys sorted, values unescaped. */
  public String seriesKey() {
    StringBuilder b = new StringBuilder(64);
    for (Map.Entry<String, String> e : tags().entrySet()) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(e.getKey()).append('=').append(e.getValue());
    }
    return b.toString();
  }

  /** Tag key to (unescaped) value, sorted by key. */
  public Map<String, String> tags() {
    var spec = gen.spec().tables().get(table);
    TreeMap<String, String> m = new TreeMap<>();
    for (int i = 0; i < spec.tags().size(); i++) {
      TagSpec t = spec.tags().get(i);
      m.put(t.name(), t.value(tagIndex[i]));
    }
    return Collections.unmodifiableMap(m);
  }

  /** The index of tag {@code i} (declaration order) among that tag's values. */
  public long tagValueIndex(int i) {
    return tagIndex[i];
  }

  /** Always nanoseconds since the epoch, whatever the precision of the line protocol. */
  public long timestampNanos() {
    return timestampUnits * gen.spec().precisionNanos();
  }

  /** The timestamp as written in line protocol, in units of the spec's precision. */
  public long timestampUnits() {
    return timestampUnits;
  }

  /**
   * Field name to value in declaration order: Double (float), Long (integer and unsigned), Boolean,
   * String.
   */
  public Map<String, Object> fields() {
    var spec = gen.spec().tables().get(table);
    LinkedHashMap<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < spec.fields().size(); i++) {
      m.put(spec.fields().get(i).name(), gen.fieldValue(table, i, fieldRaw[i]));
    }
    return Collections.unmodifiableMap(m);
  }

  /** Which time skew moved this point. */
  public TimeShift shift() {
    return shift;
  }

  /**
   * True if this point repeats the (table, series, timestamp) of an earlier point (only for tables
   * with an overwrite spec): with wins LAST its field values must be the ones read back, with ANY
   * either may be.
   */
  public boolean overwrites() {
    return overwrittenIndex >= 0;
  }

  /** The global index of the original point whose key this one repeats, or -1. */
  public long overwrittenIndex() {
    return overwrittenIndex;
  }

  public int writer() {
    return writer;
  }

  public long seq() {
    return seq;
  }

  /** Line number (0-based) of this point inside its batch. */
  public int indexInBatch() {
    return indexInBatch;
  }

  /** Position of the point in the whole run (all writers). */
  public long globalIndex() {
    return globalIndex;
  }

  @Override
  public String toString() {
    return table() + "{" + seriesKey() + "} " + fields() + " @" + timestampNanos();
  }
}
