package io.loadchaos.target;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.check.ExpectedData.Point;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a query_sql JSON row into a point: {@code time} to epoch nanoseconds, the table's tag
 * columns into a series key, every other non-null column into a field.
 */
public final class RowDecoder {
  private RowDecoder() {}

  public static Point decode(String table, JsonNode row, Collection<String> tagKeys) {
    long ts = timeNanos(row.get("time"));
    TreeMap<String, String> tags = new TreeMap<>();
    Map<String, Object> fields = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = row.fields();
    while (it.hasNext()) {
      var e = it.next();
      String col = e.getKey();
      JsonNode v = e.getValue();
      if (col.equals("time") || v == null || v.isNull()) continue;
      if (tagKeys.contains(col)) tags.put(col, v.asText());
      else fields.put(col, value(v));
    }
    StringBuilder key = new StringBuilder();
    tags.forEach((k, v) -> key.append(key.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return new Point(table, key.toString(), ts, fields);
  }

  static Object value(JsonNode v) {
    if (v.isBoolean()) return v.booleanValue();
    if (v.isIntegralNumber()) return v.canConvertToLong() ? (Object) v.longValue() : (Object) v.bigIntegerValue();
    if (v.isNumber()) return v.doubleValue();
    return v.asText();
  }

  /** Accepts epoch nanoseconds, RFC 3339 with a zone, or an ISO local date-time taken as UTC. */
  public static long timeNanos(JsonNode t) {
    if (t == null || t.isNull()) throw new IllegalArgumentException("row has no time column");
    if (t.isNumber()) return t.longValue();
    String s = t.asText();
    Instant i;
    try {
      i = Instant.parse(s);
    } catch (DateTimeParseException e) {
      i = LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
