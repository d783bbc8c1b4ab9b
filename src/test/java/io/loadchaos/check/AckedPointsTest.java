package io.loadchaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class AckedPointsTest {

  /** Batch b holds b points of cpu on host a, one on host b, and one point of mem. */
  private static final ExpectedData DATA = new ExpectedData() {
    @Override
    public Map<String, List<String>> tagKeysByTable() {
      return Map.of("cpu", List.of("host", "region"), "mem", List.of("host"));
    }

    @Override
    public void forEachPoint(long batchId, Consumer<Point> visitor) {
      for (int i = 0; i < batchId; i++) visitor.accept(new Point("cpu", "host=a,region=eu", i, Map.of("v", 1.0)));
      visitor.accept(new Point("cpu", "host=b,region=eu", 0, Map.of("v", 1.0)));
      visitor.accept(new Point("mem", "host=a", 0, Map.of("v", 1.0)));
    }
  };

  @Test
  void countsOnlyAcknowledgedBatchesOnceBeforeEachMoment() {
    History h = new History();
    h.record(OpKind.WRITE, 10, 0, 0, 100, Outcome.OK, 204, 12);      // acked at 100
    h.record(OpKind.WRITE, 5, 1, 50, 150, Outcome.OK, 204, 7);       // acked at 200
    h.record(OpKind.WRITE, 5, 2, 60, 300, Outcome.OK, 204, 7);       // the same batch again: not twice
    h.record(OpKind.WRITE, 7, 0, 70, 10, Outcome.INFO, -1, 9);       // outcome unknown: not a lower bound
    h.record(OpKind.WRITE, 9, 0, 80, 10, Outcome.FAIL, 400, 11);     // rejected
    h.record(OpKind.QUERY_SQL, 0, 0, 90, 10, Outcome.OK, 200, 0);    // not a write
    List<Map<String, Long>> cpu = new AckedPoints(h.ops(), DATA, "cpu", "host").before(new long[] {0, 100, 101, 201, Long.MAX_VALUE});
    assertThat(cpu.get(0)).isEmpty();
    assertThat(cpu.get(1)).isEmpty();
    assertThat(cpu.get(2)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 10L, "b", 1L));
    assertThat(cpu.get(3)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 15L, "b", 2L));
    assertThat(cpu.get(4)).isEqualTo(cpu.get(3));
    assertThat(new AckedPoints(h.ops(), DATA, "mem", "host").before(new long[] {Long.MAX_VALUE}).get(0)).isEqualTo(Map.of("a", 2L));
  }

  @Test
  void findsATagAnywhereInTheSeriesKey() {
    assertThat(new ExpectedData.Point("cpu", "host=a,region=eu", 0, Map.of()).tag("host")).hasValue("a");
    assertThat(new ExpectedData.Point("cpu", "dc=x,host=h_1,region=eu", 0, Map.of()).tag("host")).hasValue("h_1");
    assertThat(new ExpectedData.Point("cpu", "dc=x,host=h_1", 0, Map.of()).tag("host")).hasValue("h_1");
    assertThat(new ExpectedData.Point("cpu", "dc=x,ghost=1", 0, Map.of()).tag("host")).isEmpty();
    assertThat(new ExpectedData.Point("cpu", "", 0, Map.of()).tag("host")).isEmpty();
  }
}
