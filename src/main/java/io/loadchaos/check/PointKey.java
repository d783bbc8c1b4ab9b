package io.loadchaos.check;

import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical identity and value fingerprint of a point, shared by the expected (regenerated) and
 * the actual (queried) side so that both hash identically whatever the wire types were.
 */
public final class PointKey {
  private PointKey() {}

  /** Normalizes a field value: integral numbers as Long, other numbers as Double, rest as is. */
  public static Object normalize(Object v) {
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) return n.longValue();
      if (n instanceof java.math.BigInteger bi) return bi.bitLength() < 63 ? (Object) bi.longValue() : (Object) d;
      if (d == Math.rint(d) && Math.abs(d) < 9.0e15) return (long) d;
      return d;
    }
    return v;
  }

  /** Order-independent 64-bit fingerprint of a point's timestamp and fields. */
  public static long fingerprint(long timestampNanos, Map<String, Object> fields) {
    long h = mix(timestampNanos);
    for (var e : fields.entrySet()) {
      if (e.getValue() == null) continue;
      Object v = normalize(e.getValue());
      h += mix(e.getKey().hashCode() * 31L + v.hashCode() + (v instanceof Double ? 7 : 0));
    }
    return h;
  }

  /** Canonical text of the fields, for examples and exact comparison. */
  public static String fieldsText(Map<String, Object> fields) {
    Map<String, Object> sorted = new TreeMap<>();
    fields.forEach((k, v) -> {
      if (v != null) sorted.put(k, normalize(v));
    });
    return sorted.toString();
  }

  static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
