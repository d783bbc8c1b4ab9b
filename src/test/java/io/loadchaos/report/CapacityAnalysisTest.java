package io.loadchaos.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.check.PhaseAnalysis;
import io.loadchaos.check.Verdict;
import io.loadchaos.config.Knobs;
import io.loadchaos.config.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class CapacityAnalysisTest {
  private static final CapacityAnalysis.Criteria SLO = new CapacityAnalysis.Criteria(0.99, 3000);

  private static CapacityAnalysis.Schedule ramp(long loadStartMicros) {
    return new CapacityAnalysis.Schedule(10, 10, 5, Duration.ofSeconds(10), 500, loadStartMicros);
  }

  @Test
  void theKneeIsTheHighestStepThatMetTheSlos() {
    CapacityAnalysis.Result r = CapacityAnalysis.evaluate(ramp(2_000_000), Fixtures.rampSeconds(), SLO);
    assertThat(r.steps()).extracting(CapacityAnalysis.Step::met).containsExactly(true, true, true, false, false);
    assertThat(r.steps()).extracting(CapacityAnalysis.Step::offeredPointsPerSecond)
        .containsExactly(5000.0, 10000.0, 15000.0, 20000.0, 25000.0);
    assertThat(r.steps().get(0).fromSecond()).isEqualTo(2);
    assertThat(r.steps().get(0).toSecondExclusive()).isEqualTo(12);
    assertThat(r.knee().level()).isEqualTo(2);
    assertThat(r.knee().okPointsPerSecond()).isEqualTo(15000.0);
    assertThat(r.steps().get(3).why()).isEqualTo("p99 4000 ms > 3000 ms");
    assertThat(r.steps().get(4).why()).isEqualTo("availability 0.9 < 0.99");
    assertThat(r.steps().get(4).errorRate()).isCloseTo(0.1, Offset.offset(1e-9));

    Verdict v = r.verdict();
    assertThat(v.name()).isEqualTo("capacity knee");
    assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
    assertThat(v.measured()).isEqualTo("15000 points/s (step 3 of 5)");
    assertThat(v.detail()).contains("step 4: offered 20000, ok 20000 points/s, availability 1, p99 4000 ms: missed (p99 4000 ms > 3000 ms)");
  }

  @Test
  void secondsThatStraddleTwoLevelsAreLeftOut() {
    // the load started 2.5 s into the run: level 1 spans 2.5-12.5 s, so seconds 3..11 are inside it
    CapacityAnalysis.Result r = CapacityAnalysis.evaluate(ramp(2_500_000), Fixtures.rampSeconds(), SLO);
    assertThat(r.steps().get(0).fromSecond()).isEqualTo(3);
    assertThat(r.steps().get(0).toSecondExclusive()).isEqualTo(12);
    assertThat(r.steps().get(1).fromSecond()).isEqualTo(13);
    assertThat(r.steps().get(0).ops()).isEqualTo(9 * 10);
  }

  @Test
  void aFirstStepThatMissesFailsTheVerdictAndALaterPassIsStillTheKneeWithANote() {
    List<PhaseAnalysis.Second> secs = new ArrayList<>(Fixtures.rampSeconds());
    // step 1 (seconds 2..11) is slow, the others as before
    for (int s = 2; s < 12; s++) {
      PhaseAnalysis.Second x = secs.get(s);
      secs.set(s, new PhaseAnalysis.Second(x.second(), x.phase(), x.ok(), x.fail(), x.info(), x.okPoints(), 100, 5000));
    }
    CapacityAnalysis.Result r = CapacityAnalysis.evaluate(ramp(2_000_000), secs, SLO);
    assertThat(r.knee().level()).isEqualTo(2);
    Verdict v = r.verdict();
    assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
    assertThat(v.detail()).contains("note: steps [1] below the knee missed the SLOs");
  }

  @Test
  void stepsAfterTheRunEndedAreReportedNotGuessed() {
    List<PhaseAnalysis.Second> secs = Fixtures.rampSeconds().subList(0, 25);
    CapacityAnalysis.Result r = CapacityAnalysis.evaluate(ramp(2_000_000), secs, SLO);
    assertThat(r.steps().get(4).met()).isFalse();
    assertThat(r.steps().get(4).why()).isEqualTo("the run ended before this step");
    assertThat(r.steps().get(2).why()).isEqualTo("only 3 of 10 seconds measured (the run ended during this step)");
    assertThat(r.knee().level()).isEqualTo(1);
  }

  @Test
  void noStepMetMeansNoKnee() {
    CapacityAnalysis.Result r = CapacityAnalysis.evaluate(ramp(2_000_000), Fixtures.rampSeconds(),
        new CapacityAnalysis.Criteria(0.99, 50));
    assertThat(r.knee()).isNull();
    assertThat(r.verdict().status()).isEqualTo(Verdict.Status.FAIL);
    assertThat(r.verdict().measured()).isEqualTo("none");
  }

  @Test
  void theResultSurvivesResultsJson() throws Exception {
    CapacityAnalysis.Result r = CapacityAnalysis.evaluate(ramp(2_000_000), Fixtures.rampSeconds(), SLO);
    RunResult run = Fixtures.faultRun(1.0);
    RunResult with = new RunResult(run.runId(), run.simulation(), run.target(), run.startedAt(), run.durationSeconds(),
        run.config(), run.dataset(), run.faults(), run.segments(), run.phases(), run.perSecond(), run.recoveries(),
        run.shardStates(), run.verdicts(), "", r.toMap());
    Path dir = Files.createTempDirectory("capacity-json");
    try {
      ResultsJson.write(dir, with);
      RunResult back = ResultsJson.read(dir);
      assertThat(CapacityAnalysis.Result.fromMap(back.capacity())).isEqualTo(r);
      assertThat(ResultsJson.read(writeAndBack(dir, run)).capacity()).isNull();
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Path writeAndBack(Path dir, RunResult r) throws Exception {
    ResultsJson.write(dir, r);
    return dir;
  }

  @Test
  void aScheduleThatCannotBeMeasuredIsRejectedByName() {
    assertThatThrownBy(() -> new CapacityAnalysis.Schedule(10, 10, 5, Duration.ofMillis(1500), 500, 0))
        .hasMessageContaining("levelDuration must be >= 2s");
    assertThatThrownBy(() -> new CapacityAnalysis.Schedule(10, 10, 0, Duration.ofSeconds(10), 500, 0))
        .hasMessageContaining("levels must be >= 1");
  }

  @Test
  void capacityKnobsHaveDefaultsAndRejectAStepTooShortToMeasure() {
    var cfg = RunConfig.resolve(k -> null, e -> null, Map.of());
    assertThat(cfg.get(Knobs.CAPACITY_START_RATE)).isEqualTo(20_000.0);
    assertThat(cfg.get(Knobs.CAPACITY_PRECISION)).isEqualTo(0.1);
    assertThat(cfg.get(Knobs.CAPACITY_STEP_DURATION)).isEqualTo(Duration.ofSeconds(6));
    assertThat(cfg.get(Knobs.BASELINE)).isEmpty();
    assertThatThrownBy(() -> RunConfig.resolve(
        k -> k.equals("loadchaos.capacity.stepDuration") ? "1s" : null, e -> null, Map.of()))
        .hasMessageContaining("-Dloadchaos.capacity.stepDuration='1s'").hasMessageContaining("at least 2000ms");
    assertThatThrownBy(() -> RunConfig.resolve(
        k -> k.equals("loadchaos.capacity.growth") ? "1" : null, e -> null, Map.of()))
        .hasMessageContaining("-Dloadchaos.capacity.growth='1'");
  }
}
