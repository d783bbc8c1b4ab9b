package io.loadchaos.target;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which query endpoints a node really serves, found by asking each once (after the run's
 * database exists), and the one the run reads through for {@code loadchaos.query}.
 */
public final class QueryEndpoints {
  private final Map<QueryApi, String> answers;
  private final Map<QueryApi, Boolean> present;

  private QueryEndpoints(Map<QueryApi, String> answers, Map<QueryApi, Boolean> present) {
    this.answers = answers;
    this.present = present;
  }

  /** Probes {@code baseUrl}: a trivial statement on each endpoint, judged by its answer. */
  public static QueryEndpoints probe(ClusterHttp http, String baseUrl, String db) {
    Map<QueryApi, String> answers = new EnumMap<>(QueryApi.class);
    Map<QueryApi, Boolean> present = new EnumMap<>(QueryApi.class);
    for (QueryApi api : QueryApi.values()) {
      String q = switch (api) {
        case SQL -> "SELECT 1";
        case INFLUXQL_V3 -> "SHOW MEASUREMENTS";
        case INFLUXQL_V1 -> "SHOW DATABASES";
      };
      try {
        String url = baseUrl + api.path() + ClusterHttp.query(Map.of("db", db, "q", q));
        ClusterHttp.Response r = http.send("GET", url, null);
        boolean ok = served(api, r);
        present.put(api, ok);
        answers.put(api, "HTTP " + r.status() + (ok ? "" : " " + abbreviate(r.body())));
      } catch (IOException e) {
        present.put(api, false);
        answers.put(api, ClusterHttp.describe(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        present.put(api, false);
        answers.put(api, "interrupted");
      }
    }
    return new QueryEndpoints(answers, present);
  }

  /** Known results, for tests and for targets whose endpoints are given, not probed. */
  public static QueryEndpoints of(Map<QueryApi, Boolean> present) {
    Map<QueryApi, String> answers = new EnumMap<>(QueryApi.class);
    present.forEach((k, v) -> answers.put(k, v ? "served" : "absent"));
    return new QueryEndpoints(answers, new EnumMap<>(present));
  }

  /**
   * Served means the endpoint exists, even if this statement failed: an unknown route answers
   * 404 "page not found" (or 405), a known one answers 200, or 4xx about the statement or database.
   */
  static boolean served(QueryApi api, ClusterHttp.Response r) {
    String body = r.body() == null ? "" : r.body().toLowerCase(Locale.ROOT);
    if (r.status() == 200) return api != QueryApi.INFLUXQL_V1 || body.contains("\"results\"");
    if (r.status() == 404) return body.contains("database") && !body.contains("page not found");
    if (r.status() == 401 || r.status() == 403) return false;
    return r.status() == 400 || r.status() == 422 || r.status() >= 500 && r.status() != 501 && r.status() != 502;
  }

  public boolean has(QueryApi api) {
    return present.getOrDefault(api, false);
  }

  /**
   * The endpoint for a {@code loadchaos.query} choice: auto prefers SQL, then InfluxQL (InfluxDB 3's,
   * then v1's); empty with the reason when the target serves none of what was asked for.
   */
  public Optional<QueryApi> choose(String language) {
    List<QueryApi> order = switch (language) {
      case "sql" -> List.of(QueryApi.SQL);
      case "influxql" -> List.of(QueryApi.INFLUXQL_V3, QueryApi.INFLUXQL_V1);
      default -> List.of(QueryApi.SQL, QueryApi.INFLUXQL_V3, QueryApi.INFLUXQL_V1);
    };
    return order.stream().filter(this::has).findFirst();
  }

  /** Why {@link #choose} found nothing: each endpoint asked and its answer. */
  public String missing(String language) {
    List<String> parts = new ArrayList<>();
    for (QueryApi api : QueryApi.values()) {
      if (language.equals("sql") && api != QueryApi.SQL || language.equals("influxql") && !api.influxql()) continue;
      parts.add(api.path() + " " + answers.get(api));
    }
    return "the target serves no " + (language.equals("auto") ? "query endpoint" : language + " endpoint") + ": "
        + String.join(", ", parts);
  }

  /** One line for the run log: {@code sql no (HTTP 404 ...), influxql v3 no, influxql v1 yes}. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    for (QueryApi api : QueryApi.values()) {
      parts.add(api.label() + (has(api) ? " yes" : " no (" + answers.get(api) + ")"));
    }
    return String.join(", ", parts);
  }

  private static String abbreviate(String s) {
    String one = s == null ? "" : s.replaceAll("\\s+", " ").trim();
    return one.length() > 60 ? one.substring(0, 60) + "..." : one;
  }
}
