package io.loadchaos.refcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.local.LocalCluster;
import io.loadchaos.local.LocalNode;
import io.loadchaos.objectstore.ObjectStoreServer;
import io.loadchaos.refcluster.snapshot.Snapshotter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Real node processes snapshotting to the real s3proxy child (docs/storage.md): Parquet in the bucket,
 * restarts that replay only the WAL tail, and a SIGKILL between the snapshot's commit and the WAL
 * truncation that loses and duplicates nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotStorageTest {
  private static final Pattern REPLAYED = Pattern.compile("WAL replayed: (\\d+) records from segment");
  private static final long HOUR_NS = 3_600_000_000_000L;
  /** Every point in one 1h time shard. */
  private final long base = (System.currentTimeMillis() * 1_000_000L / HOUR_NS) * HOUR_NS;

  @TempDir Path dir;
  ObjectStoreServer store;
  LocalCluster cluster;

  @BeforeAll
  void startStore() throws IOException {
    store = ObjectStoreServer.builder().withDataDir(Files.createTempDirectory("snapshot-store")).withLabel("snapshot-test")
        .withBucket("snapshots").start();
  }

  @AfterAll
  void stopStore() {
    if (store != null) {
      store.close();
    }
  }

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private LocalNode startNode(Path data, String... extra) {
    List<String> args = new ArrayList<>(List.of("--snapshot-rows", "1000", "--snapshot-interval", "1h"));
    args.addAll(List.of(extra));
    cluster = LocalCluster.builder().nodes(1).replicationFactor(1).dataDir(data)
        .objectStore(store.endpoint(), store.bucket(), store.credentials()).extraNodeArgs(args).start();
    return cluster.node("1");
  }

  /** {@code n} points from index {@code from} in batches of 100: every field type, 5 series. */
  private static void write(LocalNode node, long base, int from, int n, double value) {
    for (int start = from; start < from + n; start += 100) {
      StringBuilder lp = new StringBuilder();
      for (int i = start; i < Math.min(start + 100, from + n); i++) {
        lp.append("cpu,host=h").append(i % 5).append(" usage=").append(value + i).append(",n=").append(i)
            .append("i,u=18446744073709551615u,s=\"v").append(i).append("\",ok=").append(i % 2 == 0).append(' ')
            .append(base + i * 1_000_000L).append('\n');
      }
      Http.Response r = Http.writeLp(node.clientUrl(), "it", lp.toString());
      assertThat(r.status()).as(r.body()).isEqualTo(204);
    }
  }

  private static JsonNode awaitIndex(LocalNode node, long cycle) throws Exception {
    Path index = node.dataDir().resolve("snapshots/index.json");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(index)) {
        JsonNode idx = Http.JSON.readTree(index.toFile());
        if (idx.get("cycle").asLong() >= cycle) {
          return idx;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no snapshot cycle " + cycle + " within 60 s; log tail:\n" + node.logTail(30));
  }

  /** The count in the last "WAL replayed" line of the node's log. */
  private static long lastReplayed(LocalNode node) throws IOException {
    Matcher m = REPLAYED.matcher(Files.readString(node.logFile()));
    long last = -1;
    while (m.find()) {
      last = Long.parseLong(m.group(1));
    }
    return last;
  }

  private static List<Path> walSegments(LocalNode node) throws IOException {
    try (Stream<Path> s = Files.list(node.dataDir().resolve("wal/segments"))) {
      return s.sorted().toList();
    }
  }

  @Test
  void aSnapshotIsUploadedAsParquetAnIndependentReaderCanRead() throws Exception {
    LocalNode node = startNode(dir.resolve("c1"));
    write(node, base, 0, 1000, 0.5);
    JsonNode idx = awaitIndex(node, 1);
    JsonNode entry = idx.get("shards").get(0);
    assertThat(idx.get("shards")).hasSize(1);
    assertThat(entry.get("rows").asLong()).isEqualTo(1000);
    String key = entry.get("key").asText();
    assertThat(key).matches("it/cpu/\\d+/1/snapshot-1\\.parquet");

    Path downloaded = dir.resolve("downloaded.parquet");
    try (S3Client s3 = store.client()) {
      List<String> keys = s3.listObjectsV2(b -> b.bucket(store.bucket()).prefix("it/cpu/")).contents().stream().map(S3Object::key)
          .filter(k -> k.endsWith(".parquet")).toList();
      assertThat(keys).containsExactly(key);
      s3.getObject(b -> b.bucket(store.bucket()).key(key), downloaded);
    }
    // DuckDB in this JVM reads the object as any Parquet reader would
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT host), sum(n), min(u), count(*) FILTER (WHERE ok), max(time)"
            + " FROM read_parquet('" + downloaded + "')")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(1000);
      assertThat(rs.getLong(2)).isEqualTo(5);
      assertThat(rs.getLong(3)).isEqualTo(999L * 1000 / 2);
      assertThat(rs.getString(4)).isEqualTo("18446744073709551615");
      assertThat(rs.getLong(5)).isEqualTo(500);
      assertThat(rs.getLong(6)).isEqualTo(base + 999 * 1_000_000L);
    }
  }

  @Test
  void everyReplicaSnapshotsUnderItsOwnNodeAfterTheIntervalWithFewRows() throws Exception {
    cluster = LocalCluster.builder().nodes(2).replicationFactor(2).dataDir(dir.resolve("c4"))
        .objectStore(store.endpoint(), store.bucket(), store.credentials())
        .extraNodeArgs(List.of("--snapshot-rows", "1000000", "--snapshot-interval", "1s")).start();
    Http.Response r = Http.writeLp(cluster.node("1").clientUrl(), "it2", "mem,host=a used=1i " + base + "\nmem,host=b used=2i " + base);
    assertThat(r.status()).as(r.body()).isEqualTo(204);
    List<String> keys = new ArrayList<>();
    for (LocalNode n : cluster.nodes()) {
      JsonNode entry = awaitIndex(n, 1).get("shards").get(0);
      assertThat(entry.get("rows").asLong()).isEqualTo(2);
      keys.add(entry.get("key").asText());
    }
    assertThat(keys.get(0)).matches("it2/mem/\\d+/1/snapshot-1\\.parquet");
    assertThat(keys.get(1)).matches("it2/mem/\\d+/2/snapshot-1\\.parquet");
    try (S3Client s3 = store.client()) {
      for (String k : keys) {
        assertThat(s3.headObject(b -> b.bucket(store.bucket()).key(k)).contentLength()).isPositive();
      }
    }
  }

  @Test
  void aRestartLoadsTheSnapshotAndReplaysOnlyTheWalTail() throws Exception {
    LocalNode node = startNode(dir.resolve("c2"));
    write(node, base, 0, 1000, 0.5);
    awaitIndex(node, 1);
    // three more batches after the snapshot: three WAL records in the tail
    write(node, base, 1000, 300, 0.5);
    node.kill();
    node.start();
    assertThat(lastReplayed(node)).isEqualTo(3);
    assertThat(Http.get(node.clientUrl() + "/metrics", null).body()).containsPattern("(?m)^loadchaos_wal_replayed_records 3\\.0$")
        .containsPattern("(?m)^loadchaos_snapshot_cycle 1\\.0$");
    assertThat(Http.sqlLong(node.clientUrl(), "it", "SELECT count(*) FROM cpu")).isEqualTo(1300);
    assertThat(Http.sqlLong(node.clientUrl(), "it", "SELECT sum(n) FROM cpu")).isEqualTo(1299L * 1300 / 2);
    assertThat(Http.sqlLong(node.clientUrl(), "it", "SELECT count(*) FROM cpu WHERE u = 18446744073709551615 AND s LIKE 'v%'"))
        .isEqualTo(1300);
    assertThat(Http.sqlLong(node.clientUrl(), "it", "SELECT count(*) FROM cpu WHERE ok")).isEqualTo(650);
    assertThat(Http.sqlLong(node.clientUrl(), "it", "SELECT CAST(sum(usage) * 2 AS BIGINT) FROM cpu")).isEqualTo(1300 + 1299L * 1300);
  }

  @Test
  void aKillBetweenSnapshotCommitAndWalTruncationLosesNothingAndDuplicatesNothing() throws Exception {
    LocalNode node = startNode(dir.resolve("c3"), "--test-pause-before-wal-truncate");
    write(node, base, 0, 1000, 0.5);
    Path marker = node.dataDir().resolve("snapshots").resolve(Snapshotter.PAUSE_MARKER);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.exists(marker) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(marker).as(node.logTail(20)).exists();
    // the snapshot is uploaded and committed, the WAL it covers is still there
    assertThat(awaitIndex(node, 1).get("walFrom").asLong()).isEqualTo(1);
    assertThat(walSegments(node)).hasSize(2);
    // acknowledged while paused: 200 new points and 100 overwrites of snapshotted ones with new values
    write(node, base, 1000, 200, 0.5);
    write(node, base, 0, 100, 1000.5);
    node.kill();
    Files.delete(marker);
    node.start();
    // the covered segment is deleted at start, not replayed: only the three records written while paused are
    assertThat(lastReplayed(node)).isEqualTo(3);
    assertThat(walSegments(node)).extracting(p -> p.getFileName().toString()).doesNotContain("000000000000.log");
    assertThat(Http.sqlLong(node.clientUrl(), "it", "SELECT count(*) FROM cpu")).isEqualTo(1200);
    assertThat(Http.sqlLong(node.clientUrl(), "it", "SELECT count(DISTINCT time) FROM cpu")).isEqualTo(1200);
    assertThat(Http.sqlLong(node.clientUrl(), "it", "SELECT count(*) FROM cpu WHERE usage >= 1000.5 AND n < 100")).isEqualTo(100);
    assertThat(Http.sqlLong(node.clientUrl(), "it", "SELECT sum(n) FROM cpu")).isEqualTo(1199L * 1200 / 2);
  }
}
