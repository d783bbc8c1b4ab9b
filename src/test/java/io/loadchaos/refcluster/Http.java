package io.loadchaos.refcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Plain HTTP calls to a node, as curl would make them. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();

  private Http() {}

  record Response(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
      }
    }
  }

  static Response post(String url, String body, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
    return send(b, token);
  }

  static Response put(String url, String body, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofString(body));
    return send(b, token);
  }

  static Response get(String url, String token) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET(), token);
  }

  static Response writeLp(String baseUrl, String db, String lp) {
    return post(baseUrl + "/api/v3/write_lp?db=" + enc(db) + "&precision=nanosecond", lp, null);
  }

  static Response sql(String baseUrl, String db, String sql) {
    return get(baseUrl + "/api/v3/query_sql?db=" + enc(db) + "&q=" + enc(sql), null);
  }

  /** The single value of a one-row, one-column query. */
  static long sqlLong(String baseUrl, String db, String sql) {
    Response r = sql(baseUrl, db, sql);
    if (r.status() != 200) {
      throw new AssertionError("query failed: HTTP " + r.status() + " " + r.body());
    }
    JsonNode row = r.json().get(0);
    return row.elements().next().asLong();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Response send(HttpRequest.Builder b, String token) {
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (IOException e) {
      return new Response(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
