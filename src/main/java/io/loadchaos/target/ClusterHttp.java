package io.loadchaos.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadchaos.tls.CaTrust;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
    Map<String, String> params = new LinkedHashMap<>();
    params.put("db", db);
    params.put("q", sql);
    params.put("format", "jsonl");
    params.putAll(extra);
    String url = baseUrl + "/api/v3/query_sql" + query(params);
    HttpResponse<InputStream> resp = client.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = resp.body()) {
      if (resp.statusCode() / 100 != 2) {
        throw new HttpError("query " + sql, resp.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      // one streaming parser over the whole body: JSON Lines are whitespace-separated root values
      try (var it = JSON.readerFor(JsonNode.class).<JsonNode>readValues(new java.io.BufferedInputStream(in, 1 << 16))) {
        while (it.hasNextValue()) rows.accept(it.nextValue());
      }
    }
  }

  /** GET returning JSON. */
  public JsonNode getJson(String url) throws IOException, InterruptedException {
    HttpResponse<String> resp = client.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() / 100 != 2) throw new HttpError("GET " + url, resp.statusCode(), resp.body());
    return JSON.readTree(resp.body());
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

  /** True when {@code /health} answers 2xx within the timeout. */
  public boolean healthy(String baseUrl) {
    try {
      HttpResponse<Void> resp = client.send(request(baseUrl + "/health").timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return resp.statusCode() / 100 == 2;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
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
