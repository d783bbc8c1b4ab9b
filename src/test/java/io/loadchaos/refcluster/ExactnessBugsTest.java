package io.loadchaos.refcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.history.Outcome;
import io.loadchaos.local.LocalCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defects that only an exact check can see (issue 14 part 6), each over HTTP against real
 * nodes, next to its healthy control: the same steps without the bug show no anomaly.
 */
class ExactnessBugsTest {
  /** 2026-01-01T00:00:00Z: every point of a test falls into one hour, so one time shard. */
  private static final long T0 = 1_767_225_600_000_000_000L;

  @TempDir Path dir;

  private LocalCluster cluster(int nodes, String... bugs) {
    return LocalCluster.builder().nodes(nodes).replicationFactor(nodes).dataDir(dir).bugs(List.of(bugs)).start();
  }

  private static JsonNode rows(String url, String sql, boolean local) {
    Http.Response r = Http.get(url + "/api/v3/query_sql?db=b" + (local ? "&local=true" : "") + "&q=" + Http.enc(sql), null);
    assertThat(r.status()).as("%s: %s", sql, r.body()).isEqualTo(200);
    return r.json();
  }

  private static long one(String url, String sql, boolean local) {
    return rows(url, sql, local).get(0).elements().next().asLong();
  }

  private static void write(LocalCluster c, String node, String lp) {
    Http.Response r = Http.writeLp(c.node(node).clientUrl(), "b", lp);
    assertThat(r.status()).as(r.body()).isEqualTo(204);
  }

  // ---- shuffle-values ----------------------------------------------------------------------

  /** Series host=a gets v = 1..5 at T0+1..T0+5 s in one batch; returns v by time as each node's own copy holds it. */
  private static List<List<Long>> shuffleScenario(LocalCluster c) {
    StringBuilder lp = new StringBuilder();
    for (int i = 1; i <= 5; i++) {
      lp.append("m,host=a v=").append(i).append("i,s=\"s").append(i).append("\" ").append(T0 + i * 1_000_000_000L).append('\n');
    }
    lp.append("m,host=b v=100i,s=\"b\" ").append(T0).append('\n');
    write(c, "1", lp.toString());
    List<List<Long>> copies = new ArrayList<>();
    for (String node : List.of("1", "2")) {
      String url = c.node(node).clientUrl();
      assertThat(one(url, "SELECT count(*) FROM m WHERE host = 'a'", true)).as("rows of host=a on node %s", node).isEqualTo(5);
      assertThat(one(url, "SELECT sum(v) FROM m WHERE host = 'a'", true)).as("sum of host=a on node %s", node).isEqualTo(15);
      List<Long> byTime = new ArrayList<>();
      for (JsonNode row : rows(url, "SELECT v, s FROM m WHERE host = 'a' ORDER BY time", true)) {
        // the string field travels with its value: the whole field set moved, not one column
        assertThat(row.get("s").asText()).isEqualTo("s" + row.get("v").asLong());
        byTime.add(row.get("v").asLong());
      }
      copies.add(byTime);
    }
    assertThat(one(c.node("1").clientUrl(), "SELECT v FROM m WHERE host = 'b'", false)).as("a series with one point").isEqualTo(100);
    return copies;
  }

  @Test
  void shuffleValuesMovesValuesToOtherTimestampsWhileCountsSumsAndReplicasAgree() {
    try (LocalCluster c = cluster(2, "shuffle-values")) {
      List<List<Long>> copies = shuffleScenario(c);
      assertThat(copies.get(0)).as("v by time on node 1 (written 1..5)").containsExactly(2L, 3L, 4L, 5L, 1L);
      assertThat(copies.get(1)).as("node 2's copy agrees with node 1's").isEqualTo(copies.get(0));
    }
  }

  @Test
  void withoutShuffleValuesEveryValueStaysAtItsTimestamp() {
    try (LocalCluster c = cluster(2)) {
      List<List<Long>> copies = shuffleScenario(c);
      assertThat(copies.get(0)).containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(copies.get(1)).isEqualTo(copies.get(0));
    }
  }

  // ---- stale-overwrite ---------------------------------------------------------------------

  /**
   * Writes k=1 twice at the same time (v=1, then v=2 in a later request) and k=3 twice within one
   * batch (v=5, then v=6 on a later line); returns "v of k=1, v of k=3" on each node's own copy.
   */
  private static List<String> overwriteScenario(LocalCluster c) {
    write(c, "1", "m,k=1 v=1i " + T0 + "\nm,k=2 v=10i " + T0 + "\nm,k=3 v=5i " + T0 + "\nm,k=3 v=6i " + T0 + "\n");
    write(c, "2", "m,k=1 v=2i " + T0 + "\n");
    List<String> out = new ArrayList<>();
    for (String node : List.of("1", "2")) {
      String url = c.node(node).clientUrl();
      assertThat(one(url, "SELECT count(*) FROM m", true)).as("an overwrite adds no row on node %s", node).isEqualTo(3);
      out.add(one(url, "SELECT v FROM m WHERE k = '1'", true) + ", " + one(url, "SELECT v FROM m WHERE k = '3'", true));
    }
    return out;
  }

  @Test
  void staleOverwriteKeepsTheOldValueOnEveryOwner() {
    try (LocalCluster c = cluster(2, "stale-overwrite")) {
      assertThat(overwriteScenario(c)).as("k=1 (1 then 2), k=3 (5 then 6) on nodes 1 and 2").containsExactly("1, 5", "1, 5");
    }
  }

  @Test
  void withoutStaleOverwriteTheLaterWriteWinsOnEveryOwner() {
    try (LocalCluster c = cluster(2)) {
      // the later request wins, and within one batch the later line, as in InfluxDB
      assertThat(overwriteScenario(c)).containsExactly("2, 6", "2, 6");
    }
  }

  // ---- phantom-write -----------------------------------------------------------------------

  private static final String PHANTOM_LP = "m,k=1 v=1i " + T0 + "\nm,k=2 v=2i " + T0 + "\nm,k=3 v=3i " + T0 + "\n";

  @Test
  void phantomWriteAnswersADefiniteFailureButStoresAndReplicatesTheBatch() {
    try (LocalCluster c = cluster(2, "phantom-write=1")) {
      for (String node : List.of("1", "2")) {
        // a client with failover retries on the next node: the same body is refused there too
        Http.Response r = Http.writeLp(c.node(node).clientUrl(), "b", PHANTOM_LP);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("parsing failed").doesNotContain("partial write");
        assertThat(Outcome.ofWrite(r.status(), r.body())).as("how the harness records the answer").isEqualTo(Outcome.FAIL);
      }
      for (String node : List.of("1", "2")) {
        assertThat(one(c.node(node).clientUrl(), "SELECT count(*) FROM m", true)).as("rows of the refused batch on node %s", node)
            .isEqualTo(3);
      }
    }
  }

  @Test
  void withoutPhantomWriteAStoredBatchIsAcknowledged() {
    try (LocalCluster c = cluster(2)) {
      for (String node : List.of("1", "2")) {
        Http.Response r = Http.writeLp(c.node(node).clientUrl(), "b", PHANTOM_LP);
        assertThat(r.status()).as(r.body()).isEqualTo(204);
        assertThat(Outcome.ofWrite(r.status(), r.body())).isEqualTo(Outcome.OK);
      }
      for (String node : List.of("1", "2")) {
        assertThat(one(c.node(node).clientUrl(), "SELECT count(*) FROM m", true)).isEqualTo(3);
      }
    }
  }

  // ---- merge-duplicates --------------------------------------------------------------------

  private static String tenPoints() {
    StringBuilder lp = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      lp.append("m,host=h").append(i % 3).append(" v=").append(i).append("i ").append(T0 + i).append('\n');
    }
    return lp.toString();
  }

  /** Each node's own copy holds the 10 written rows; returns count(*) and the rows of SELECT * through each node. */
  private static Map<String, long[]> mergeScenario(LocalCluster c) {
    write(c, "1", tenPoints());
    Map<String, long[]> out = new LinkedHashMap<>();
    for (String node : List.of("1", "2")) {
      String url = c.node(node).clientUrl();
      assertThat(one(url, "SELECT count(*) FROM m", true)).as("node %s's own copy", node).isEqualTo(10);
      out.put(node, new long[] {one(url, "SELECT count(*) FROM m", false), rows(url, "SELECT * FROM m", false).size()});
    }
    return out;
  }

  @Test
  void mergeDuplicatesReturnsTheRowsOfTwoOwners() {
    try (LocalCluster c = cluster(2, "merge-duplicates")) {
      Map<String, long[]> seen = mergeScenario(c);
      for (String node : seen.keySet()) {
        assertThat(seen.get(node)).as("count(*) and SELECT * rows through node %s, 10 written at RF=2", node).containsExactly(20, 20);
      }
      // the same (series, time) twice, with the same values
      JsonNode dup = rows(c.node("1").clientUrl(), "SELECT host, time, count(*) AS n, min(v) AS lo, max(v) AS hi FROM m "
          + "GROUP BY host, time HAVING count(*) > 1", false);
      assertThat(dup).hasSize(10);
      dup.forEach(r -> assertThat(r.get("lo").asLong()).isEqualTo(r.get("hi").asLong()));
    }
  }

  @Test
  void withoutMergeDuplicatesEachRowIsReturnedOnce() {
    try (LocalCluster c = cluster(2)) {
      Map<String, long[]> seen = mergeScenario(c);
      for (String node : seen.keySet()) {
        assertThat(seen.get(node)).as("through node %s", node).containsExactly(10, 10);
      }
    }
  }

  // ---- wrong-aggregate ---------------------------------------------------------------------

  /** host a: 3 rows, host b: 4 rows; returns the GROUP BY counts, after checking the ungrouped answers. */
  private static Map<String, Long> aggregateScenario(LocalCluster c) {
    StringBuilder lp = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      lp.append("m,host=").append(i < 3 ? "a" : "b").append(" v=").append(i + 1).append("i ").append(T0 + i).append('\n');
    }
    write(c, "1", lp.toString());
    String url = c.node("1").clientUrl();
    assertThat(one(url, "SELECT count(*) FROM m", false)).as("ungrouped count").isEqualTo(7);
    assertThat(one(url, "SELECT sum(v) FROM m", false)).as("ungrouped sum").isEqualTo(28);
    assertThat(rows(url, "SELECT * FROM m", false)).as("SELECT *").hasSize(7);
    Map<String, Long> groups = new LinkedHashMap<>();
    rows(url, "SELECT host, count(*) AS n FROM m GROUP BY host ORDER BY host", false)
        .forEach(r -> groups.put(r.get("host").asText(), r.get("n").asLong()));
    return groups;
  }

  @Test
  void wrongAggregateDropsOneRowOfOneGroupOnlyInGroupBy() {
    try (LocalCluster c = cluster(1, "wrong-aggregate")) {
      assertThat(aggregateScenario(c)).containsExactly(Map.entry("a", 2L), Map.entry("b", 4L));
    }
  }

  @Test
  void withoutWrongAggregateGroupsAddUpToTheTotal() {
    try (LocalCluster c = cluster(1)) {
      assertThat(aggregateScenario(c)).containsExactly(Map.entry("a", 3L), Map.entry("b", 4L));
    }
  }

  // ---- lost-on-restart ---------------------------------------------------------------------

  /** 20 acknowledged batches of 3 points (fsync on), SIGKILL node 1 and start it; returns each node's own count. */
  private static List<Long> restartScenario(LocalCluster c) {
    for (int b = 0; b < 20; b++) {
      StringBuilder lp = new StringBuilder();
      for (int k = 0; k < 3; k++) {
        lp.append("m,k=").append(k).append(" v=").append(b).append("i ").append(T0 + b).append('\n');
      }
      write(c, b % 2 == 0 ? "1" : "2", lp.toString());
    }
    for (String node : List.of("1", "2")) {
      assertThat(one(c.node(node).clientUrl(), "SELECT count(*) FROM m", true)).as("node %s before the kill", node).isEqualTo(60);
    }
    c.node("1").kill();
    c.node("1").start();
    List<Long> out = new ArrayList<>();
    for (String node : List.of("1", "2")) {
      out.add(one(c.node(node).clientUrl(), "SELECT count(*) FROM m", true));
    }
    return out;
  }

  @Test
  void lostOnRestartDropsTheLastAcknowledgedRecordsOfTheRestartedNode() {
    try (LocalCluster c = cluster(2, "lost-on-restart=5")) {
      assertThat(restartScenario(c)).as("own copies of nodes 1 (restarted) and 2: the last 5 batches are gone from node 1")
          .containsExactly(45L, 60L);
      String url = c.node("1").clientUrl();
      assertThat(one(url, "SELECT max(v) FROM m", true)).as("newest batch left on node 1").isEqualTo(14);
    }
  }

  @Test
  void withoutLostOnRestartARestartedNodeKeepsEveryAcknowledgedRecord() {
    try (LocalCluster c = cluster(2)) {
      assertThat(restartScenario(c)).containsExactly(60L, 60L);
    }
  }
  // ---- slow-start ---------------------------------------------------------------------------

  @Test
  void slowStartRefusesClientsAfterARestartWhileHealthSaysOk() throws InterruptedException {
    try (LocalCluster c = cluster(2, "slow-start=15")) {
      write(c, "1", "m,k=0 v=1i " + T0 + "\n");
      c.node("1").kill();
      c.node("1").start();
      String url = c.node("1").clientUrl();
      Http.Response refused = Http.writeLp(url, "b", "m,k=0 v=2i " + (T0 + 1) + "\n");
      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      assertThat(refused.body()).contains("slow-start");
      assertThat(Http.get(url + "/health", null).status()).isEqualTo(200);
      // it serves again once its S seconds are over (bounded wait, no timing asserted)
      int status = 0;
      for (int i = 0; i < 300 && status != 204; i++) {
        Thread.sleep(200);
        status = Http.writeLp(url, "b", "m,k=0 v=3i " + (T0 + 2) + "\n").status();
      }
      assertThat(status).isEqualTo(204);
    }
  }

  @Test
  void slowStartDoesNotDelayAFirstStart() {
    try (LocalCluster c = cluster(2, "slow-start=30")) {
      write(c, "1", "m,k=0 v=1i " + T0 + "\n");
    }
  }
}
