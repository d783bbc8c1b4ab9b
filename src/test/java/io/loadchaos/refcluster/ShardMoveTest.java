package io.loadchaos.refcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.local.LocalCluster;
import io.loadchaos.local.LocalNode;
import io.loadchaos.refcluster.management.RebalanceCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Horizontal scaling on real processes: a 4th node joins a loaded 3-node cluster and receives a
 * shard by move while writes continue; then a node is decommissioned under write load. Each step
 * ends with a read-back of every acknowledged point.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShardMoveTest {
  static final List<String> STATES = List.of("Stable", "MigratingSnapshot", "MigratingWAL", "AwaitingCutover", "Stable");

  @TempDir static Path dir;
  static LocalCluster cluster;
  static final AtomicLong seq = new AtomicLong();
  static final Set<Long> acked = new HashSet<>();
  static final Set<Long> unknown = new HashSet<>();

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder().nodes(3).replicationFactor(1).dataDir(dir).start();
    String n1 = cluster.node("1").clientUrl();
    assertThat(Http.post(n1 + "/api/v3/configure/database", "{\"db\":\"sc\"}", null).status()).isEqualTo(201);
    assertThat(Http.post(n1 + "/api/v3/configure/table",
        "{\"db\":\"sc\",\"table\":\"cpu\",\"tags\":[\"host\"],\"fields\":[{\"name\":\"seq\",\"type\":\"int64\"},{\"name\":\"v\",\"type\":\"float64\"}]}",
        null).status()).isEqualTo(201);
    assertThat(Http.put(n1 + "/api/v3/cluster/tables/sharding",
        "{\"db_name\":\"sc\",\"table_name\":\"cpu\",\"shard_keys\":[\"host\"],\"num_hash_partitions\":3,\"replication_factor\":1}", null)
        .status()).isEqualTo(200);
    LoadWriter preload = new LoadWriter(urls(), "sc", "cpu", 500, seq);
    for (int i = 0; i < 30; i++) {
      assertThat(preload.writeBatch(urls().get(i % 3))).isEqualTo(204);
    }
    acked.addAll(preload.acked);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static List<String> urls() {
    List<String> out = new ArrayList<>();
    for (LocalNode n : cluster.nodes()) {
      if (n.isRunning()) {
        out.add(n.clientUrl());
      }
    }
    return out;
  }

  static JsonNode shards(String url) {
    Http.Response r = Http.get(url + "/api/v3/cluster/shards?db=sc&table=cpu", null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static JsonNode shard(String url, long id) {
    for (JsonNode s : shards(url)) {
      if (s.get("id").asLong() == id) {
        return s;
      }
    }
    throw new AssertionError("no shard " + id);
  }

  static void await(String what, long millis, BooleanSupplier ok) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (!ok.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + millis + " ms waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  static long localRows(String url, long shardId) {
    Http.Response r = Http.get(url + "/api/v3/query_sql?db=sc&local=true&shard=" + shardId + "&q=" + Http.enc("SELECT count(*) AS n FROM cpu"), null);
    if (r.status() == 404) {
      return 0;
    }
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().get(0).get("n").asLong();
  }

  /** Every acknowledged seq must be readable; nothing that was never written may appear. */
  static void readBack(String url) throws InterruptedException {
    Http.Response r = Http.sql(url, "sc", "SELECT seq FROM cpu");
    // a node that has not pulled the cutover yet answers 503 naming the shard (documented, never
    // partial data); it pulls the catalog every second, so a client retries briefly
    for (int i = 0; i < 20 && r.status() == 503; i++) {
      Thread.sleep(250);
      r = Http.sql(url, "sc", "SELECT seq FROM cpu");
    }
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    Set<Long> seen = new HashSet<>();
    for (JsonNode row : r.json()) {
      seen.add(row.get("seq").asLong());
    }
    Set<Long> missing = new HashSet<>(acked);
    missing.removeAll(seen);
    assertThat(missing).as("acknowledged points missing after the change (of " + acked.size() + ")").isEmpty();
    Set<Long> extra = new HashSet<>(seen);
    extra.removeAll(acked);
    extra.removeAll(unknown);
    assertThat(extra).as("points that were never written").isEmpty();
  }

  static void absorb(LoadWriter w) {
    acked.addAll(w.acked);
    unknown.addAll(w.unknown);
  }

  @Test
  @Order(1)
  void fourthNodeJoinsAndReceivesAShardWhileWritesContinue() throws Exception {
    LocalNode n4 = cluster.addNode();
    assertThat(n4.id()).isEqualTo("4");
    String addr = "127.0.0.1:" + n4.httpAddress().getPort();
    Http.Response reg = Http.post(cluster.node("2").clientUrl() + "/api/v3/cluster/nodes",
        "{\"id\":4,\"rpc_address\":\"" + addr + "\",\"http_address\":\"" + addr + "\",\"status\":\"Active\"}", null);
    assertThat(reg.status()).as(reg.body()).isEqualTo(201);
    // the new node fetched the catalog from the meta node
    await("node 4 to learn the table", 10_000, () -> Http.sql(n4.clientUrl(), "sc", "SELECT count(*) FROM cpu").status() == 200);

    long shardId = -1;
    String source = null;
    long most = -1;
    for (JsonNode s : shards(cluster.node("1").clientUrl())) {
      String owner = s.get("node_ids").get(0).asText();
      long rows = s.get("row_counts").get(owner).asLong();
      if (rows > most) {
        most = rows;
        shardId = s.get("id").asLong();
        source = owner;
      }
    }
    String sourceUrl = cluster.node(source).clientUrl();
    long sourceRowsBefore = localRows(sourceUrl, shardId);
    assertThat(sourceRowsBefore).isPositive();

    LoadWriter load = new LoadWriter(urls(), "sc", "cpu", 50, seq).start(3, 2_000, 60_000);
    Thread.sleep(500); // writes are flowing before the move starts
    Http.Response mv = Http.post(cluster.node("3").clientUrl() + "/api/v3/cluster/shards/move",
        "{\"db_name\":\"sc\",\"table_name\":\"cpu\",\"shard_id_str\":\"" + shardId + "\",\"target_node_id_str\":\"4\"}", null);
    assertThat(mv.status()).as(mv.body()).isEqualTo(202);
    assertThat(Http.post(cluster.node("3").clientUrl() + "/api/v3/cluster/shards/move",
        "{\"db_name\":\"sc\",\"table_name\":\"cpu\",\"shard_id_str\":\"" + shardId + "\",\"target_node_id_str\":\"4\"}", null).status())
        .as("a second move of a moving shard").isEqualTo(409);
    final long id = shardId;
    await("the move to complete", 60_000, () -> {
      JsonNode s = shard(cluster.node("1").clientUrl(), id);
      return s.has("last_move") && !s.has("move");
    });
    Thread.sleep(500); // writes keep flowing after the cutover
    load.close();
    absorb(load);
    assertThat(load.batchesAcked.get()).as("writes kept being acknowledged during the move").isGreaterThan(10);

    JsonNode s = shard(cluster.node("2").clientUrl(), shardId);
    assertThat(s.get("status").asText()).isEqualTo("Stable");
    assertThat(s.get("node_ids").get(0).asLong()).isEqualTo(4L);
    assertThat(s.get("node_ids")).hasSize(1);
    assertThat(s.get("last_move").get("outcome").asText()).isEqualTo("Completed");
    assertThat(s.get("last_move").get("source_copy").asText()).isEqualTo("Cleaned");
    List<String> history = new ArrayList<>();
    s.get("history").forEach(h -> history.add(h.get("status").asText()));
    assertThat(history).as("every state of the move, in order").containsSubsequence(STATES);
    assertThat(history.subList(history.size() - 5, history.size())).isEqualTo(STATES);

    long onTarget = localRows(n4.clientUrl(), shardId);
    System.out.printf("move of shard %d (%d rows on node %s before) to node 4 under %d acknowledged batches: %s%n", shardId,
        sourceRowsBefore, source, load.batchesAcked.get(), s.get("history"));
    assertThat(onTarget).as("the new owner serves the shard").isGreaterThanOrEqualTo(sourceRowsBefore);
    assertThat(s.get("row_counts").get("4").asLong()).isEqualTo(onTarget);
    assertThat(localRows(sourceUrl, shardId)).as("the source copy is gone").isZero();
    readBack(n4.clientUrl());
    readBack(cluster.node("1").clientUrl());
  }

  @Test
  @Order(2)
  void decommissionUnderWriteLoad() throws Exception {
    String n1 = cluster.node("1").clientUrl();
    // the victim: a non-meta node that owns shards (which ones depends on placement and the move)
    String victim = null;
    List<Long> owned = new ArrayList<>();
    for (String candidate : List.of("2", "3", "4")) {
      for (JsonNode s : shards(n1)) {
        for (JsonNode o : s.get("node_ids")) {
          if (o.asText().equals(candidate)) {
            owned.add(s.get("id").asLong());
          }
        }
      }
      if (!owned.isEmpty()) {
        victim = candidate;
        break;
      }
    }
    assertThat(victim).as("some non-meta node owns shards").isNotNull();
    List<String> writeTo = new ArrayList<>();
    for (String id : List.of("1", "2", "3", "4")) {
      if (!id.equals(victim)) {
        writeTo.add(cluster.node(id).clientUrl());
      }
    }
    LoadWriter load = new LoadWriter(writeTo, "sc", "cpu", 50, seq).start(3, 2_000, 60_000);
    Thread.sleep(500);
    Http.Response r = Http.post(writeTo.get(2) + "/api/v3/cluster/nodes/" + victim + "/decommission", "", null);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    final String v = victim;
    await("node " + victim + " to be Decommissioned", 90_000, () -> {
      for (JsonNode n : Http.get(n1 + "/api/v3/cluster/nodes", null).json()) {
        if (n.get("id").asText().equals(v)) {
          return n.get("status").asText().equals("Decommissioned");
        }
      }
      return false;
    });
    Thread.sleep(300);
    load.close();
    absorb(load);
    assertThat(load.batchesAcked.get()).isGreaterThan(10);
    for (JsonNode s : shards(n1)) {
      for (JsonNode o : s.get("node_ids")) {
        assertThat(o.asText()).as("no shard lists the decommissioned node").isNotEqualTo(victim);
      }
      assertThat(s.get("status").asText()).isEqualTo("Stable");
    }
    for (long id : owned) {
      assertThat(localRows(cluster.node(victim).clientUrl(), id)).as("node " + victim + " holds nothing of shard " + id).isZero();
    }
    readBack(n1);
    // it can now be stopped with no data loss
    cluster.node(victim).terminate();
    readBack(writeTo.get(1));
  }

  @Test
  @Order(3)
  void rebalanceCliMovesTheNamedShard() throws Exception {
    String n1 = cluster.node("1").clientUrl();
    JsonNode s = shards(n1).get(0);
    String owner = s.get("node_ids").get(0).asText();
    String target = null;
    for (JsonNode n : Http.get(n1 + "/api/v3/cluster/nodes", null).json()) {
      if (n.get("status").asText().equals("Active") && !n.get("id").asText().equals(owner)) {
        target = n.get("id").asText();
      }
    }
    assertThat(target).isNotNull();
    int code = new CommandLine(new RebalanceCommand())
        .execute("--url", n1, "--db", "sc", "--table", "cpu", "--target", target, "--shard", s.get("id").asText(), "--timeout", "60");
    assertThat(code).isZero();
    JsonNode after = shard(n1, s.get("id").asLong());
    assertThat(after.get("node_ids").get(0).asText()).isEqualTo(target);
    readBack(cluster.node(target).clientUrl());
  }

  @Test
  @Order(4)
  void moveToACrashedTargetWaitsVisiblyAndResumesWhenItReturns() throws Exception {
    crashedMove(false);
  }

  @Test
  @Order(5)
  void moveFromACrashedSourceWaitsVisiblyAndResumesWhenItReturns() throws Exception {
    crashedMove(true);
  }

  /** Kills the source or the target, asks for the move, checks it waits visibly, restarts the node, checks it completes. */
  private void crashedMove(boolean killSource) throws Exception {
    String n1 = cluster.node("1").clientUrl();
    JsonNode s = null;
    for (JsonNode x : shards(n1)) {
      if (!killSource || !x.get("node_ids").get(0).asText().equals("1")) {
        s = x; // never kill the meta node: it coordinates the move
      }
    }
    assertThat(s).isNotNull();
    String owner = s.get("node_ids").get(0).asText();
    String target = null;
    for (JsonNode n : Http.get(n1 + "/api/v3/cluster/nodes", null).json()) {
      String id = n.get("id").asText();
      if (n.get("status").asText().equals("Active") && !id.equals(owner) && (killSource || !id.equals("1"))) {
        target = id;
      }
    }
    assertThat(target).isNotNull();
    String victim = killSource ? owner : target;
    cluster.node(victim).kill();
    List<String> live = new ArrayList<>();
    for (LocalNode n : cluster.nodes()) {
      if (n.isRunning()) {
        live.add(n.clientUrl());
      }
    }
    LoadWriter load = new LoadWriter(live, "sc", "cpu", 50, seq).start(2, 2_000, 60_000);
    Http.Response mv = Http.post(n1 + "/api/v3/cluster/shards/move", "{\"db_name\":\"sc\",\"table_name\":\"cpu\",\"shard_id_str\":\""
        + s.get("id").asText() + "\",\"target_node_id_str\":\"" + target + "\"}", null);
    assertThat(mv.status()).as(mv.body()).isEqualTo(202);
    long id = s.get("id").asLong();
    await("the listing to show the move retrying", 30_000, () -> {
      JsonNode x = shard(n1, id);
      return x.has("move") && x.get("move").get("attempts").asInt() >= 1;
    });
    assertThat(shard(n1, id).get("node_ids").get(0).asText()).as("no cutover while node " + victim + " is down").isEqualTo(owner);
    cluster.node(victim).start();
    final String t = target;
    await("the move to finish after node " + victim + " returned", 90_000, () -> {
      JsonNode x = shard(n1, id);
      return !x.has("move") && x.get("node_ids").get(0).asText().equals(t);
    });
    load.close();
    absorb(load);
    assertThat(shard(n1, id).get("last_move").get("outcome").asText()).isEqualTo("Completed");
    assertThat(localRows(cluster.node(owner).clientUrl(), id)).isZero();
    readBack(cluster.node(target).clientUrl());
    readBack(n1);
  }
}
