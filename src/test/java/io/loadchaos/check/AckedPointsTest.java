package io.loadchaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class AckedPointsTest {

  /** Batch b holds b points of cpu and one of mem. */
  private static final ExpectedData DATA = new ExpectedData() {
    @Override
    public Map<String, java.util.List<String>> tagKeysByTable() {
      return Map.of("cpu", java.util.List.of("host"), "mem", java.util.List.of("host"));
    }

    @Override
    public void forEachPoint(long batchId, Consumer<Point> visitor) {
      for (int i = 0; i < batchId; i++) visitor.accept(new Point("cpu", "host=a", i, Map.of("v", 1.0)));
      visitor.accept(new Point("mem", "host=a", 0, Map.of("v", 1.0)));
    }
  };

  @Test
  void countsOnlyAcknowledgedBatchesOnceBeforeTheMoment() {
    History h = new History();
    h.record(OpKind.WRITE, 10, 0, 0, 100, Outcome.OK, 204, 11);      // acked at 100
    h.record(OpKind.WRITE, 5, 1, 50, 150, Outcome.OK, 204, 6);       // acked at 200
    h.record(OpKind.WRITE, 5, 2, 60, 300, Outcome.OK, 204, 6);       // the same batch again: not twice
    h.record(OpKind.WRITE, 7, 0, 70, 10, Outcome.INFO, -1, 8);       // outcome unknown: not a lower bound
    h.record(OpKind.WRITE, 9, 0, 80, 10, Outcome.FAIL, 400, 10);     // rejected
    h.record(OpKind.QUERY_SQL, 0, 0, 90, 10, Outcome.OK, 200, 0);    // not a write
    AckedPoints cpu = new AckedPoints(h.ops(), DATA, "cpu");
    assertThat(cpu.before(0)).isZero();
    assertThat(cpu.before(100)).isZero();
    assertThat(cpu.before(101)).isEqualTo(10);
    assertThat(cpu.before(201)).isEqualTo(15);
    assertThat(cpu.before(Long.MAX_VALUE)).isEqualTo(15);
    assertThat(new AckedPoints(h.ops(), DATA, "mem").before(Long.MAX_VALUE)).isEqualTo(2);
  }
}
