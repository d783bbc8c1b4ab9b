package io.loadchaos.refcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.local.LocalCluster;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two deliberate move defects each lose acknowledged writes: a shard is moved back and forth
 * between two nodes while writers run, until a read-back finds acknowledged points missing. (The
 * same flow without a defect loses nothing: {@link ShardMoveTest}.)
 */
class MoveBugsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"move-skip-catchup", "move-early-cleanup"})
  void moveBugLosesAcknowledgedWrites(String bug) throws Exception {
    try (LocalCluster c = LocalCluster.builder().nodes(2).replicationFactor(1).dataDir(dir).bugs(List.of(bug)).start()) {
      String n1 = c.node("1").clientUrl();
      String n2 = c.node("2").clientUrl();
      assertThat(Http.post(n1 + "/api/v3/configure/database", "{\"db\":\"bg\"}", null).status()).isEqualTo(201);
      assertThat(Http.post(n2 + "/api/v3/configure/table",
          "{\"db\":\"bg\",\"table\":\"cpu\",\"tags\":[\"host\"],\"fields\":[{\"name\":\"seq\",\"type\":\"int64\"},{\"name\":\"v\",\"type\":\"float64\"}]}",
          null).status()).isEqualTo(201);
      AtomicLong seq = new AtomicLong();
      LoadWriter preload = new LoadWriter(List.of(n1, n2), "bg", "cpu", 2_000, seq);
      for (int i = 0; i < 20; i++) {
        assertThat(preload.writeBatch(i % 2 == 0 ? n1 : n2)).isEqualTo(204);
      }
      Set<Long> acked = new HashSet<>(preload.acked);
      long missing = 0;
      int moves = 0;
      for (int attempt = 0; attempt < 4 && missing == 0; attempt++) {
        moves++;
        JsonNode shard = Http.get(n1 + "/api/v3/cluster/shards?db=bg&table=cpu", null).json().get(0);
        String owner = shard.get("node_ids").get(0).asText();
        String target = owner.equals("1") ? "2" : "1";
        LoadWriter load = new LoadWriter(List.of(n1, n2), "bg", "cpu", 20, seq).start(3, 5_000, 60_000);
        Thread.sleep(300);
        Http.Response mv = Http.post(n2 + "/api/v3/cluster/shards/move", "{\"db_name\":\"bg\",\"table_name\":\"cpu\",\"shard_id_str\":\""
            + shard.get("id").asText() + "\",\"target_node_id_str\":\"" + target + "\"}", null);
        assertThat(mv.status()).as(mv.body()).isEqualTo(202);
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
          JsonNode s = Http.get(n1 + "/api/v3/cluster/shards?db=bg&table=cpu", null).json().get(0);
          if (!s.has("move") && s.get("node_ids").get(0).asText().equals(target)) {
            break;
          }
          assertThat(System.currentTimeMillis()).as("move finished within 60 s").isLessThan(deadline);
          Thread.sleep(100);
        }
        Thread.sleep(300);
        load.close();
        acked.addAll(load.acked);
        Http.Response r = Http.sql(n1, "bg", "SELECT seq FROM cpu");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Set<Long> seen = new HashSet<>();
        r.json().forEach(row -> seen.add(row.get("seq").asLong()));
        missing = acked.stream().filter(x -> !seen.contains(x)).count();
      }
      System.out.printf("--bug %s: %d of %d acknowledged points lost after %d move(s)%n", bug, missing, acked.size(), moves);
      assertThat(missing).as("--bug " + bug + " must lose acknowledged writes during a move").isPositive();
    }
  }
}
