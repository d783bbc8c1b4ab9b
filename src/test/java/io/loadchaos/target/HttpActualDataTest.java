package io.loadchaos.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.check.ActualData;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Read-back's windows: every node answers some of the expected points, the same way in every pass. */
class HttpActualDataTest {
  private static final ClusterHttp HTTP = new ClusterHttp(null, Duration.ofSeconds(1));

  private static HttpActualData reader(QueryApi api, String... urls) {
    return new HttpActualData(HTTP, List.of(urls), "db", Map.of(), api);
  }

  @Test
  void everyNodeAnswersAWindowWithExpectedPoints() {
    var data = reader(QueryApi.SQL, "http://n1", "http://n2", "http://n3");
    var expected = new ActualData.Expected(1_000, 1_999, 9_000);
    List<long[]> windows = data.windows(expected);
    Set<Integer> nodesWithData = new HashSet<>();
    for (int i = 0; i < windows.size(); i++) {
      long[] w = windows.get(i);
      if (w[0] != Long.MIN_VALUE && w[1] != Long.MAX_VALUE) nodesWithData.add(i % 3);
    }
    assertThat(nodesWithData).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(data.windows(expected)).usingRecursiveFieldByFieldElementComparator().isEqualTo(windows);
    assertThat(data.source()).contains("http://n1, http://n2, http://n3").contains("window i through node i mod 3");
  }

  @Test
  void sqlThroughOneNodeIsOneQueryAndOnlyV1ComparesByValue() {
    assertThat(reader(QueryApi.SQL, "http://n1").windows(new ActualData.Expected(0, 9, 10))).singleElement()
        .satisfies(w -> assertThat(w).containsExactly(Long.MIN_VALUE, Long.MAX_VALUE));
    assertThat(reader(QueryApi.SQL, "http://n1").exactNumericTypes()).isTrue();
    assertThat(reader(QueryApi.INFLUXQL_V3, "http://n1").exactNumericTypes()).isTrue();
    assertThat(reader(QueryApi.INFLUXQL_V1, "http://n1").exactNumericTypes()).isFalse();
  }

  @Test
  void sqlTimeRangesAreRfc3339Literals() {
    assertThat(HttpActualData.sqlTimeRange(1_767_225_600_000_000_001L, Long.MAX_VALUE))
        .isEqualTo(" WHERE time >= '2026-01-01T00:00:00.000000001Z'");
    assertThat(HttpActualData.sqlTimeRange(Long.MIN_VALUE, 1_767_225_600_000_000_000L))
        .isEqualTo(" WHERE time < '2026-01-01T00:00:00Z'");
    assertThat(HttpActualData.sqlTimeRange(Long.MIN_VALUE, Long.MAX_VALUE)).isEmpty();
  }
}
