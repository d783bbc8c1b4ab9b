package io.loadchaos.refcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.local.LocalCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every status-code row of the management contract (docs/design.md section 4.3, docs/scenarios.md section 5)
 * against a real 3-node cluster. Calls go to different nodes on purpose: changes made through a
 * non-meta node are forwarded to the meta node and visible everywhere when the call returns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterManagementTest {
  @TempDir static Path dir;
  static LocalCluster cluster;
  static String n1;
  static String n2;
  static String n3;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder().nodes(3).replicationFactor(1).dataDir(dir).start();
    n1 = cluster.node("1").clientUrl();
    n2 = cluster.node("2").clientUrl();
    n3 = cluster.node("3").clientUrl();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static Http.Response delete(String url) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).DELETE().build(),
          HttpResponse.BodyHandlers.ofString());
      return new Http.Response(r.statusCode(), r.body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void assertError(Http.Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.json().get("error").asText()).isNotBlank();
  }

  @Test
  @Order(1)
  void configureDatabaseAndTable() {
    assertThat(Http.post(n2 + "/api/v3/configure/database", "{\"db\":\"mdb\"}", null).status()).isEqualTo(201);
    assertError(Http.post(n3 + "/api/v3/configure/database", "{\"db\":\"mdb\"}", null), 409);
    assertError(Http.post(n1 + "/api/v3/configure/database", "{\"name\":\"x\"}", null), 400);
    assertError(Http.post(n1 + "/api/v3/configure/database", "not json", null), 400);

    String table = "{\"db\":\"mdb\",\"table\":\"cpu\",\"tags\":[\"host\"],\"fields\":[{\"name\":\"seq\",\"type\":\"int64\"},{\"name\":\"v\",\"type\":\"float64\"}]}";
    assertThat(Http.post(n3 + "/api/v3/configure/table", table, null).status()).isEqualTo(201);
    assertError(Http.post(n1 + "/api/v3/configure/table", table, null), 409);
    assertError(Http.post(n1 + "/api/v3/configure/table", table.replace("\"mdb\"", "\"nodb\""), null), 404);
    assertError(Http.post(n1 + "/api/v3/configure/table", table.replace("int64\"},{", "decimal\"},{").replace("cpu", "cpu2"), null), 400);
    // the table exists on every node before any write: a query answers (empty) everywhere
    for (String n : new String[] {n1, n2, n3}) {
      assertThat(Http.sqlLong(n, "mdb", "SELECT count(*) FROM cpu")).isZero();
    }
  }

  @Test
  @Order(2)
  void tableSharding() {
    String ok = "{\"db_name\":\"mdb\",\"table_name\":\"cpu\",\"shard_keys\":[\"host\"],\"num_hash_partitions\":3,\"replication_factor\":1}";
    assertError(Http.put(n2 + "/api/v3/cluster/tables/sharding", ok.replace("\"num_hash_partitions\":3", "\"num_hash_partitions\":0"), null), 400);
    assertError(Http.put(n2 + "/api/v3/cluster/tables/sharding", "{\"db_name\":\"mdb\"}", null), 400);
    assertError(Http.put(n2 + "/api/v3/cluster/tables/sharding", "[]", null), 400);
    assertError(Http.put(n2 + "/api/v3/cluster/tables/sharding", ok.replace("\"mdb\"", "\"nodb\""), null), 404);
    assertError(Http.put(n2 + "/api/v3/cluster/tables/sharding", ok.replace("\"cpu\"", "\"nope\""), null), 404);
    assertError(Http.put(n2 + "/api/v3/cluster/tables/sharding", ok.replace("\"replication_factor\":1", "\"replication_factor\":4"), null), 400);
    Http.Response r = Http.put(n2 + "/api/v3/cluster/tables/sharding", ok, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("status").asText()).isEqualTo("updated");
  }

  @Test
  @Order(3)
  void shardListingSpreadsPartitionsOverNodes() {
    LoadWriter w = new LoadWriter(List.of(n1, n2, n3), "mdb", "cpu", 100, new AtomicLong());
    for (int i = 0; i < 3; i++) {
      assertThat(w.writeBatch(i == 0 ? n1 : i == 1 ? n2 : n3)).isEqualTo(204);
    }
    Http.Response r = Http.get(n3 + "/api/v3/cluster/shards?db=mdb&table=cpu", null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode shards = r.json();
    assertThat(shards).hasSize(3);
    Set<Integer> partitions = new HashSet<>();
    Set<Long> owners = new HashSet<>();
    long rows = 0;
    for (JsonNode s : shards) {
      partitions.add(s.get("hash_partition").asInt());
      assertThat(s.get("node_ids")).hasSize(1);
      owners.add(s.get("node_ids").get(0).asLong());
      assertThat(s.get("node_ids").get(0).isNumber()).isTrue();
      assertThat(s.get("status").asText()).isEqualTo("Stable");
      assertThat(s.get("time_start").asText()).endsWith("Z");
      assertThat(s.get("history").get(0).get("status").asText()).isEqualTo("Stable");
      rows += s.get("row_counts").get(s.get("node_ids").get(0).asText()).asLong();
    }
    assertThat(partitions).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(owners).as("RF=1, 3 partitions, 3 nodes: one partition per node").containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(rows).isEqualTo(300);
    assertThat(Http.get(n1 + "/api/v3/cluster/shards?db=mdb", null).status()).isEqualTo(200);
    assertError(Http.get(n1 + "/api/v3/cluster/shards?db=nodb", null), 404);
    assertError(Http.get(n2 + "/api/v3/cluster/shards?db=mdb&table=nope", null), 404);
  }

  @Test
  @Order(4)
  void nodeApi() {
    JsonNode nodes = Http.get(n2 + "/api/v3/cluster/nodes", null).json();
    assertThat(nodes).hasSize(3);
    for (JsonNode n : nodes) {
      assertThat(n.get("id").isNumber()).isTrue();
      assertThat(n.get("status").asText()).isEqualTo("Active");
      assertThat(n.get("rpc_address").asText()).startsWith("127.0.0.1:");
      assertThat(n.has("created_at") && n.has("updated_at")).isTrue();
    }
    String add = "{\"id\":9,\"rpc_address\":\"127.0.0.1:1\",\"http_address\":\"127.0.0.1:1\",\"status\":\"Inactive\"}";
    assertThat(Http.post(n2 + "/api/v3/cluster/nodes", add, null).status()).isEqualTo(201);
    assertError(Http.post(n3 + "/api/v3/cluster/nodes", add, null), 409);
    assertError(Http.post(n1 + "/api/v3/cluster/nodes", add.replace("9", "\"abc\""), null), 400);
    assertError(Http.post(n1 + "/api/v3/cluster/nodes", "{\"id\":10}", null), 400);
    assertError(Http.post(n1 + "/api/v3/cluster/nodes", "{\"id\":10,\"rpc_address\":\"nohost\"}", null), 400);
    assertThat(Http.get(n3 + "/api/v3/cluster/nodes", null).json()).hasSize(4);

    Http.Response st = Http.put(n3 + "/api/v3/cluster/nodes/9/status", "{\"status\":\"Draining\"}", null);
    assertThat(st.status()).as(st.body()).isEqualTo(200);
    assertThat(st.json().get("status").asText()).isEqualTo("updated");
    assertError(Http.put(n3 + "/api/v3/cluster/nodes/77/status", "{\"status\":\"Active\"}", null), 404);
    assertError(Http.put(n3 + "/api/v3/cluster/nodes/9/status", "{\"status\":\"Sleeping\"}", null), 400);
    assertError(Http.put(n3 + "/api/v3/cluster/nodes/x/status", "{\"status\":\"Active\"}", null), 400);
    boolean draining = false;
    for (JsonNode n : Http.get(n1 + "/api/v3/cluster/nodes", null).json()) {
      draining |= n.get("id").asLong() == 9 && n.get("status").asText().equals("Draining");
    }
    assertThat(draining).isTrue();

    assertThat(delete(n1 + "/api/v3/cluster/nodes/9").status()).isEqualTo(204);
    assertError(delete(n2 + "/api/v3/cluster/nodes/9"), 404);
    assertError(delete(n2 + "/api/v3/cluster/nodes/abc"), 400);
    assertThat(Http.get(n3 + "/api/v3/cluster/nodes", null).json()).hasSize(3);
  }

  @Test
  @Order(5)
  void moveErrors() {
    JsonNode shard = Http.get(n1 + "/api/v3/cluster/shards?db=mdb&table=cpu", null).json().get(0);
    String id = shard.get("id").asText();
    String owner = shard.get("node_ids").get(0).asText();
    String move = "{\"db_name\":\"mdb\",\"table_name\":\"cpu\",\"shard_id_str\":\"" + id + "\",\"target_node_id_str\":\"" + owner + "\"}";
    assertError(Http.post(n2 + "/api/v3/cluster/shards/move", move, null), 409);
    assertError(Http.post(n2 + "/api/v3/cluster/shards/move", move.replace("\"mdb\"", "\"nodb\""), null), 404);
    assertError(Http.post(n2 + "/api/v3/cluster/shards/move", move.replace("\"cpu\"", "\"nope\""), null), 404);
    assertError(Http.post(n2 + "/api/v3/cluster/shards/move", move.replace(id, "12345"), null), 404);
    assertError(Http.post(n2 + "/api/v3/cluster/shards/move", move.replace("\"target_node_id_str\":\"" + owner, "\"target_node_id_str\":\"42"), null), 404);
    assertError(Http.post(n2 + "/api/v3/cluster/shards/move", move.replace(id, "abc"), null), 400);
    assertError(Http.post(n2 + "/api/v3/cluster/shards/move", move.replace("\"target_node_id_str\":\"" + owner, "\"target_node_id_str\":\"x1"), null), 400);
    assertError(Http.post(n2 + "/api/v3/cluster/shards/move", "{\"db_name\":\"mdb\"}", null), 400);
  }

  @Test
  @Order(6)
  void decommissionErrors() {
    assertThat(Http.post(n1 + "/api/v3/configure/table",
        "{\"db\":\"mdb\",\"table\":\"rf3\",\"tags\":[\"host\"],\"fields\":[{\"name\":\"v\",\"type\":\"float64\"}]}", null).status()).isEqualTo(201);
    assertThat(Http.put(n1 + "/api/v3/cluster/tables/sharding",
        "{\"db_name\":\"mdb\",\"table_name\":\"rf3\",\"shard_keys\":[],\"num_hash_partitions\":1,\"replication_factor\":3}", null).status()).isEqualTo(200);
    assertThat(Http.writeLp(n2, "mdb", "rf3,host=a v=1 " + LoadWriter.BASE_NS).status()).isEqualTo(204);
    JsonNode s = Http.get(n1 + "/api/v3/cluster/shards?db=mdb&table=rf3", null).json().get(0);
    assertThat(s.get("node_ids")).hasSize(3);
    // 2 remaining Active nodes cannot hold RF 3
    assertError(Http.post(n3 + "/api/v3/cluster/nodes/2/decommission", "", null), 409);
    assertError(Http.post(n3 + "/api/v3/cluster/nodes/44/decommission", "", null), 404);
    assertError(Http.post(n3 + "/api/v3/cluster/nodes/zz/decommission", "", null), 400);
    for (JsonNode n : Http.get(n1 + "/api/v3/cluster/nodes", null).json()) {
      assertThat(n.get("status").asText()).as("a refused decommission changes nothing").isEqualTo("Active");
    }
  }
}
