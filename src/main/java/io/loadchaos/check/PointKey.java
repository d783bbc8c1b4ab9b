package io.loadchaos.check;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical identity, hash and text of a point, shared by the expected (regenerated) and the actual
 * (queried) side so that both hash identically when they hold the same data.
 *
 * <p>The hash covers the series key, the timestamp and every field's name, kind and value, and is
 * non-linear in all of them together: summed over a series (or a shard) it changes when values move
 * between timestamps or fields, when a point moves to another series, or when a value changes kind.
 * Kinds are integer (signed and unsigned are one: JSON cannot tell them apart), float, boolean and
 * string. With {@code exactTypes} false (read paths that cannot carry float vs integer, such as
 * InfluxDB 1.x JSON, which writes the float 1.0 as {@code 1}), numbers compare by value only.
 */
public final class PointKey {
  private PointKey() {}

  /** The kind of a field value as the checks compare it. */
  public enum Kind {
    INT("int"), FLOAT("float"), BOOL("bool"), STRING("string");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private static final long INT_TAG = 0x1b873593_2c1b3c6dL;
  private static final long FLOAT_TAG = 0x5bd1e995_cc9e2d51L;
  private static final long BOOL_TAG = 0x27d4eb2f_165667b1L;
  private static final long STRING_TAG = 0x9e3779b9_7f4a7c15L;
  private static final long BIG_TAG = 0x85ebca6b_c2b2ae35L;

  /** The kind of a value: Long/Integer/Short/Byte/BigInteger are integers, other numbers floats. */
  public static Kind kind(Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof BigInteger) {
      return Kind.INT;
    }
    if (v instanceof Number) return Kind.FLOAT;
    if (v instanceof Boolean) return Kind.BOOL;
    return Kind.STRING;
  }

  /**
   * The value-only form of a value (for read paths without exact numeric types): integral numbers
   * as Long (floats only below 2^53, where they are exact), other numbers as Double, rest as is.
   */
  public static Object valueOnly(Object v) {
    if (v instanceof Number n) {
      if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) return n.longValue();
      if (n instanceof BigInteger bi) return bi.bitLength() < 64 ? (Object) bi.longValue() : (Object) bi.doubleValue();
      double d = n.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 9.0e15) return (long) d;
      return d;
    }
    return v;
  }

  /** The strong 64-bit hash of one point; sums of it over a series or shard are the aggregates. */
  public static long hash(ExpectedData.Point p, boolean exactTypes) {
    return hash(p.seriesKey(), p.timestampNanos(), p.fields(), exactTypes);
  }

  public static long hash(String seriesKey, long timestampNanos, Map<String, Object> fields, boolean exactTypes) {
    long fieldSum = 0;
    for (var e : fields.entrySet()) {
      Object v = e.getValue();
      if (v == null) continue;
      fieldSum += mix(text64(e.getKey()) * 0x9e3779b97f4a7c15L + valueHash(v, exactTypes));
    }
    long h = mix(text64(seriesKey) ^ mix(timestampNanos + 0x632be59bd9b4e019L));
    return mix(h + fieldSum * 0xbf58476d1ce4e5b9L);
  }

  private static long valueHash(Object v, boolean exactTypes) {
    if (!exactTypes && v instanceof Number) v = valueOnly(v);
    return switch (kind(v)) {
      case INT -> v instanceof BigInteger bi && bi.bitLength() >= 64
          ? mix(BIG_TAG ^ text64(bi.toString())) : mix(INT_TAG ^ ((Number) v).longValue());
      case FLOAT -> mix(FLOAT_TAG ^ doubleBits(((Number) v).doubleValue()));
      case BOOL -> mix(BOOL_TAG ^ (((Boolean) v) ? 1 : 2));
      case STRING -> mix(STRING_TAG ^ text64(v.toString()));
    };
  }

  /** -0.0 equals 0.0 and every NaN is one NaN, as line protocol and SQL treat them. */
  private static long doubleBits(double d) {
    return Double.doubleToLongBits(d == 0 ? 0.0 : d);
  }

  /**
   * Canonical text of the fields, sorted by name, for exact comparison and examples: with exact
   * types each value names its kind ({@code usage=1.0(float)}, {@code usage=1(int)}), without
   * numbers are shown by value only.
   */
  public static String fieldsText(Map<String, Object> fields, boolean exactTypes) {
    Map<String, Object> sorted = new TreeMap<>();
    fields.forEach((k, v) -> {
      if (v != null) sorted.put(k, v);
    });
    StringBuilder sb = new StringBuilder("{");
    sorted.forEach((k, v) -> {
      if (sb.length() > 1) sb.append(", ");
      sb.append(k).append('=');
      if (!exactTypes && v instanceof Number) {
        sb.append(valueOnly(v));
        return;
      }
      Kind kind = kind(v);
      sb.append(switch (kind) {
        case INT -> v.toString();
        case FLOAT -> v instanceof BigDecimal bd ? Double.toString(bd.doubleValue())
            : Double.toString(((Number) v).doubleValue() == 0 ? 0.0 : ((Number) v).doubleValue());
        default -> v.toString();
      }).append('(').append(kind.label).append(')');
    });
    return sb.append('}').toString();
  }

  /** 64-bit hash of a string's characters (a 32-bit String.hashCode collides too easily). */
  static long text64(String s) {
    long h = 0xcbf29ce484222325L ^ s.length();
    for (int i = 0; i < s.length(); i++) h = (h ^ s.charAt(i)) * 0x100000001b3L;
    return mix(h);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
