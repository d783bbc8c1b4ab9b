package io.loadchaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.history.FaultEvent;
import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class PhaseAnalysisTest {

  /** 10 writes per second for 30 s; seconds 10-14 fail entirely, 15-16 half, then fine. */
  private static List<History.Op> ops() {
    History h = new History();
    for (int s = 0; s < 30; s++) {
      for (int i = 0; i < 10; i++) {
        Outcome o = s >= 10 && s < 15 ? Outcome.INFO : (s >= 15 && s < 17 && i % 2 == 0 ? Outcome.INFO : Outcome.OK);
        h.record(OpKind.WRITE, s * 10L + i, 0, s * 1_000_000L + i * 1000, 5_000 + s * 100, o, o == Outcome.OK ? 204 : 503, 100);
      }
    }
    return h.ops();
  }

  private static final List<FaultEvent> FAULT = List.of(
      new FaultEvent("kill-2", "kill", "node:2", List.of("2"), 10_000_000, 14_500_000, true, ""));

  @Test
  void theWarmUpSecondsAreTheirOwnPhaseAndNoSteadySloJudgesThem() {
    PhaseAnalysis pa = new PhaseAnalysis(ops(), FAULT, 0.99, 4);
    assertThat(pa.phaseAt(0)).isEqualTo(PhaseAnalysis.WARMUP);
    assertThat(pa.phaseAt(3)).isEqualTo(PhaseAnalysis.WARMUP);
    assertThat(pa.phaseAt(4)).isEqualTo("steady");
    assertThat(pa.phaseAt(12)).isEqualTo("fault:kill-2");
    assertThat(pa.segments()).extracting(PhaseAnalysis.Segment::phase)
        .containsExactly(PhaseAnalysis.WARMUP, "steady", "fault:kill-2", "recovery", "steady");
    // steady holds 4-9 and 17-29: 19 seconds of 10 writes, none of the warm-up's
    assertThat(pa.phases(OpKind.WRITE).get("steady").ops()).isEqualTo(190);
  }

  @Test
  void secondsAreLabelledSteadyFaultAndRecovery() {
    PhaseAnalysis pa = new PhaseAnalysis(ops(), FAULT, 0.99);
    assertThat(pa.phaseAt(5)).isEqualTo("steady");
    assertThat(pa.phaseAt(12)).isEqualTo("fault:kill-2");
    assertThat(pa.phaseAt(15)).isEqualTo("recovery");
    assertThat(pa.phaseAt(16)).isEqualTo("recovery");
    assertThat(pa.phaseAt(17)).isEqualTo("steady");
    assertThat(pa.segments()).extracting(PhaseAnalysis.Segment::phase)
        .containsExactly("steady", "fault:kill-2", "recovery", "steady");
    assertThat(pa.recoveries().get(0).seconds()).isEqualTo(2.5);
  }

  @Test
  void phaseStatsCountOutcomesAndThroughput() {
    Map<String, PhaseAnalysis.PhaseStats> p = new PhaseAnalysis(ops(), FAULT, 0.99).phases(OpKind.WRITE);
    assertThat(p.get("fault:kill-2").availability()).isEqualTo(0.0);
    assertThat(p.get("fault:kill-2").info()).isEqualTo(50);
    assertThat(p.get("recovery").availability()).isEqualTo(0.5);
    assertThat(p.get("steady").availability()).isEqualTo(1.0);
    assertThat(p.get("steady").okPointsPerSecond()).isEqualTo(1000.0);
  }

  @Test
  void slosBecomeOneVerdictPerMatchingPhase() {
    PhaseAnalysis pa = new PhaseAnalysis(ops(), FAULT, 0.99);
    List<Verdict> vs = pa.evaluate(List.of(Slo.availability("*", 0.99), Slo.recovery(Duration.ofSeconds(2)),
        Slo.p99("steady", Duration.ofMillis(10))));
    assertThat(vs).extracting(Verdict::name).contains("slo availability [steady]",
        "slo availability [fault:kill-2]", "slo availability [recovery]", "slo recovery after kill-2", "slo p99-ms [steady]");
    assertThat(vs.stream().filter(v -> v.name().equals("slo availability [steady]")).findFirst().get().passed()).isTrue();
    assertThat(vs.stream().filter(v -> v.name().equals("slo availability [fault:kill-2]")).findFirst().get().status())
        .isEqualTo(Verdict.Status.FAIL);
    assertThat(vs.stream().filter(v -> v.name().equals("slo recovery after kill-2")).findFirst().get().status())
        .as("2.5 s > 2 s").isEqualTo(Verdict.Status.FAIL);
    assertThat(vs.stream().filter(v -> v.name().equals("slo p99-ms [steady]")).findFirst().get().passed()).isTrue();
  }

  @Test
  void aFaultStillActiveAtTheEndHasNoRecoveryToMeasure() {
    List<FaultEvent> open = List.of(new FaultEvent("pause-1", "pause", "node:1", List.of("1"), 20_000_000, -1, true, ""));
    List<Verdict> vs = new PhaseAnalysis(ops(), open, 0.99).evaluate(List.of(Slo.recovery(Duration.ofSeconds(30))));
    assertThat(vs).singleElement().extracting(Verdict::status).isEqualTo(Verdict.Status.SKIPPED);
  }

  @Test
  void aRecoveryCutShortByTheNextFaultIsNotMeasured() {
    List<FaultEvent> two = List.of(FAULT.get(0), new FaultEvent("pause-3", "pause", "node:3", List.of("3"), 15_200_000, 20_000_000, true, ""));
    PhaseAnalysis pa = new PhaseAnalysis(ops(), two, 0.99);
    assertThat(pa.phaseAt(15)).isEqualTo("fault:pause-3");
    List<Verdict> vs = pa.evaluate(List.of(Slo.recovery(Duration.ofSeconds(30))));
    assertThat(vs).extracting(Verdict::name, Verdict::status).containsExactly(
        Tuple.tuple("slo recovery after kill-2", Verdict.Status.SKIPPED),
        Tuple.tuple("slo recovery after pause-3", Verdict.Status.PASS));
  }

  @Test
  void aBatchSentJustBeforeAFaultThatFailsBecauseOfItCountsInTheFault() {
    History h = new History();
    h.record(OpKind.WRITE, 1, 0, 500_000, 1000, Outcome.OK, 204, 10);
    h.record(OpKind.WRITE, 2, 0, 9_900_000, 400_000, Outcome.INFO, -1, 10);
    h.record(OpKind.WRITE, 3, 0, 20_000_000, 1000, Outcome.OK, 204, 10);
    var stats = new PhaseAnalysis(h.ops(), FAULT, 0.99).phases(OpKind.WRITE);
    assertThat(stats.get("steady").availability()).isEqualTo(1.0);
    assertThat(stats.get("fault:kill-2").info()).isEqualTo(1);
  }

  @Test
  void anSloForANamedPhaseThatNeverHappenedIsUnknownNotPassed() {
    assertThat(new PhaseAnalysis(ops(), List.of(), 0.99).evaluate(List.of(Slo.availability("fault:*", 0.99))))
        .as("a wildcard may match nothing").isEmpty();
    List<Verdict> vs = new PhaseAnalysis(ops(), List.of(), 0.99).evaluate(List.of(Slo.availability("fault:kill-1", 0.99)));
    assertThat(vs).singleElement().extracting(Verdict::status).isEqualTo(Verdict.Status.UNKNOWN);
  }
}
