package io.loadchaos.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One whole query answer (format=json on InfluxDB 3, series JSON on v1 {@code /query}) as columns
 * and rows. InfluxQL answers lose their measurement and time columns, and v1 group tags become
 * leading columns, so the same result checks hold for every language.
 */
public record QueryResult(List<String> columns, List<Object[]> rows) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static QueryResult parse(QueryApi api, String body) throws IOException {
    JsonNode root = JSON.readTree(body);
    List<String> cols = new ArrayList<>();
    List<Object[]> rows = new ArrayList<>();
    if (api == QueryApi.INFLUXQL_V1) {
      if (root.has("error")) throw new IOException("error answer: " + root.path("error").asText());
      for (JsonNode result : root.path("results")) {
        if (result.has("error")) throw new IOException("statement error: " + result.path("error").asText());
        for (JsonNode series : result.path("series")) {
          List<String> seriesCols = new ArrayList<>();
          series.path("tags").fieldNames().forEachRemaining(seriesCols::add);
          series.path("columns").forEach(c -> seriesCols.add(c.asText()));
          if (cols.isEmpty()) cols.addAll(withoutTime(seriesCols));
          for (JsonNode values : series.path("values")) {
            List<Object> row = new ArrayList<>();
            series.path("tags").forEach(t -> row.add(t.asText()));
            JsonNode columns = series.path("columns");
            for (int i = 0; i < columns.size(); i++) if (!columns.get(i).asText().equals("time")) row.add(value(values.get(i)));
            rows.add(row.toArray());
          }
        }
      }
      return new QueryResult(cols, rows);
    }
    if (!root.isArray()) throw new IOException("not a JSON array");
    for (JsonNode r : root) {
      if (cols.isEmpty()) {
        r.fieldNames().forEachRemaining(cols::add);
        if (api.influxql()) cols = withoutTime(cols);
      }
      Object[] row = new Object[cols.size()];
      for (int c = 0; c < cols.size(); c++) row[c] = value(r.get(cols.get(c)));
      rows.add(row);
    }
    return new QueryResult(cols, rows);
  }

  /**
   * Rows read some other way (Arrow Flight), normalised like {@link #parse}: InfluxQL answers lose
   * their measurement and time columns.
   */
  public static QueryResult of(QueryApi api, List<String> columns, List<Object[]> rows) {
    if (!api.influxql()) return new QueryResult(columns, rows);
    List<String> kept = withoutTime(columns);
    List<Object[]> out = new ArrayList<>(rows.size());
    for (Object[] r : rows) {
      Object[] row = new Object[kept.size()];
      for (int c = 0; c < kept.size(); c++) row[c] = r[columns.indexOf(kept.get(c))];
      out.add(row);
    }
    return new QueryResult(kept, out);
  }

  private static List<String> withoutTime(List<String> cols) {
    List<String> out = new ArrayList<>(cols);
    out.remove("time");
    out.remove("iox::measurement");
    return out;
  }

  private static Object value(JsonNode v) {
    return v == null || v.isNull() ? null : v.isNumber() ? v.numberValue() : v.asText();
  }
}
