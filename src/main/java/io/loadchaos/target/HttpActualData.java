package io.loadchaos.target;

import io.loadchaos.check.ActualData;
import io.loadchaos.check.ExpectedData.Point;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reads whole tables through one node's query_sql (the node fans out across the cluster). */
public final class HttpActualData implements ActualData {
  private final ClusterHttp http;
  private final String baseUrl;
  private final String db;
  private final Map<String, List<String>> tagKeys;

  public HttpActualData(ClusterHttp http, String baseUrl, String db, Map<String, List<String>> tagKeys) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.db = db;
    this.tagKeys = tagKeys;
  }

  @Override
  public void scan(String table, Consumer<Point> rows) throws Exception {
    List<String> tags = tagKeys.getOrDefault(table, List.of());
    try {
      http.querySql(baseUrl, db, "SELECT * FROM " + quote(table), Map.of(),
          row -> rows.accept(RowDecoder.decode(table, row, tags)));
    } catch (ClusterHttp.HttpError e) {
      // a table nothing was ever stored in does not exist: that reads as empty
      if (e.status() == 404 || e.getMessage().contains("not found")) return;
      throw e;
    }
  }

  public static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
