package io.loadchaos.target;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.check.ActualData;
import io.loadchaos.check.ExpectedData.Point;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads whole tables through one node's query endpoint (the node fans out across the cluster):
 * SQL in one {@code SELECT *}, InfluxQL in time windows of at most {@link #POINTS_PER_WINDOW}
 * expected points, so neither side holds a whole table at once.
 */
public final class HttpActualData implements ActualData {
  static final long POINTS_PER_WINDOW = 200_000;

  private final ClusterHttp http;
  private final String baseUrl;
  private final String db;
  private final Map<String, List<String>> tagKeys;
  private final QueryApi api;

  public HttpActualData(ClusterHttp http, String baseUrl, String db, Map<String, List<String>> tagKeys, QueryApi api) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.db = db;
    this.tagKeys = tagKeys;
    this.api = api;
  }

  /** What this reads, for verdicts: {@code /query (influxql v1) at http://...}. */
  public String source() {
    return api.path() + " (" + api.label() + ") at " + baseUrl;
  }

  @Override
  public void scan(String table, Expected expected, Consumer<Point> rows) throws Exception {
    List<String> tags = tagKeys.getOrDefault(table, List.of());
    Consumer<JsonNode> decode = row -> rows.accept(RowDecoder.decode(table, row, tags));
    try {
      if (api == QueryApi.SQL) {
        http.query(baseUrl, api, db, "SELECT * FROM " + quote(table), Map.of(), decode);
        return;
      }
      for (long[] w : expected.windows(POINTS_PER_WINDOW)) {
        http.query(baseUrl, api, db, "SELECT * FROM " + quote(table) + timeRange(w[0], w[1]), Map.of(), decode);
      }
    } catch (ClusterHttp.HttpError e) {
      // a table nothing was ever stored in does not exist: that reads as empty (the endpoint
      // itself was probed before; an unknown route says "page not found" and is an error)
      if (tableMissing(e)) return;
      throw e;
    }
  }

  static boolean tableMissing(ClusterHttp.HttpError e) {
    String m = e.getMessage().toLowerCase(Locale.ROOT);
    if (m.contains("page not found") || m.contains("database not found")) return false;
    return e.status() == 404 || m.contains("table") && (m.contains("not found") || m.contains("does not exist"));
  }

  /** An InfluxQL time condition for {@code [from, to)}; the open ends are left out. */
  static String timeRange(long from, long to) {
    StringBuilder sb = new StringBuilder();
    if (from != Long.MIN_VALUE) sb.append(" WHERE time >= ").append(from);
    if (to != Long.MAX_VALUE) sb.append(sb.length() == 0 ? " WHERE " : " AND ").append("time < ").append(to);
    return sb.toString();
  }

  public static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
