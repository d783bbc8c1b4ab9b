package io.loadchaos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.check.ExpectedData;
import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ExpectedShardRowsTest {
  /** Batch b writes host_0..host_3 at time 100*b (and batch 9 rewrites batch 1's points). */
  private static final ExpectedData DATA = new ExpectedData() {
    @Override
    public Map<String, List<String>> tagKeysByTable() {
      return Map.of("cpu", List.of("host"));
    }

    @Override
    public void forEachPoint(long batchId, Consumer<Point> visitor) {
      long t = batchId == 9 ? 100 : 100 * batchId;
      for (int h = 0; h < 4; h++) visitor.accept(Point.of("cpu", Map.of("host", "host_" + h), t, Map.of("v", 1L)));
    }
  };

  private static History.Op write(long batch, Outcome o) {
    return new History.Op(OpKind.WRITE, batch, 0, 0, 1, o, o == Outcome.OK ? 204 : 500, 4);
  }

  @Test
  void okPointsAreExactInfoPointsWidenTheBoundFailPointsAreNotCounted() {
    var all = new ShardMembership("1", "cpu", 0, 10_000, 0, 1, List.of());
    var early = new ShardMembership("2", "cpu", 0, 250, 0, 1, List.of());
    List<History.Op> ops = List.of(write(1, Outcome.OK), write(2, Outcome.INFO), write(3, Outcome.FAIL),
        // a retried batch: the strongest outcome wins
        write(4, Outcome.INFO), write(4, Outcome.OK),
        // an overwrite of batch 1's keys adds no row
        write(9, Outcome.INFO));
    var bounds = ExpectedShardRows.of(List.of(all, early), ops, DATA);
    assertThat(bounds.get("1")).isEqualTo(new ExpectedShardRows.Bound(8, 12));
    assertThat(bounds.get("2")).isEqualTo(new ExpectedShardRows.Bound(4, 8));
    assertThat(bounds.get("1").holds(8)).isTrue();
    assertThat(bounds.get("1").holds(12)).isTrue();
    assertThat(bounds.get("1").holds(7)).isFalse();
    assertThat(bounds.get("1").holds(13)).isFalse();
    assertThat(bounds.get("1").toString()).isEqualTo("[8, 12]");
  }

  @Test
  void hashPartitionSplitsTheRows() {
    List<History.Op> ops = List.of(write(1, Outcome.OK));
    long total = 0;
    for (int p = 0; p < 3; p++) {
      var b = ExpectedShardRows.of(List.of(new ShardMembership("p" + p, "cpu", 0, 1_000, p, 3, List.of("host"))), ops, DATA);
      assertThat(b.get("p" + p).min()).isEqualTo(b.get("p" + p).max());
      total += b.get("p" + p).min();
    }
    assertThat(total).isEqualTo(4);
  }

  @Test
  void noWriteMeansZeroExpectedRows() {
    var b = ExpectedShardRows.of(List.of(new ShardMembership("1", "cpu", 0, 1_000, 0, 1, List.of())), List.of(write(1, Outcome.FAIL)), DATA);
    assertThat(b.get("1")).isEqualTo(new ExpectedShardRows.Bound(0, 0));
  }
}
