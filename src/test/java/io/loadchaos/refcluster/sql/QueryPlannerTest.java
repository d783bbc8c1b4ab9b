package io.loadchaos.refcluster.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.refcluster.catalog.ShardRouter;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryPlannerTest {
  private static final long T = 1_704_067_200_000_000_000L; // 2024-01-01T00:00:00Z

  @Test
  void readsTimeBoundsFromLiteralComparisons() {
    QueryPlanner.TimeBounds b = QueryPlanner.timeBounds("SELECT * FROM m WHERE time >= '2024-01-01T00:00:00Z' AND time < '2024-01-01 01:00:00'");
    assertThat(b.min()).isEqualTo(T);
    assertThat(b.max()).isEqualTo(T + 3_600_000_000_000L);
    QueryPlanner.TimeBounds between = QueryPlanner.timeBounds("SELECT * FROM m WHERE time BETWEEN TIMESTAMP '2024-01-01' AND '2024-01-02'");
    assertThat(between.min()).isEqualTo(T);
    assertThat(between.max()).isEqualTo(T + 86_400_000_000_000L);
    assertThat(QueryPlanner.timeBounds("SELECT * FROM m WHERE v > 3")).isEqualTo(QueryPlanner.TimeBounds.ALL);
  }

  @Test
  void prunesOnlyWhenEveryPredicateRestrictsEveryRow() {
    assertThat(QueryPlanner.prunable("SELECT * FROM m WHERE host = 'a' AND time > '2024-01-01'", 1)).isTrue();
    assertThat(QueryPlanner.prunable("SELECT * FROM m WHERE host = 'a' OR v > 1", 1)).isFalse();
    assertThat(QueryPlanner.prunable("SELECT * FROM m WHERE host = 'or'", 1)).isTrue();
    assertThat(QueryPlanner.prunable("SELECT * FROM m WHERE v IN (SELECT max(v) FROM m)", 1)).isFalse();
    assertThat(QueryPlanner.prunable("SELECT * FROM m JOIN n USING (host)", 2)).isFalse();
  }

  @Test
  void mapsShardKeyEqualitiesToPartitions() {
    List<String> keys = List.of("host");
    assertThat(QueryPlanner.partitions("SELECT * FROM m WHERE host = 'a'", keys, 4))
        .containsExactly(ShardRouter.partition(keys, List.of("a"), 4));
    assertThat(QueryPlanner.partitions("SELECT * FROM m WHERE \"host\" IN ('a', 'b')", keys, 4))
        .containsExactlyInAnyOrder(ShardRouter.partition(keys, List.of("a"), 4), ShardRouter.partition(keys, List.of("b"), 4));
    assertThat(QueryPlanner.partitions("SELECT * FROM m WHERE region = 'a'", keys, 4)).isNull();
    assertThat(QueryPlanner.partitions("SELECT * FROM m WHERE myhost = 'a'", keys, 4)).isNull();
  }
}
