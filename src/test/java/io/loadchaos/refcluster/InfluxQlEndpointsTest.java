package io.loadchaos.refcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.influxdb.v3.client.InfluxDBClient;
import com.influxdb.v3.client.query.QueryOptions;
import com.influxdb.v3.client.query.QueryType;
import io.loadchaos.local.LocalCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * InfluxQL (InfluxDB 3's /api/v3/query_influxql, InfluxDB 1.x's /query, Flight query_type
 * influxql) and query parameters, on two real nodes (RF=2; node 2 is not the meta node).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InfluxQlEndpointsTest {
  private static final long T0 = 1_704_067_200_000_000_000L; // 2024-01-01T00:00:00Z
  private static final long SECOND = 1_000_000_000L;
  @TempDir static Path dir;
  LocalCluster cluster;

  @BeforeAll
  void start() {
    cluster = LocalCluster.builder().nodes(2).replicationFactor(2).dataDir(dir).start();
    StringBuilder lp = new StringBuilder();
    for (int h = 1; h <= 3; h++) {
      for (int i = 0; i < 10; i++) {
        lp.append("cpu,host=h").append(h).append(",region=r").append(h % 2).append(" usage=").append(i + h * 0.5).append(",n=").append(i)
            .append("i ").append(T0 + i * SECOND + h).append('\n');
      }
    }
    lp.append("cpu,host=h7,region=r1 usage=70.5,n=7i ").append(T0 + 5).append('\n');
    lp.append("cpu,host=h7,region=r1 usage=71.5,n=8i ").append(T0 + SECOND + 5).append('\n');
    Http.Response r = Http.writeLp(url("1"), "iq", lp.toString());
    assertThat(r.status()).as(r.body()).isEqualTo(204);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private String url(String id) {
    return cluster.node(id).clientUrl();
  }

  private Http.Response v3(String id, String q, String more) {
    return Http.get(url(id) + "/api/v3/query_influxql?db=iq&q=" + Http.enc(q) + more, null);
  }

  private Http.Response v1(String id, String db, String q, String more) {
    return Http.get(url(id) + "/query?" + (db == null ? "" : "db=" + db + "&") + "q=" + Http.enc(q) + more, null);
  }

  @Test
  void queryInfluxqlAnswersRowsWithTheMeasurementFirst() {
    Http.Response r = v3("2", "SELECT usage, n FROM cpu WHERE host = 'h1' AND time >= '2024-01-01T00:00:08Z' ORDER BY time", "");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode rows = r.json();
    assertThat(rows).hasSize(2);
    List<String> keys = new ArrayList<>();
    rows.get(0).fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("iox::measurement", "time", "usage", "n");
    assertThat(rows.get(0).get("iox::measurement").asText()).isEqualTo("cpu");
    assertThat(rows.get(0).get("time").asText()).isEqualTo("2024-01-01T00:00:08.000000001");
    assertThat(rows.get(1).get("usage").asDouble()).isEqualTo(9.5);

    Http.Response csv = v3("1", "SELECT count(usage) FROM cpu WHERE host = 'h2' GROUP BY host", "&format=csv");
    assertThat(csv.body()).isEqualTo("iox::measurement,time,host,count\ncpu,1970-01-01T00:00:00,h2,10\n");
    Http.Response jsonl = v3("1", "SELECT max(usage) FROM cpu GROUP BY region", "&format=jsonl");
    assertThat(jsonl.body()).isEqualTo("{\"iox::measurement\":\"cpu\",\"time\":\"2024-01-01T00:00:09.000000002\",\"region\":\"r0\",\"max\":10.0}\n"
        + "{\"iox::measurement\":\"cpu\",\"time\":\"2024-01-01T00:00:01.000000005\",\"region\":\"r1\",\"max\":71.5}\n");

    // POST JSON with params, as InfluxDB 3 takes them
    Http.Response post = Http.post(url("2") + "/api/v3/query_influxql",
        "{\"db\":\"iq\",\"q\":\"SELECT n FROM cpu WHERE host = $h AND n > $min\",\"params\":{\"h\":\"h7\",\"min\":7}}", null);
    assertThat(post.status()).as(post.body()).isEqualTo(200);
    assertThat(post.json()).hasSize(1);
    assertThat(post.json().get(0).get("n").asLong()).isEqualTo(8);
  }

  @Test
  void v1QueryAnswersSeriesPerTagSetWithAggregatesEqualToSql() {
    Http.Response r = v1("2", "iq", "SELECT count(usage), sum(n), mean(usage), min(usage), max(n) FROM cpu WHERE time >= '2024-01-01T00:00:00Z' GROUP BY host", "&epoch=ns");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode series = r.json().get("results").get(0).get("series");
    assertThat(r.json().get("results").get(0).get("statement_id").asInt()).isZero();
    assertThat(series).hasSize(4);
    JsonNode sql = Http.sql(url("1"), "iq", "SELECT host, count(usage) AS c, sum(n) AS s, avg(usage) AS m, min(usage) AS lo, max(n) AS hi "
        + "FROM cpu GROUP BY host ORDER BY host").json();
    for (int i = 0; i < 4; i++) {
      JsonNode s = series.get(i);
      JsonNode want = sql.get(i);
      assertThat(s.get("name").asText()).isEqualTo("cpu");
      assertThat(s.get("tags").get("host").asText()).isEqualTo(want.get("host").asText());
      assertThat(s.get("columns")).hasToString("[\"time\",\"count\",\"sum\",\"mean\",\"min\",\"max\"]");
      JsonNode row = s.get("values").get(0);
      assertThat(row.get(0).asLong()).isEqualTo(T0); // the start of the queried range
      assertThat(row.get(1).asLong()).isEqualTo(want.get("c").asLong());
      assertThat(row.get(2).asLong()).isEqualTo(want.get("s").asLong());
      assertThat(row.get(3).asDouble()).isEqualTo(want.get("m").asDouble());
      assertThat(row.get(4).asDouble()).isEqualTo(want.get("lo").asDouble());
      assertThat(row.get(5).asLong()).isEqualTo(want.get("hi").asLong());
    }

    // raw rows, RFC3339 times without epoch
    Http.Response raw = v1("1", "iq", "SELECT * FROM cpu WHERE host = 'h7'", "");
    assertThat(raw.body()).isEqualTo("{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"cpu\",\"columns\":[\"time\",\"host\",\"n\",\"region\",\"usage\"],"
        + "\"values\":[[\"2024-01-01T00:00:00.000000005Z\",\"h7\",7,\"r1\",70.5],[\"2024-01-01T00:00:01.000000005Z\",\"h7\",8,\"r1\",71.5]]}]}]}");
    Http.Response ms = v1("1", "iq", "SELECT usage FROM cpu WHERE host = 'h7' LIMIT 1", "&epoch=ms");
    assertThat(ms.json().get("results").get(0).get("series").get(0).get("values").get(0).get(0).asLong()).isEqualTo(T0 / 1_000_000);
  }

  @Test
  void v1ChunkedSendsOnePieceOfOneSeriesPerLine() throws Exception {
    Http.Response r = v1("2", "iq", "SELECT usage FROM cpu WHERE region = 'r1' GROUP BY host", "&epoch=ns&chunked=true&chunk_size=4");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String[] lines = r.body().split("\n");
    assertThat(lines).hasSize(7); // h1: 4+4+2, h3: 4+4+2, h7: 2
    List<String> shape = new ArrayList<>();
    for (String line : lines) {
      JsonNode result = Http.JSON.readTree(line).get("results").get(0);
      JsonNode series = result.get("series").get(0);
      shape.add(series.get("tags").get("host").asText() + ":" + series.get("values").size() + (series.has("partial") ? " partial" : "")
          + (result.has("partial") ? " more" : ""));
    }
    assertThat(shape).containsExactly("h1:4 partial more", "h1:4 partial more", "h1:2 more", "h3:4 partial more", "h3:4 partial more",
        "h3:2 more", "h7:2");
    assertThat(v1("1", "iq", "SELECT usage FROM cpu WHERE host = 'none'", "&chunked=true").body()).isEqualTo("{\"results\":[{\"statement_id\":0}]}\n");
  }

  @Test
  void v1CreateDatabaseThenWriteThenReadBack() {
    // node 2 is not the meta node: the creation is forwarded, and it is idempotent
    for (int i = 0; i < 2; i++) {
      Http.Response c = Http.post(url("2") + "/query?q=" + Http.enc("CREATE DATABASE \"fresh_db\""), "", null);
      assertThat(c.status()).as(c.body()).isEqualTo(200);
      assertThat(c.body()).isEqualTo("{\"results\":[{\"statement_id\":0}]}");
    }
    for (String id : List.of("1", "2")) {
      Http.Response show = v1(id, null, "SHOW DATABASES", "");
      assertThat(show.json().get("results").get(0).get("series").get(0).get("values")).anySatisfy(v -> assertThat(v.get(0).asText()).isEqualTo("fresh_db"));
    }
    Http.Response configured = Http.get(url("1") + "/api/v3/configure/database", null);
    assertThat(configured.body()).contains("\"fresh_db\"");
    Http.Response w = Http.post(url("2") + "/write?db=fresh_db&precision=ns", "mem,host=a used=1.25,free=3i " + (T0 + 123) + "\n"
        + "mem,host=b used=2.5 " + (T0 + 456), null);
    assertThat(w.status()).as(w.body()).isEqualTo(204);
    Http.Response back = Http.get(url("1") + "/query?db=fresh_db&epoch=ns&q=" + Http.enc("SELECT used, free FROM mem"), null);
    assertThat(back.body()).isEqualTo("{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"mem\",\"columns\":[\"time\",\"used\",\"free\"],"
        + "\"values\":[[" + (T0 + 123) + ",1.25,3],[" + (T0 + 456) + ",2.5,null]]}]}]}");
  }

  @Test
  void errorsAreNamedWithTheStatusOfEachApi() {
    Http.Response unsupported = v1("1", "iq", "SELECT mean(usage) FROM cpu GROUP BY time(1m)", "");
    assertThat(unsupported.status()).isEqualTo(400);
    assertThat(unsupported.json().get("error").asText()).isEqualTo("error parsing query: GROUP BY time() is not supported: only GROUP BY tags");
    Http.Response v3 = v3("1", "SELECT usage FROM cpu WHERE host =~ /h.*/", "");
    assertThat(v3.status()).isEqualTo(400);
    assertThat(v3.json().get("error").asText()).contains("regular expressions are not supported");
    assertThat(v3("1", "SHOW DATABASES", "").json().get("error").asText()).contains("served by the InfluxDB 1.x API (/query)");
    Http.Response noQ = Http.get(url("1") + "/query?db=iq", null);
    assertThat(noQ.status()).isEqualTo(400);
    assertThat(noQ.json().get("error").asText()).isEqualTo("missing required parameter \"q\"");
    // statement errors are HTTP 200 with the error in the result, as in InfluxDB 1.x
    Http.Response noDb = v1("1", "nosuchdb", "SELECT usage FROM cpu", "");
    assertThat(noDb.status()).isEqualTo(200);
    assertThat(noDb.body()).isEqualTo("{\"results\":[{\"statement_id\":0,\"error\":\"database not found: nosuchdb\"}]}");
    assertThat(v1("1", null, "SELECT usage FROM cpu", "").json().get("results").get(0).get("error").asText()).isEqualTo("database name required");
    assertThat(v3("1", "SELECT usage FROM cpu WHERE host = $h", "").json().get("error").asText()).isEqualTo("no value for query parameter $h: pass it in 'params'");
    // an unknown measurement is an empty answer, not an error
    assertThat(v3("1", "SELECT * FROM nosuch", "").body()).isEqualTo("[]");
    assertThat(v1("1", "iq", "SELECT * FROM nosuch", "").body()).isEqualTo("{\"results\":[{\"statement_id\":0}]}");
  }

  @Test
  void querySqlBindsParamsFromGetAndPost() {
    String sql = "SELECT count(*) AS c FROM cpu WHERE host = $h AND usage > $u";
    Http.Response get = Http.get(url("2") + "/api/v3/query_sql?db=iq&q=" + Http.enc(sql) + "&params=" + Http.enc("{\"h\":\"h1\",\"u\":5}"), null);
    assertThat(get.status()).as(get.body()).isEqualTo(200);
    assertThat(get.json().get(0).get("c").asLong()).isEqualTo(5); // usage 5.5 .. 9.5
    Http.Response post = Http.post(url("1") + "/api/v3/query_sql",
        "{\"db\":\"iq\",\"q\":\"SELECT count(*) AS c FROM cpu WHERE host = $h\",\"params\":{\"h\":\"h1' OR '1'='1\"}}", null);
    assertThat(post.json().get(0).get("c").asLong()).isZero(); // the value is one string literal
    Http.Response missing = Http.get(url("1") + "/api/v3/query_sql?db=iq&q=" + Http.enc(sql) + "&params=" + Http.enc("{\"h\":\"h1\"}"), null);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("error").asText()).isEqualTo("no value for query parameter $u: pass it in 'params'");
  }

  @Test
  void flightTakesParamsAndInfluxQl() throws Exception {
    try (InfluxDBClient client = InfluxDBClient.getInstance(url("2"), null, "iq")) {
      try (Stream<Object[]> rows = client.query("SELECT host, n FROM cpu WHERE host = $h AND n >= $n ORDER BY time", Map.of("h", "h7", "n", 7))) {
        List<Object[]> all = rows.toList();
        assertThat(all).hasSize(2);
        assertThat(all.get(0)[0]).hasToString("h7");
        assertThat(((Number) all.get(1)[1]).longValue()).isEqualTo(8);
      }
      try (Stream<Map<String, Object>> rows = client.queryRows("SELECT n FROM cpu WHERE host = $h", Map.of("h", "h7"),
          new QueryOptions(QueryType.InfluxQL))) {
        List<Map<String, Object>> all = rows.toList();
        assertThat(all).hasSize(2);
        assertThat(all.get(0)).containsKeys("iox::measurement", "time", "n");
        assertThat(all.get(0).get("iox::measurement")).hasToString("cpu");
        assertThat(((Number) all.get(0).get("n")).longValue()).isEqualTo(7);
      }
      assertThatThrownBy(() -> {
        try (Stream<Object[]> rows = client.query("SELECT * FROM cpu WHERE host = $nope", Map.of("h", "h7"))) {
          rows.count();
        }
      }).hasMessageContaining("no value for query parameter $nope");
    }
  }
}
