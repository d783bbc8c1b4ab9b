package io.loadchaos.refcluster.influxql;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** InfluxQL time literals in, SQL and RFC3339 timestamps out (all UTC, nanosecond precision). */
public final class Times {
  private static final DateTimeFormatter SQL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS");

  private Times() {}

  /**
   * Nanoseconds since the epoch of an InfluxQL time string: RFC3339 ({@code 2024-01-01T00:00:00Z},
   * with fraction and offset), or UTC {@code 2024-01-01 00:00:00[.fff]} or {@code 2024-01-01}.
   */
  static long parse(String literal) {
    String v = literal.trim();
    try {
      return nanos(OffsetDateTime.parse(v).toInstant());
    } catch (DateTimeParseException e) {
      // not RFC3339 with an offset: try the UTC forms below
    }
    try {
      if (v.length() == 10) {
        return nanos(LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC));
      }
      return nanos(LocalDateTime.parse(v.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new InfluxQlException("invalid time literal '" + literal + "': expected RFC3339 like '2024-01-01T00:00:00Z'");
    }
  }

  /** A SQL string literal DuckDB casts to TIMESTAMP_NS and the shard pruner reads as a time bound. */
  static String sqlLiteral(long ns) {
    return "'" + SQL.format(LocalDateTime.ofInstant(instant(ns), ZoneOffset.UTC)) + "'";
  }

  /** Go's RFC3339Nano, as InfluxDB 1.x prints times: trailing zeros of the fraction dropped. */
  public static String rfc3339Nano(long ns) {
    Instant i = instant(ns);
    String base = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(LocalDateTime.ofEpochSecond(i.getEpochSecond(), 0, ZoneOffset.UTC));
    if (i.getNano() == 0) {
      return base + "Z";
    }
    String frac = String.format("%09d", i.getNano()).replaceAll("0+$", "");
    return base + "." + frac + "Z";
  }

  private static Instant instant(long ns) {
    return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
  }

  private static long nanos(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
  }
}
