package io.loadchaos.refcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.local.LocalCluster;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each --bug produces its one known anomaly, so the harness's checkers have something real to catch. */
class DeliberateBugsTest {
  @TempDir Path dir;
  final long now = System.currentTimeMillis() * 1_000_000L;

  private String points(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("m,k=").append(i).append(" v=").append(i).append(' ').append(now + i).append('\n');
    }
    return sb.toString();
  }

  private static long localCount(LocalCluster c, String node) {
    Http.Response r = Http.get(c.node(node).clientUrl() + "/api/v3/query_sql?db=b&local=true&q=" + Http.enc("SELECT count(*) AS n FROM m"), null);
    if (r.status() == 404) {
      return 0; // this node never heard of the database
    }
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().get(0).get("n").asLong();
  }

  @Test
  void ackWithoutWriteAcknowledgesPointsThatAreNeverReadable() {
    try (LocalCluster c = LocalCluster.builder().nodes(1).replicationFactor(1).dataDir(dir).bugs(List.of("ack-without-write=1")).start()) {
      // the first batch creates the table for real only if some batch is stored: with P=1 none is
      assertThat(Http.writeLp(c.node("1").clientUrl(), "b", points(10)).status()).isEqualTo(204);
      Http.Response r = Http.sql(c.node("1").clientUrl(), "b", "SELECT count(*) FROM m");
      assertThat(r.status()).as("acknowledged points must be readable, but the database does not even exist").isEqualTo(404);
    }
  }

  @Test
  void noFsyncLosesAcknowledgedWritesOnSigkill() {
    try (LocalCluster c = LocalCluster.builder().nodes(1).replicationFactor(1).dataDir(dir).bugs(List.of("no-fsync")).start()) {
      assertThat(Http.writeLp(c.node("1").clientUrl(), "b", points(10)).status()).isEqualTo(204);
      assertThat(localCount(c, "1")).isEqualTo(10);
      c.node("1").kill();
      c.node("1").start();
      assertThat(localCount(c, "1")).as("acknowledged points after SIGKILL + restart").isZero();
    }
  }

  @Test
  void noReplicationLeavesTheOtherOwnersEmpty() throws Exception {
    try (LocalCluster c = LocalCluster.builder().nodes(2).replicationFactor(2).dataDir(dir).bugs(List.of("no-replication")).start()) {
      assertThat(Http.writeLp(c.node("1").clientUrl(), "b", points(10)).status()).isEqualTo(204);
      Thread.sleep(2_000); // nothing is in flight that could still arrive
      assertThat(localCount(c, "1")).isEqualTo(10);
      assertThat(localCount(c, "2")).as("replica of an acknowledged RF=2 write").isZero();
    }
  }

  @Test
  void dropHintsLeavesARestartedReplicaBehindForever() throws Exception {
    try (LocalCluster c = LocalCluster.builder().nodes(3).replicationFactor(3).dataDir(dir).bugs(List.of("drop-hints")).start()) {
      assertThat(Http.writeLp(c.node("1").clientUrl(), "b", points(5)).status()).isEqualTo(204);
      // 204 means a quorum (2 of 3) applied it: wait until the third replica has it too
      for (int i = 0; i < 40 && localCount(c, "3") != 5; i++) Thread.sleep(250);
      assertThat(localCount(c, "3")).as("replica 3 before the kill").isEqualTo(5);
      c.node("3").kill();
      assertThat(Http.writeLp(c.node("1").clientUrl(), "b", points(20)).status()).isEqualTo(204);
      c.node("3").start();
      Thread.sleep(5_000); // far longer than a hint replay takes without the bug
      assertThat(localCount(c, "1")).isEqualTo(20);
      assertThat(localCount(c, "2")).isEqualTo(20);
      assertThat(localCount(c, "3")).as("restarted replica").isEqualTo(5);
      assertThat(ReferenceClusterTest.metric(c.node("1").clientUrl(), "loadchaos_hints_pending{peer=\"3\"}")).isZero();
    }
  }
}
