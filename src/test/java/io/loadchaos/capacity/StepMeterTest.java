package io.loadchaos.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.loadchaos.capacity.CapacitySearch.StepVerdict;
import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import org.junit.jupiter.api.Test;

class StepMeterTest {
  private static final StepMeter.Criteria CRITERIA = new StepMeter.Criteria(0.99, 1000, 0.95, 0.10, 0.05, 0.9);
  private static final Pacer.Counters CALM = new Pacer.Counters(100, 0, 0, 0, 0, 5, 100);

  /** 10 batches/s of 1000 points over [0, 10 s), each taking {@code latencyMs}. */
  private static History steady(long latencyMs) {
    History h = new History();
    for (int i = 0; i < 100; i++) h.record(OpKind.WRITE, i, 0, i * 100_000L, latencyMs * 1000, Outcome.OK, 204, 1000);
    return h;
  }

  @Test
  void measuresAcknowledgedRateByHalvesAndTheP99OfWritesStartedInTheWindow() {
    History h = steady(20);
    h.record(OpKind.QUERY_SQL, 0, 0, 500_000, 9_000_000, Outcome.OK, 200, 0); // not a write
    StepMeter.Measurement m = StepMeter.measure(h.ops(), 2_000_000, 10_000_000, 11_000_000);
    assertThat(m.windowSeconds()).isEqualTo(8.0);
    assertThat(m.ops()).isEqualTo(80);
    assertThat(m.ok()).isEqualTo(80);
    assertThat(m.okPointsPerSecond()).isEqualTo(10_000);
    assertThat(m.firstHalfOkPointsPerSecond()).isEqualTo(10_000);
    assertThat(m.secondHalfOkPointsPerSecond()).isEqualTo(10_000);
    assertThat(m.availability()).isEqualTo(1.0);
    assertThat(m.p99Ms()).isBetween(19.9, 20.1);
    assertThat(StepMeter.judge(10_000, 1000, m, CALM, 0.1, CRITERIA).verdict()).isEqualTo(StepVerdict.MET);
  }

  @Test
  void writesStillInFlightAreNotErrorsButTheirAgeIsTheirLatency() {
    History h = steady(20);
    // never complete; started at the history's "now" (about 0)
    for (int i = 0; i < 3; i++) h.invoke(OpKind.WRITE, 999 + i, 0, 1000);
    StepMeter.Measurement m = StepMeter.measure(h.ops(), 0, 10_000_000, 3_000_000);
    assertThat(m.inFlight()).isEqualTo(3);
    assertThat(m.ok()).isEqualTo(100);
    assertThat(m.ops()).isEqualTo(103);
    assertThat(m.availability()).isEqualTo(1.0);
    assertThat(m.errorRate()).isEqualTo(0.0);
    assertThat(m.p99Ms()).isGreaterThan(2000);
    assertThat(StepMeter.judge(10_000, 1000, m, CALM, 0.1, CRITERIA).why())
        .matches("p99 \\d+ ms > 1000 ms \\(3 of 103 writes still in flight\\)");
  }

  @Test
  void slosMissedAreTheClustersWhateverTheInjectorDid() {
    StepMeter.Measurement slow = StepMeter.measure(steady(1500).ops(), 0, 10_000_000, 20_000_000);
    StepMeter.Judgement j = StepMeter.judge(10_000, 1000, slow, CALM, 0.95, CRITERIA);
    assertThat(j.verdict()).isEqualTo(StepVerdict.MISSED);
    assertThat(j.why()).isEqualTo("p99 1500 ms > 1000 ms");

    History errors = steady(20);
    for (int i = 0; i < 5; i++) errors.record(OpKind.WRITE, 500 + i, 0, i * 1_000_000L, 5000, Outcome.INFO, 503, 1000);
    StepMeter.Judgement e = StepMeter.judge(10_000, 1000, StepMeter.measure(errors.ops(), 0, 10_000_000, 20_000_000), CALM,
        0.1, CRITERIA);
    assertThat(e.verdict()).isEqualTo(StepVerdict.MISSED);
    assertThat(e.why()).startsWith("availability 0.95");
  }

  @Test
  void aShortfallIsTheClustersWhenAllWritersWereBusyAndTheInjectorsOtherwise() {
    StepMeter.Measurement m = StepMeter.measure(steady(20).ops(), 0, 10_000_000, 20_000_000); // 10k ok
    Pacer.Counters busy = new Pacer.Counters(120, 30, 0, 50, 0, 64, 64);
    StepMeter.Judgement cluster = StepMeter.judge(20_000, 1000, m, busy, 0.1, CRITERIA);
    assertThat(cluster.verdict()).isEqualTo(StepVerdict.MISSED);
    assertThat(cluster.why()).contains("ok 10k < 95% of offered 20k points/s").contains("all 64 writers busy");

    Pacer.Counters lagging = new Pacer.Counters(120, 0, 60, 0, 10, 3, 64);
    StepMeter.Judgement injector = StepMeter.judge(20_000, 1000, m, lagging, 0.5, CRITERIA);
    assertThat(injector.verdict()).isEqualTo(StepVerdict.INJECTOR_BOUND);
    assertThat(injector.why()).contains("late while writers were free");
  }

  @Test
  void theInjectorsOwnLimitsMakeAStepInjectorBound() {
    StepMeter.Measurement m = StepMeter.measure(steady(20).ops(), 0, 10_000_000, 20_000_000);
    Pacer.Counters late = new Pacer.Counters(100, 0, 8, 0, 0, 3, 64);
    assertThat(StepMeter.judge(10_000, 1000, m, late, 0.1, CRITERIA).why())
        .isEqualTo("8.0% of starts late while writers were free (limit 5.0%)");
    StepMeter.Judgement cpu = StepMeter.judge(10_000, 1000, m, CALM, 0.93, CRITERIA);
    assertThat(cpu.verdict()).isEqualTo(StepVerdict.INJECTOR_BOUND);
    assertThat(cpu.why()).isEqualTo("injector CPU 93% of the machine's cores (limit 90%)");
  }

  @Test
  void aRateThatDriftsBetweenTheHalvesIsUnsteady() {
    History h = new History();
    // 20 batches/s in the first 5 s, 10 in the last 5: average 15k, 100% apart
    long id = 0;
    for (long t = 0; t < 5_000_000; t += 50_000) h.record(OpKind.WRITE, id++, 0, t, 1000, Outcome.OK, 204, 1000);
    for (long t = 5_000_000; t < 10_000_000; t += 100_000) h.record(OpKind.WRITE, id++, 0, t, 1000, Outcome.OK, 204, 1000);
    StepMeter.Measurement m = StepMeter.measure(h.ops(), 0, 10_000_000, 20_000_000);
    assertThat(m.firstHalfOkPointsPerSecond()).isEqualTo(20_000);
    assertThat(m.secondHalfOkPointsPerSecond()).isEqualTo(10_000);
    StepMeter.Judgement j = StepMeter.judge(15_000, 1000, m, CALM, 0.1, CRITERIA);
    assertThat(j.verdict()).isEqualTo(StepVerdict.UNSTEADY);
    assertThat(j.why()).isEqualTo("not steady: ok 20k then 10k points/s in the two halves (more than 10% apart)");
  }

  @Test
  void aStepWithoutWritesMissesSayingSo() {
    StepMeter.Measurement m = StepMeter.measure(new History().ops(), 0, 10_000_000, 20_000_000);
    assertThat(StepMeter.judge(10_000, 1000, m, CALM, 0.1, CRITERIA).why()).isEqualTo("no write started in the step");
  }

  @Test
  void aBatchRetriedOnAnotherNodeCountsOnceWithItsBestOutcome() {
    History h = new History();
    // every third batch first goes to a node that is down: refused at once, then acknowledged by the next node
    for (int i = 0; i < 90; i++) {
      long start = i * 100_000L;
      if (i % 3 == 0) {
        h.record(OpKind.WRITE, i, 2, start, 1_000, Outcome.FAIL, -1, 1000);
        h.record(OpKind.WRITE, i, 0, start + 1_000, 20_000, Outcome.OK, 204, 1000);
      } else {
        h.record(OpKind.WRITE, i, 1, start, 20_000, Outcome.OK, 204, 1000);
      }
    }
    StepMeter.Measurement m = StepMeter.measure(h.ops(), 0, 9_000_000, 10_000_000);
    assertThat(m.ops()).isEqualTo(90);
    assertThat(m.availability()).isEqualTo(1.0);
    assertThat(m.p99Ms()).isCloseTo(21.0, offset(0.1));
  }
}
