package io.loadchaos.target;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.check.ExpectedData.Point;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

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

  /**
   * Decodes a stream of JSON objects (JSON Lines) token by token into points, with exactly the
   * values {@link #decode(String, JsonNode, Collection)} gives (scalars read from the tokens,
   * anything else through a tree); {@code iox::measurement} is not a column.
   */
  public static void decodeAll(String table, JsonParser p, Collection<String> tagKeys, Consumer<Point> rows) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != null) {
      if (t != JsonToken.START_OBJECT) {
        throw new IOException("expected a JSON object per row, got " + t + " at " + p.getCurrentLocation());
      }
      JsonNode time = null;
      TreeMap<String, String> tags = new TreeMap<>();
      Map<String, Object> fields = new HashMap<>();
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String col = p.getCurrentName();
        t = p.nextToken();
        if (col.equals("time")) {
          time = t == JsonToken.VALUE_NULL ? null : p.readValueAsTree();
          continue;
        }
        if (col.equals("iox::measurement")) {
          p.skipChildren();
          continue;
        }
        // a later duplicate column wins, as in a tree
        if (t == JsonToken.VALUE_NULL) {
          tags.remove(col);
          fields.remove(col);
          continue;
        }
        boolean tag = tagKeys.contains(col);
        Object v = switch (t) {
          case VALUE_STRING -> p.getText();
          case VALUE_TRUE -> tag ? "true" : Boolean.TRUE;
          case VALUE_FALSE -> tag ? "false" : Boolean.FALSE;
          case VALUE_NUMBER_INT -> tag ? null : p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              ? (Object) p.getBigIntegerValue() : (Object) p.getLongValue();
          case VALUE_NUMBER_FLOAT -> tag ? null : (Object) p.getDoubleValue();
          default -> null;
        };
        if (v == null) {
          // numbers as tags and nested values: as the tree gives them
          JsonNode node = p.readValueAsTree();
          v = tag ? node.asText() : value(node);
        }
        if (tag) {
          tags.put(col, (String) v);
          fields.remove(col);
        } else {
          fields.put(col, v);
          tags.remove(col);
        }
      }
      if (t != JsonToken.END_OBJECT) throw new IOException("unterminated row object at " + p.getCurrentLocation());
      StringBuilder key = new StringBuilder();
      tags.forEach((k, v) -> key.append(key.length() == 0 ? "" : ",").append(k).append('=').append(v));
      rows.accept(new Point(table, key.toString(), timeNanos(time), fields));
    }
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
    long fast = localIsoNanos(s);
    if (fast != Long.MIN_VALUE) return fast;
    Instant i;
    try {
      i = Instant.parse(s);
    } catch (DateTimeParseException e) {
      i = LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  /**
   * The reference cluster's own shape, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]} (UTC, no zone), without
   * the cost of DateTimeFormatter; {@code Long.MIN_VALUE} for anything else (parsed the slow way).
   * Read-back and replica checks decode every row, millions per run.
   */
  static long localIsoNanos(String s) {
    int n = s.length();
    if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != ' ')
        || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return Long.MIN_VALUE;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59) {
      return Long.MIN_VALUE;
    }
    long nanos = 0;
    if (n > 19) {
      if (s.charAt(19) != '.' || n == 20 || n > 29) return Long.MIN_VALUE;
      int frac = digits(s, 20, n);
      if (frac < 0) return Long.MIN_VALUE;
      nanos = frac;
      for (int i = n - 20; i < 9; i++) nanos *= 10;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return Long.MIN_VALUE;
    }
    return ((epochDay * 24 + hour) * 60 + minute) * 60_000_000_000L + second * 1_000_000_000L + nanos;
  }

  /** The decimal number in s[from, to), or -1 if any character is not a digit. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
