package io.loadchaos.refcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.etcd.EtcdEnsemble;
import io.loadchaos.local.LocalCluster;
import io.loadchaos.local.LocalNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference cluster with its catalog in etcd (issue #20): real etcd members and real node
 * processes. One cluster for the class, in order: concurrent moves, then etcd without quorum, then
 * the loss of node 1 (which used to be the meta node), so each step also runs on what the last left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdCatalogClusterTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  @TempDir static Path dir;
  static LocalCluster cluster;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder().nodes(3).replicationFactor(2).dataDir(dir).etcdCatalog("etcd-catalog-test").start();
    String lp = "cpu,host=a v=1 " + T0 + "\ncpu,host=b v=2 " + (T0 + 1) + "\n";
    Http.Response w = Http.writeLp(url("1"), "edb", lp);
    assertThat(w.status()).as(w.body()).isEqualTo(204);
    await("every node to know table edb.cpu", () -> {
      for (String id : List.of("1", "2", "3")) {
        if (shards(url(id)).size() != 1) {
          return false;
        }
      }
      return true;
    });
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static String url(String id) {
    return cluster.node(id).clientUrl();
  }

  static JsonNode shards(String base) {
    Http.Response r = Http.get(base + "/api/v3/cluster/shards?db=edb&table=cpu", null);
    return r.status() == 200 ? r.json() : Http.JSON.createArrayNode();
  }

  static List<String> owners(JsonNode shard) {
    List<String> out = new ArrayList<>();
    shard.get("node_ids").forEach(n -> out.add(n.asText()));
    return out;
  }

  static void await(String what, BooleanSupplier done) {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static boolean listsDatabase(String base, String db) {
    Http.Response r = Http.get(base + "/api/v3/configure/database", null);
    return r.status() == 200 && r.body().contains("\"" + db + "\"");
  }

  @Test
  @Order(1)
  void ofTwoConcurrentMovesOfOneShardExactlyOneWins() {
    JsonNode shard = shards(url("1")).get(0);
    List<String> before = owners(shard);
    String target = List.of("1", "2", "3").stream().filter(id -> !before.contains(id)).findFirst().orElseThrow();
    String body = "{\"db_name\":\"edb\",\"table_name\":\"cpu\",\"shard_id_str\":\"" + shard.get("id").asText()
        + "\",\"target_node_id_str\":\"" + target + "\"}";
    // asked of two different nodes at once: no meta node serializes them, only etcd's CAS
    CompletableFuture<Http.Response> a = CompletableFuture.supplyAsync(() -> Http.post(url("2") + "/api/v3/cluster/shards/move", body, null));
    CompletableFuture<Http.Response> b = CompletableFuture.supplyAsync(() -> Http.post(url("3") + "/api/v3/cluster/shards/move", body, null));
    List<Http.Response> answers = List.of(a.join(), b.join());
    assertThat(answers).extracting(Http.Response::status).as(answers.toString()).containsExactlyInAnyOrder(202, 409);
    Http.Response lost = answers.get(0).status() == 409 ? answers.get(0) : answers.get(1);
    assertThat(lost.json().get("error").asText()).containsAnyOf("conflict", "already");

    long id = shard.get("id").asLong();
    await("the move to complete on every node", () -> {
      for (String n : List.of("1", "2", "3")) {
        JsonNode s = shards(url(n));
        if (s.size() != 1 || s.get(0).has("move") || !s.get(0).has("last_move") || !owners(s.get(0)).contains(target)) {
          return false;
        }
      }
      return true;
    });
    for (String n : List.of("1", "2", "3")) {
      JsonNode s = shards(url(n)).get(0);
      List<String> after = owners(s);
      assertThat(s.get("id").asLong()).isEqualTo(id);
      assertThat(after).as("owners on node " + n).hasSize(2).doesNotHaveDuplicates().contains(target);
      assertThat(new HashSet<>(before)).as("one source replaced, the other owner kept").containsAnyElementsOf(after);
      assertThat(s.get("last_move").get("outcome").asText()).isEqualTo("Completed");
    }
  }

  @Test
  @Order(2)
  void ofTwoConcurrentCreationsOfOneDatabaseExactlyOneWins() {
    for (int round = 0; round < 5; round++) {
      String body = "{\"db\":\"race" + round + "\"}";
      CompletableFuture<Http.Response> a = CompletableFuture.supplyAsync(() -> Http.post(url("1") + "/api/v3/configure/database", body, null));
      CompletableFuture<Http.Response> b = CompletableFuture.supplyAsync(() -> Http.post(url("2") + "/api/v3/configure/database", body, null));
      List<Http.Response> answers = List.of(a.join(), b.join());
      assertThat(answers).extracting(Http.Response::status).as(answers.toString()).containsExactlyInAnyOrder(201, 409);
    }
  }

  @Test
  @Order(3)
  void withoutEtcdQuorumDataFlowsAndCatalogChangesAnswer503NamingEtcd() {
    EtcdEnsemble etcd = cluster.etcd().orElseThrow();
    etcd.member(1).pause();
    etcd.member(2).pause();
    try {
      Http.Response w = Http.writeLp(url("2"), "edb", "cpu,host=c v=3 " + (T0 + 2) + "\n");
      assertThat(w.status()).as("a write to an existing table: " + w.body()).isEqualTo(204);
      assertThat(Http.sqlLong(url("3"), "edb", "SELECT count(*) FROM cpu")).isEqualTo(3);

      Http.Response change = Http.post(url("3") + "/api/v3/configure/database", "{\"db\":\"bdb\"}", null);
      assertThat(change.status()).as(change.body()).isEqualTo(503);
      assertThat(change.json().get("error").asText()).startsWith("catalog unavailable: etcd 127.0.0.1:");

      // a node that starts while etcd has no quorum serves the catalog it persisted
      cluster.node("3").terminate();
      cluster.node("3").start();
      assertThat(Http.sqlLong(url("3"), "edb", "SELECT count(*) FROM cpu")).isEqualTo(3);
      Http.Response w2 = Http.writeLp(url("3"), "edb", "cpu,host=d v=4 " + (T0 + 3) + "\n");
      assertThat(w2.status()).as(w2.body()).isEqualTo(204);
    } finally {
      etcd.member(1).resume();
      etcd.member(2).resume();
    }
    Http.Response change;
    long deadline = System.currentTimeMillis() + 30_000;
    do {
      change = Http.post(url("3") + "/api/v3/configure/database", "{\"db\":\"bdb\"}", null);
    } while (change.status() == 503 && System.currentTimeMillis() < deadline);
    assertThat(change.status()).as(change.body()).isEqualTo(201);
    await("every node to list bdb", () -> listsDatabase(url("1"), "bdb") && listsDatabase(url("2"), "bdb") && listsDatabase(url("3"), "bdb"));
  }

  @Test
  @Order(4)
  void afterNode1IsKilledAnyNodeServesManagementCalls() {
    cluster.node("1").kill();
    Http.Response db = Http.post(url("2") + "/api/v3/configure/database", "{\"db\":\"adb\"}", null);
    assertThat(db.status()).as(db.body()).isEqualTo(201);

    LocalNode fourth = cluster.addNode();
    String addr = fourth.httpAddress().getHostString() + ":" + fourth.httpAddress().getPort();
    Http.Response add = Http.post(url("2") + "/api/v3/cluster/nodes", "{\"id\":" + fourth.id() + ",\"rpc_address\":\"" + addr + "\"}", null);
    assertThat(add.status()).as(add.body()).isEqualTo(201);

    await("node 3 to see adb and node " + fourth.id(), () -> listsDatabase(url("3"), "adb")
        && Http.get(url("3") + "/api/v3/cluster/nodes", null).body().contains(addr));
    await("the new node to learn the catalog from etcd", () -> listsDatabase(fourth.clientUrl(), "adb"));
  }

  @Test
  @Order(5)
  void catalogChangesGoOnAcrossARestartOfTheEtcdLeader() {
    cluster.etcd().orElseThrow().leader().restart();
    Http.Response change;
    long deadline = System.currentTimeMillis() + 30_000;
    do {
      // 503 while the restarted member rejoins and a leader is elected, never a lost or doubled change
      change = Http.post(url("3") + "/api/v3/configure/database", "{\"db\":\"rdb\"}", null);
    } while (change.status() == 503 && System.currentTimeMillis() < deadline);
    assertThat(change.status()).as(change.body()).isEqualTo(201);
    await("nodes 2, 3 and 4 to list rdb", () -> listsDatabase(url("2"), "rdb") && listsDatabase(url("3"), "rdb") && listsDatabase(url("4"), "rdb"));
  }
}
