package io.loadchaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Replica consistency compares each shard's copies with the read-back's strong per-point hash. */
class ReplicaCheckTest {

  private static final ShardCopies.Shard SHARD = new ShardCopies.Shard("s1", "cpu", List.of("1", "2"), "Stable");

  private static Verdict compare(List<ExpectedData.Point> one, List<ExpectedData.Point> two) throws Exception {
    ShardCopies copies = new ShardCopies() {
      @Override
      public List<Shard> shards() {
        return List.of(SHARD);
      }

      @Override
      public void scanCopy(Shard shard, String nodeId, Consumer<ExpectedData.Point> rows) {
        (nodeId.equals("1") ? one : two).forEach(rows);
      }
    };
    return ReplicaCheck.verdict(new ReplicaCheck(copies).run());
  }

  private static ExpectedData.Point p(String series, long ts, Object v) {
    return new ExpectedData.Point("cpu", series, ts, Map.of("v", v));
  }

  @Test
  void identicalCopiesInAnyOrderAgree() throws Exception {
    assertThat(compare(List.of(p("host=a", 1, 1.5), p("host=a", 2, 2.5)), List.of(p("host=a", 2, 2.5), p("host=a", 1, 1.5)))
        .status()).isEqualTo(Verdict.Status.PASS);
  }

  @Test
  void valuesSwappedBetweenTimestampsDiffer() throws Exception {
    Verdict v = compare(List.of(p("host=a", 1, 1.5), p("host=a", 2, 2.5)), List.of(p("host=a", 1, 2.5), p("host=a", 2, 1.5)));
    assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
    assertThat(v.examples().get("divergent")).singleElement().asString().contains("cpu shard s1");
  }

  @Test
  void aFloatStoredAsAnIntegerOnOneCopyDiffers() throws Exception {
    assertThat(compare(List.of(p("host=a", 1, 1.0)), List.of(p("host=a", 1, 1L))).status()).isEqualTo(Verdict.Status.FAIL);
  }

  @Test
  void aRowMovedToAnotherSeriesDiffers() throws Exception {
    assertThat(compare(List.of(p("host=a", 1, 1.0), p("host=b", 2, 2.0)), List.of(p("host=b", 1, 1.0), p("host=a", 2, 2.0)))
        .status()).isEqualTo(Verdict.Status.FAIL);
  }

  /** Shards whose copies are read from a map by node id; a read of a node not in it fails the test. */
  private static ReplicaCheck.Result check(List<ShardCopies.Shard> shards, List<String> reads) throws Exception {
    ShardCopies copies = new ShardCopies() {
      @Override
      public List<Shard> shards() {
        return shards;
      }

      @Override
      public void scanCopy(Shard shard, String nodeId, Consumer<ExpectedData.Point> rows) {
        reads.add(shard.id() + "@" + nodeId);
        rows.accept(p("host=a", 1, 1.0));
      }
    };
    return new ReplicaCheck(copies).run();
  }

  @Test
  void singleOwnerShardsAreNotReadAndNotCountedAsConsistent() throws Exception {
    List<String> reads = new ArrayList<>();
    ReplicaCheck.Result r = check(List.of(SHARD, new ShardCopies.Shard("s2", "cpu", List.of("3"), "Stable")), reads);
    assertThat(reads).containsExactlyInAnyOrder("s1@1", "s1@2");
    assertThat(r.singleOwner()).isEqualTo(1);
    Verdict v = ReplicaCheck.verdict(r);
    assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
    assertThat(v.measured()).isEqualTo("0 of 1 shards differ");
    assertThat(v.detail()).contains("1 shards with a single owner not compared");
  }

  @Test
  void onlySingleOwnerShardsIsSkippedNotPass() throws Exception {
    List<String> reads = new ArrayList<>();
    Verdict v = ReplicaCheck.verdict(check(List.of(new ShardCopies.Shard("s2", "cpu", List.of("3"), "Stable")), reads));
    assertThat(reads).isEmpty();
    assertThat(v.status()).isEqualTo(Verdict.Status.SKIPPED);
    assertThat(v.detail()).contains("single owner");
  }
}
