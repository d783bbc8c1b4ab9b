package io.loadchaos.refcluster.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.loadchaos.refcluster.influxql.SqlTranslator.Translation;
import io.loadchaos.refcluster.influxql.Times;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * InfluxDB 1.x {@code /query} answers: {@code {"results":[{"statement_id":0,"series":[...]}]}}
 * with one series per GROUP BY tag set; chunked, one JSON object per line, each holding one
 * piece of one series, as 1.x sends them.
 */
final class V1Response {
  private V1Response() {}

  /** One series: rows of one tag set; {@code tags} null without GROUP BY. */
  record Series(String name, Map<String, String> tags, List<String> columns, List<List<Object>> values) {}

  /** Nanoseconds per unit of the {@code epoch} parameter; null (RFC3339 strings) when absent. */
  static Long epochDivisor(String epoch) {
    if (epoch == null || epoch.isEmpty()) {
      return null;
    }
    switch (epoch.toLowerCase(Locale.ROOT)) {
      case "ns":
      case "n":
        return 1L;
      case "u":
      case "us":
      case "µ":
        return 1_000L;
      case "ms":
        return 1_000_000L;
      case "s":
        return 1_000_000_000L;
      case "m":
        return 60_000_000_000L;
      case "h":
        return 3_600_000_000_000L;
      default:
        throw new ApiException(400, "invalid 'epoch' parameter '" + epoch + "': expected ns, u, ms, s, m or h");
    }
  }

  /** The series of a translated SELECT's result, in the order of its rows (sorted by group tags). */
  static List<Series> read(ResultSet rs, Translation t, Long epochDivisor) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    Map<String, Integer> index = new HashMap<>();
    for (int c = 1; c <= md.getColumnCount(); c++) {
      index.putIfAbsent(md.getColumnLabel(c), c);
    }
    int[] columns = t.columns().stream().mapToInt(index::get).toArray();
    int[] tags = t.groupTags().stream().mapToInt(index::get).toArray();
    int time = index.get("time");
    List<Series> out = new ArrayList<>();
    Series current = null;
    while (rs.next()) {
      Map<String, String> tagSet = null;
      if (tags.length > 0) {
        tagSet = new LinkedHashMap<>();
        for (int i = 0; i < tags.length; i++) {
          String v = rs.getString(tags[i]);
          tagSet.put(t.groupTags().get(i), v == null ? "" : v); // 1.x shows a missing tag as ""
        }
      }
      if (current == null || !Objects.equals(current.tags(), tagSet)) {
        current = new Series(t.measurement(), tagSet, t.columns(), new ArrayList<>());
        out.add(current);
      }
      List<Object> row = new ArrayList<>(columns.length);
      for (int c : columns) {
        row.add(c == time ? time(rs.getObject(c), epochDivisor) : value(rs.getObject(c)));
      }
      current.values().add(row);
    }
    return out;
  }

  private static Object time(Object o, Long divisor) {
    if (!(o instanceof Timestamp ts)) {
      throw new IllegalStateException("time column holds " + (o == null ? "null" : o.getClass().getSimpleName()));
    }
    long ns = ts.toLocalDateTime().toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + ts.getNanos();
    return divisor == null ? Times.rfc3339Nano(ns) : Math.floorDiv(ns, divisor);
  }

  private static Object value(Object o) {
    return o == null || o instanceof String || o instanceof Boolean || o instanceof Number ? o : o.toString();
  }

  /** The whole answer as one JSON object. */
  static byte[] json(List<Series> series) {
    return bytes(result(series));
  }

  /** One JSON object per line, each with at most {@code chunkSize} values of one series. */
  static byte[] chunked(List<Series> series, int chunkSize) {
    List<Map<String, Object>> lines = new ArrayList<>();
    for (Series s : series) {
      for (int from = 0; from < s.values().size(); from += chunkSize) {
        int to = Math.min(s.values().size(), from + chunkSize);
        Map<String, Object> piece = seriesJson(new Series(s.name(), s.tags(), s.columns(), s.values().subList(from, to)));
        if (to < s.values().size()) {
          piece.put("partial", true); // this series continues in the next chunk
        }
        lines.add(piece);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (lines.isEmpty()) {
      out.writeBytes(bytes(result(List.of())));
      out.write('\n');
    }
    for (int i = 0; i < lines.size(); i++) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("statement_id", 0);
      r.put("series", List.of(lines.get(i)));
      if (i < lines.size() - 1) {
        r.put("partial", true); // more chunks of this statement follow
      }
      out.writeBytes(bytes(Map.of("results", List.of(r))));
      out.write('\n');
    }
    return out.toByteArray();
  }

  static byte[] statementError(String message) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("statement_id", 0);
    r.put("error", message);
    return bytes(Map.of("results", List.of(r)));
  }

  private static Map<String, Object> result(List<Series> series) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("statement_id", 0);
    if (!series.isEmpty()) {
      r.put("series", series.stream().map(V1Response::seriesJson).toList());
    }
    return Map.of("results", List.of(r));
  }

  private static Map<String, Object> seriesJson(Series s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    if (s.tags() != null) {
      m.put("tags", s.tags());
    }
    m.put("columns", s.columns());
    m.put("values", s.values());
    return m;
  }

  private static byte[] bytes(Object body) {
    try {
      return Json.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
