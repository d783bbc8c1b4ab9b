package io.loadchaos.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.loadchaos.check.ExpectedData.Point;
import io.loadchaos.target.ClusterReader;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The worked example of docs/targets.md: a {@link ClusterReader} for a store loadchaos has no query
 * support for, here InfluxDB 1.x's CSV answers ({@code Accept: application/csv}), which carry no
 * types: each cell is parsed as an integer, a float, a boolean or else text.
 */
public class CsvQueryReader implements ClusterReader {
  private final HttpClient http = HttpClient.newHttpClient();
  private Context ctx;

  @Override
  public void open(Context context) {
    this.ctx = context;
  }

  @Override
  public void read(String table, long from, long to, Consumer<Point> rows) throws Exception {
    String where = (from == Long.MIN_VALUE ? "" : " WHERE time >= " + from)
        + (to == Long.MAX_VALUE ? "" : (from == Long.MIN_VALUE ? " WHERE " : " AND ") + "time < " + to);
    String q = URLEncoder.encode("SELECT * FROM \"" + table + "\"" + where, UTF_8);
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(ctx.nodes().get(0).clientUrl() + "/query?epoch=ns&db="
        + URLEncoder.encode(ctx.database(), UTF_8) + "&q=" + q)).header("Accept", "application/csv");
    if (!ctx.token().isEmpty()) req.header("Authorization", "Token " + ctx.token());
    HttpResponse<Stream<String>> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofLines());
    if (resp.statusCode() != 200) {
      // never "no rows": a reader that cannot read must say so
      throw new IOException("SELECT from " + table + " -> HTTP " + resp.statusCode());
    }
    List<String> tags = ctx.tagKeysByTable().getOrDefault(table, List.of());
    String[][] header = {null};
    try (Stream<String> lines = resp.body()) {
      lines.forEach(line -> {
        if (line.isEmpty()) return;
        String[] cells = line.split(",", -1); // name,tags,time,<columns...>
        if (header[0] == null) {
          header[0] = cells;
          return;
        }
        Map<String, String> tagValues = new HashMap<>();
        Map<String, Object> fields = new HashMap<>();
        for (int i = 3; i < cells.length && i < header[0].length; i++) {
          if (cells[i].isEmpty()) continue;
          if (tags.contains(header[0][i])) tagValues.put(header[0][i], cells[i]);
          else fields.put(header[0][i], parse(cells[i]));
        }
        rows.accept(Point.of(table, tagValues, Long.parseLong(cells[2]), fields));
      });
    }
  }

  static Object parse(String cell) {
    if (cell.equals("true") || cell.equals("false")) return Boolean.parseBoolean(cell);
    try {
      return Long.parseLong(cell);
    } catch (NumberFormatException notAnInteger) {
      try {
        return Double.parseDouble(cell);
      } catch (NumberFormatException notANumber) {
        return cell.startsWith("\"") && cell.endsWith("\"") ? cell.substring(1, cell.length() - 1) : cell;
      }
    }
  }
}
