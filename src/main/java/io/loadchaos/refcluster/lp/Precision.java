package io.loadchaos.refcluster.lp;

import java.util.Locale;

/** Timestamp precision of a write request; AUTO guesses from the magnitude as InfluxDB 3 does. */
public enum Precision {
  NANOSECOND(1L),
  MICROSECOND(1_000L),
  MILLISECOND(1_000_000L),
  SECOND(1_000_000_000L),
  MINUTE(60_000_000_000L),
  HOUR(3_600_000_000_000L),
  AUTO(0L);

  private final long nanosPerUnit;

  Precision(long nanosPerUnit) {
    this.nanosPerUnit = nanosPerUnit;
  }

  public long toNanos(long value) {
    if (this != AUTO) {
      return Math.multiplyExact(value, nanosPerUnit);
    }
    long abs = Math.abs(value);
    if (abs < 5_000_000_000L) {
      return Math.multiplyExact(value, SECOND.nanosPerUnit);
    } else if (abs < 5_000_000_000_000L) {
      return Math.multiplyExact(value, MILLISECOND.nanosPerUnit);
    } else if (abs < 5_000_000_000_000_000L) {
      return Math.multiplyExact(value, MICROSECOND.nanosPerUnit);
    }
    return value;
  }

  /**
   * Parses the precision names used by the v3 (nanosecond, auto, ...), v2 (ns, us, ms, s) and v1
   * (n, u, ms, s, m, h) write APIs. Null or empty gives {@code dflt}.
   */
  public static Precision parse(String s, Precision dflt) {
    if (s == null || s.isEmpty()) {
      return dflt;
    }
    switch (s.toLowerCase(Locale.ROOT)) {
      case "auto":
        return AUTO;
      case "ns":
      case "n":
      case "nanosecond":
      case "nanoseconds":
        return NANOSECOND;
      case "us":
      case "u":
      case "µs":
      case "microsecond":
      case "microseconds":
        return MICROSECOND;
      case "ms":
      case "millisecond":
      case "milliseconds":
        return MILLISECOND;
      case "s":
      case "second":
      case "seconds":
        return SECOND;
      case "m":
      case "minute":
        return MINUTE;
      case "h":
      case "hour":
        return HOUR;
      default:
        throw new IllegalArgumentException(
            "invalid precision '" + s + "': expected auto, nanosecond|ns, microsecond|us, millisecond|ms or second|s");
    }
  }
}
