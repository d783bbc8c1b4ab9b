package io.loadchaos.refcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.influxdb.v3.client.InfluxDBClient;
import io.loadchaos.local.LocalCluster;
import io.loadchaos.local.LocalNode;
import io.loadchaos.refcluster.catalog.ShardRouter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Three real node processes, RF=3: the "done when" list of the reference cluster's data plane. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReferenceClusterTest {
  @TempDir static Path dir;
  LocalCluster cluster;
  final long now = System.currentTimeMillis() * 1_000_000L;

  @BeforeAll
  void start() {
    cluster = LocalCluster.builder().nodes(3).replicationFactor(3).dataDir(dir).start();
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

  @Test
  @Order(1)
  void writesThroughV2ClientAndV3HttpAreReadableOnEveryNodeViaSqlAndFlight() throws Exception {
    try (InfluxDBClient client = InfluxDBClient.getInstance(url("2"), null, "it")) {
      StringBuilder lp = new StringBuilder();
      for (int i = 0; i < 50; i++) {
        lp.append("weather,station=s").append(i % 5).append(" temp=").append(20 + i * 0.5).append(",hum=").append(i).append("i ")
            .append(now - i * 1_000_000L).append('\n');
      }
      client.writeRecord(lp.toString()); // v2 path, gzip-compressed by the client
    }
    Http.Response r = Http.writeLp(url("3"), "it", "weather,station=curl temp=1.5,hum=7i " + now + "\nweather,station=curl temp=2.5 " + (now + 1));
    assertThat(r.status()).as(r.body()).isEqualTo(204);
    for (LocalNode n : cluster.nodes()) {
      assertThat(Http.sqlLong(n.clientUrl(), "it", "SELECT count(*) FROM weather")).isEqualTo(52);
      assertThat(Http.sqlLong(n.clientUrl(), "it", "SELECT count(*) FROM weather WHERE station = 's3' AND hum >= 10")).isEqualTo(8);
      try (InfluxDBClient client = InfluxDBClient.getInstance(n.clientUrl(), null, "it");
          Stream<Object[]> rows = client.query("SELECT station, count(*) AS n, max(temp) AS t FROM weather GROUP BY station ORDER BY station")) {
        List<Object[]> all = rows.toList();
        assertThat(all).hasSize(6);
        assertThat(all.get(0)[0]).hasToString("curl");
        assertThat(((Number) all.get(0)[1]).longValue()).isEqualTo(2);
        assertThat(((Number) all.get(0)[2]).doubleValue()).isEqualTo(2.5);
      }
    }
    Http.Response csv = Http.get(url("1") + "/api/v3/query_sql?db=it&format=csv&q=" + Http.enc("SELECT station, temp FROM weather WHERE station='curl' ORDER BY time"), null);
    assertThat(csv.body()).isEqualTo("station,temp\ncurl,1.5\ncurl,2.5\n");
    Http.Response typeClash = Http.writeLp(url("1"), "it", "weather,station=x temp=\"warm\" " + now);
    assertThat(typeClash.status()).isEqualTo(400);
    assertThat(typeClash.json().get("data").get(0).get("error_message").asText()).contains("temp").contains("FLOAT");
  }

  @Test
  @Order(2)
  void killOneNodeWhileWritingKeepsWritesSucceedingAndTheRestartedCopyConverges() {
    List<Integer> statuses = new ArrayList<>();
    for (int b = 0; b < 40; b++) {
      if (b == 10) {
        cluster.node("3").kill();
      }
      statuses.add(Http.writeLp(url(b % 2 == 0 ? "1" : "2"), "it", batch("crash", "one", b, 10)).status());
    }
    assertThat(statuses).containsOnly(204);
    assertThat(metric(url("1"), "loadchaos_hints_pending{peer=\"3\"}") + metric(url("2"), "loadchaos_hints_pending{peer=\"3\"}")).isPositive();
    cluster.node("3").start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Map<Long, Map<String, String>> copies = ReplicaCheck.copies(cluster, "it", "crash", "time, writer, seq, v");
    while (!ReplicaCheck.consistent(copies) && System.nanoTime() < deadline) {
      sleep(500);
      copies = ReplicaCheck.copies(cluster, "it", "crash", "time, writer, seq, v");
    }
    assertThat(ReplicaCheck.consistent(copies)).as("replica copies %s", copies).isTrue();
    assertThat(copies.values().iterator().next().get("3")).startsWith("400/");
    assertThat(metric(url("1"), "loadchaos_hints_pending{peer=\"3\"}")).isZero();
  }

  @Test
  @Order(3)
  void killTwoNodesGives503NeverAcknowledgesAndLosesNothingAcknowledged() {
    for (int b = 0; b < 5; b++) {
      assertThat(Http.writeLp(url("1"), "it", batch("ledger", "acked", b, 20)).status()).isEqualTo(204);
    }
    cluster.node("2").kill();
    cluster.node("3").kill();
    try {
      for (int b = 0; b < 5; b++) {
        Http.Response r = Http.writeLp(url("1"), "it", batch("ledger", "below", b, 20));
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.json().get("error").asText()).contains("shard ").contains("missing owners [2, 3]");
      }
    } finally {
      cluster.node("2").start();
      cluster.node("3").start();
    }
    for (LocalNode n : cluster.nodes()) {
      assertThat(Http.sqlLong(n.clientUrl(), "it", "SELECT count(*) FROM ledger WHERE writer = 'acked'")).isEqualTo(100);
    }
    // the 503 batches reached a minority (node 1); hinted handoff makes every copy agree again
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!ReplicaCheck.consistent(ReplicaCheck.copies(cluster, "it", "ledger", "time, writer, seq, v")) && System.nanoTime() < deadline) {
      sleep(500);
    }
    assertThat(ReplicaCheck.consistent(ReplicaCheck.copies(cluster, "it", "ledger", "time, writer, seq, v"))).isTrue();
  }

  @Test
  @Order(4)
  void queryFailsNamingTheShardWhenAllItsOwnersAreDown() {
    long t0 = now - Duration.ofDays(3).toNanos();
    assertThat(Http.writeLp(url("1"), "it", "solo,host=a v=1 " + now).status()).isEqualTo(204);
    Http.Response put = Http.put(url("1") + "/api/v3/cluster/tables/sharding",
        "{\"db_name\":\"it\",\"table_name\":\"solo\",\"shard_keys\":[],\"num_hash_partitions\":1,\"replication_factor\":1}", null);
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(Http.writeLp(url("1"), "it", "solo,host=a v=2 " + t0).status()).isEqualTo(204);
    JsonNode shard = null;
    for (JsonNode s : Http.get(url("1") + "/api/v3/cluster/shards?db=it&table=solo", null).json()) {
      if (s.get("node_ids").size() == 1) {
        shard = s;
      }
    }
    assertThat(shard).as("an RF=1 shard").isNotNull();
    String owner = shard.get("node_ids").get(0).asText();
    String other = owner.equals("1") ? "2" : "1";
    awaitShardKnown(other, shard.get("id").asLong());
    cluster.node(owner).kill();
    try {
      Http.Response r = Http.sql(url(other), "it", "SELECT count(*) FROM solo");
      assertThat(r.status()).isIn(500, 503);
      assertThat(r.json().get("error").asText()).contains("shard " + shard.get("id").asText()).contains("no reachable owner");
      // a query whose time range excludes the lost shard is pruned away from it and still answers
      assertThat(Http.sqlLong(url(other), "it", "SELECT count(*) FROM solo WHERE time >= '" + Instant.ofEpochSecond(now / 1_000_000_000L - 60) + "'"))
          .isEqualTo(1);
    } finally {
      cluster.node(owner).start();
    }
  }

  @Test
  @Order(5)
  void shardKeyEqualityTouchesOnlyThatPartitionsOwner() {
    long t1 = now - Duration.ofDays(10).toNanos();
    assertThat(Http.writeLp(url("1"), "it", "pruned,host=h0 v=0 " + now).status()).isEqualTo(204);
    Http.Response put = Http.put(url("1") + "/api/v3/cluster/tables/sharding",
        "{\"db_name\":\"it\",\"table_name\":\"pruned\",\"shard_keys\":[\"host\"],\"num_hash_partitions\":3,\"replication_factor\":1}", null);
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    StringBuilder lp = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      lp.append("pruned,host=h").append(i).append(" v=").append(i).append(' ').append(t1 + i).append('\n');
    }
    assertThat(Http.writeLp(url("1"), "it", lp.toString()).status()).isEqualTo(204);
    Map<Integer, String> ownerOfPartition = new HashMap<>();
    for (JsonNode s : Http.get(url("1") + "/api/v3/cluster/shards?db=it&table=pruned", null).json()) {
      if (s.get("num_hash_partitions").asInt() == 3) {
        ownerOfPartition.put(s.get("hash_partition").asInt(), s.get("node_ids").get(0).asText());
      }
    }
    assertThat(ownerOfPartition).hasSize(3);
    assertThat(ownerOfPartition.values()).as("partitions spread over the nodes").doesNotHaveDuplicates();
    int p = ShardRouter.partition(List.of("host"), List.of("h7"), 3);
    String expectedOwner = ownerOfPartition.get(p);
    String coordinator = expectedOwner.equals("2") ? "3" : "2";
    awaitShardsKnown(coordinator, "pruned", 4);
    Map<String, Double> before = fragments();
    String from = Instant.ofEpochSecond(t1 / 1_000_000_000L - 1).toString();
    String to = Instant.ofEpochSecond(t1 / 1_000_000_000L + 60).toString();
    assertThat(Http.sqlLong(url(coordinator), "it",
        "SELECT sum(v) FROM pruned WHERE host = 'h7' AND time >= '" + from + "' AND time < '" + to + "'")).isEqualTo(7);
    Map<String, Double> after = fragments();
    for (LocalNode n : cluster.nodes()) {
      double delta = after.get(n.id()) - before.get(n.id());
      assertThat(delta).as("fragments executed by node %s (owner of h7's partition: %s)", n.id(), expectedOwner)
          .isEqualTo(n.id().equals(expectedOwner) ? 1.0 : 0.0);
    }
    // without the key equality every partition is read
    assertThat(Http.sqlLong(url(coordinator), "it", "SELECT count(*) FROM pruned WHERE time >= '" + from + "' AND time < '" + to + "'")).isEqualTo(30);
  }

  @Test
  @Order(6)
  void sigtermFlushesAndTheNodeComesBackWithItsData() {
    assertThat(Http.writeLp(url("2"), "it", batch("graceful", "w", 0, 5)).status()).isEqualTo(204);
    cluster.node("2").terminate();
    assertThat(cluster.node("2").isRunning()).isFalse();
    cluster.node("2").start();
    Http.Response r = Http.get(url("2") + "/api/v3/query_sql?db=it&local=true&q=" + Http.enc("SELECT count(*) AS n FROM graceful"), null);
    assertThat(r.json().get(0).get("n").asLong()).isEqualTo(5);
    assertThat(Http.get(url("2") + "/api/v3/cluster/shards?db=nope", null).status()).isEqualTo(404);
    assertThat(Http.get(url("2") + "/api/v3/cluster/shards?db=it&table=nope", null).status()).isEqualTo(404);
    JsonNode nodes = Http.get(url("2") + "/api/v3/cluster/nodes", null).json();
    assertThat(nodes).hasSize(3);
    assertThat(nodes.get(0).get("status").asText()).isEqualTo("Active");
  }

  private void awaitShardKnown(String nodeId, long shardId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      Http.Response r = Http.get(url(nodeId) + "/api/v3/cluster/shards?db=it", null);
      if (r.status() == 200 && r.body().contains("\"id\":" + shardId + ",")) {
        return;
      }
      sleep(200);
    }
    throw new AssertionError("node " + nodeId + " never learned shard " + shardId);
  }

  private void awaitShardsKnown(String nodeId, String table, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      Http.Response r = Http.get(url(nodeId) + "/api/v3/cluster/shards?db=it&table=" + table, null);
      if (r.status() == 200 && r.json().size() >= count) {
        return;
      }
      sleep(200);
    }
    throw new AssertionError("node " + nodeId + " never learned " + count + " shards of " + table);
  }

  private Map<String, Double> fragments() {
    Map<String, Double> out = new HashMap<>();
    for (LocalNode n : cluster.nodes()) {
      out.put(n.id(), metric(n.clientUrl(), "loadchaos_query_fragments_total"));
    }
    return out;
  }

  static double metric(String baseUrl, String series) {
    Http.Response r = Http.get(baseUrl + "/metrics", null);
    for (String line : r.body().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("metric " + series + " not found in:\n" + r.body());
  }

  /** {@code n} points of one batch: unique (writer, seq) tags, fixed values, distinct timestamps. */
  String batch(String table, String writer, int b, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int seq = b * n + i;
      sb.append(table).append(",writer=").append(writer).append(",seq=").append(seq).append(" v=").append(seq * 1.5).append(' ')
          .append(now + seq).append('\n');
    }
    return sb.toString();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
