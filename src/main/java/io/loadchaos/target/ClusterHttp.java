package io.loadchaos.target;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadchaos.check.ExpectedData.Point;
import io.loadchaos.tls.CaTrust;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Blocking HTTP access to a cluster's query, management and metrics APIs, for the checkers and
 * the chaos engine (the load itself goes through Gatling). The bearer token is sent, never shown.
 */
public final class ClusterHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final String token;
  private final Duration timeout;

  public ClusterHttp(String token, Duration timeout) {
    this(token, timeout, null);
  }

  /**
   * {@code caCert}: a PEM file of CA certificates; https servers must chain to one of them, and the
   * JDK's own trust store is not used. Null: the JDK's default trust.
   */
  public ClusterHttp(String token, Duration timeout, Path caCert) {
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
    if (caCert != null) b.sslContext(CaTrust.load(caCert).sslContext());
    this.client = b.build();
    this.token = token == null || token.isBlank() ? null : token;
    this.timeout = timeout;
  }

  /** A non-2xx answer, with the server's error text. */
  public static final class HttpError extends IOException {
    private final int status;

    public HttpError(String what, int status, String body) {
      super(what + " -> HTTP " + status + ": " + (body.length() > 500 ? body.substring(0, 500) + "..." : body));
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private HttpRequest.Builder request(String url) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
    if (token != null) b.header("Authorization", "Bearer " + token);
    return b;
  }

  /** Why a request got no HTTP answer, in words: the JDK's ConnectException often has no message. */
  public static String describe(IOException e) {
    if (e instanceof HttpError) return e.getMessage();
    if (e instanceof HttpTimeoutException) return "timed out";
    if (e instanceof ConnectException) return "connection refused" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }

  public static String query(Map<String, String> params) {
    StringBuilder sb = new StringBuilder();
    params.forEach((k, v) -> {
      if (v == null) return;
      sb.append(sb.length() == 0 ? "?" : "&").append(k).append('=')
          .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    });
    return sb.toString();
  }

  /**
   * Runs SQL through {@code /api/v3/query_sql} with {@code format=jsonl}, streaming each row to
   * {@code rows}. {@code extra} adds parameters (e.g. {@code local=true}, {@code shard=ID}).
   */
  public void querySql(String baseUrl, String db, String sql, Map<String, String> extra, Consumer<JsonNode> rows)
      throws IOException, InterruptedException {
    query(baseUrl, QueryApi.SQL, db, sql, extra, rows);
  }

  /**
   * Runs a query through one of the query endpoints and streams each result row as a JSON object
   * (column -> value; InfluxQL group tags included as columns, the measurement name left out).
   * Times come back as epoch nanoseconds (InfluxQL v1) or ISO text (InfluxDB 3).
   */
  public void query(String baseUrl, QueryApi api, String db, String q, Map<String, String> extra, Consumer<JsonNode> rows)
      throws IOException, InterruptedException {
    try (InputStream in = open(baseUrl, api, db, q, extra)) {
      // one streaming parser over the whole body: JSON Lines and v1 chunks are whitespace-separated root values
      try (var it = JSON.readerFor(JsonNode.class).<JsonNode>readValues(new BufferedInputStream(in, 1 << 16))) {
        while (it.hasNextValue()) {
          JsonNode value = it.nextValue();
          if (api == QueryApi.INFLUXQL_V1) {
            v1Rows(value, q, rows);
          } else {
            if (value instanceof ObjectNode o) o.remove("iox::measurement");
            rows.accept(value);
          }
        }
      }
    }
  }

  /**
   * Like {@link #query}, but each row becomes a point of {@code table} (see {@link RowDecoder}); JSON
   * Lines are decoded token by token without a tree per row (read-back decodes millions of rows).
   */
  public void queryPoints(String baseUrl, QueryApi api, String db, String q, Map<String, String> extra, String table,
      Collection<String> tagKeys, Consumer<Point> rows) throws IOException, InterruptedException {
    if (api == QueryApi.INFLUXQL_V1) {
      query(baseUrl, api, db, q, extra, row -> rows.accept(RowDecoder.decode(table, row, tagKeys)));
      return;
    }
    try (InputStream in = open(baseUrl, api, db, q, extra); JsonParser p = JSON.getFactory().createParser(in)) {
      RowDecoder.decodeAll(table, p, tagKeys, rows);
    }
  }

  /** The body of a query's answer; a non-2xx answer is an {@link HttpError} with the server's text. */
  private InputStream open(String baseUrl, QueryApi api, String db, String q, Map<String, String> extra)
      throws IOException, InterruptedException {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("db", db);
    params.put("q", q);
    if (api == QueryApi.INFLUXQL_V1) {
      params.put("epoch", "ns");
      params.put("chunked", "true");
      params.put("chunk_size", "10000");
    } else {
      params.put("format", "jsonl");
    }
    params.putAll(extra);
    String url = baseUrl + api.path() + query(params);
    HttpResponse<InputStream> resp = client.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    InputStream in = resp.body();
    if (resp.statusCode() / 100 != 2) {
      try (in) {
        throw new HttpError("query " + q + " via " + api.path(), resp.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return in;
  }

  /**
   * Runs a query and only reads its body: {@code {bytes, lines}} (for benchmarks of the transport
   * and the node, without any JSON decoding).
   */
  public long[] drain(String baseUrl, QueryApi api, String db, String q) throws IOException, InterruptedException {
    try (InputStream in = open(baseUrl, api, db, q, Map.of())) {
      byte[] buf = new byte[1 << 16];
      long bytes = 0;
      long lines = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        bytes += n;
        for (int i = 0; i < n; i++) if (buf[i] == '\n') lines++;
      }
      return new long[] {bytes, lines};
    }
  }

  /** The rows of one InfluxDB 1.x response chunk; a statement error is an {@link HttpError} with status 200. */
  private static void v1Rows(JsonNode chunk, String q, Consumer<JsonNode> rows) throws HttpError {
    if (chunk.has("error")) throw new HttpError("query " + q + " via /query", 200, chunk.path("error").asText());
    for (JsonNode result : chunk.path("results")) {
      if (result.has("error")) throw new HttpError("query " + q + " via /query", 200, result.path("error").asText());
      for (JsonNode series : result.path("series")) {
        JsonNode columns = series.path("columns");
        for (JsonNode values : series.path("values")) {
          ObjectNode row = JSON.createObjectNode();
          series.path("tags").fields().forEachRemaining(t -> row.set(t.getKey(), t.getValue()));
          for (int i = 0; i < columns.size() && i < values.size(); i++) row.set(columns.get(i).asText(), values.get(i));
          rows.accept(row);
        }
      }
    }
  }

  /** GET returning JSON. */
  public JsonNode getJson(String url) throws IOException, InterruptedException {
    HttpResponse<String> resp = client.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() / 100 != 2) throw new HttpError("GET " + url, resp.statusCode(), resp.body());
    return JSON.readTree(resp.body());
  }

  /** A form POST (e.g. InfluxQL statements on v1 {@code /query}); returns status and body. */
  public Response postForm(String url, Map<String, String> form) throws IOException, InterruptedException {
    HttpRequest.Builder b = request(url).POST(HttpRequest.BodyPublishers.ofString(query(form).substring(1)))
        .header("Content-Type", "application/x-www-form-urlencoded");
    HttpResponse<String> resp = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(resp.statusCode(), resp.body());
  }

  /** A request with a JSON body (or none); returns status and body without throwing on 4xx/5xx. */
  public Response send(String method, String url, Object jsonBody) throws IOException, InterruptedException {
    HttpRequest.BodyPublisher body = jsonBody == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(jsonBody instanceof String s ? s : JSON.writeValueAsString(jsonBody));
    HttpRequest.Builder b = request(url).method(method, body);
    if (jsonBody != null) b.header("Content-Type", "application/json");
    HttpResponse<String> resp = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(resp.statusCode(), resp.body());
  }

  public record Response(int status, String body) {
    public JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  /**
   * True when the node's health path answers 2xx within 2 s. Without a configured path:
   * {@code /health}, and where that does not exist (404: InfluxDB 1.x) {@code /ping}.
   */
  public boolean healthy(String baseUrl, String healthPath) {
    try {
      if (healthPath != null && !healthPath.isEmpty()) return status(baseUrl + healthPath) / 100 == 2;
      int health = status(baseUrl + "/health");
      return health / 100 == 2 || health == 404 && status(baseUrl + "/ping") / 100 == 2;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public boolean healthy(String baseUrl) {
    return healthy(baseUrl, null);
  }

  private int status(String url) throws IOException, InterruptedException {
    return client.send(request(url).timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /**
   * Prometheus text from {@code /metrics}, summed per metric name over all label sets, and also
   * kept per full series ({@code name{labels}}).
   */
  public Map<String, Double> metrics(String baseUrl) throws IOException, InterruptedException {
    HttpResponse<String> resp = client.send(request(baseUrl + "/metrics").GET().build(), HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() / 100 != 2) throw new HttpError("GET /metrics", resp.statusCode(), resp.body());
    return PrometheusText.parse(resp.body());
  }
}
