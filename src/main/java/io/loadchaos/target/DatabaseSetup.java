package io.loadchaos.target;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * Creates the run's database where the target needs that: InfluxDB 3's
 * {@code POST /api/v3/configure/database}, else InfluxQL {@code CREATE DATABASE} on v1 {@code /query}
 * (InfluxDB 1.x refuses writes to a database that does not exist). "Already exists" is success.
 */
public final class DatabaseSetup {
  private DatabaseSetup() {}

  /** Returns how the database was made ready, for the run log; throws when every way was refused. */
  public static String ensure(ClusterHttp http, String baseUrl, String db) throws IOException, InterruptedException {
    ClusterHttp.Response v3 = http.send("POST", baseUrl + "/api/v3/configure/database", Map.of("db", db));
    if (v3.status() / 100 == 2) return "created through /api/v3/configure/database";
    if (v3.status() == 409 || alreadyExists(v3.body())) return "exists (/api/v3/configure/database: HTTP " + v3.status() + ")";
    if (v3.status() == 401 || v3.status() == 403) {
      throw new IOException("creating database " + db + " was refused (HTTP " + v3.status() + "): check loadchaos.token");
    }
    ClusterHttp.Response v1 = http.postForm(baseUrl + "/query", Map.of("q", "CREATE DATABASE " + HttpActualData.quote(db)));
    if (v1.status() == 200 && !v1.body().contains("\"error\"")) return "created with InfluxQL CREATE DATABASE on /query";
    if (v1.status() == 200 && alreadyExists(v1.body())) return "exists (CREATE DATABASE on /query)";
    throw new IOException("cannot create database " + db + ": /api/v3/configure/database answered HTTP " + v3.status()
        + " " + abbreviate(v3.body()) + "; /query CREATE DATABASE answered HTTP " + v1.status() + " " + abbreviate(v1.body()));
  }

  private static boolean alreadyExists(String body) {
    String b = body == null ? "" : body.toLowerCase(Locale.ROOT);
    return b.contains("already exists") || b.contains("database exists");
  }

  private static String abbreviate(String s) {
    String one = s == null ? "" : s.replaceAll("\\s+", " ").trim();
    return one.length() > 120 ? one.substring(0, 120) + "..." : one;
  }
}
