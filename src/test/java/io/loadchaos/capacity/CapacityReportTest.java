package io.loadchaos.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.check.Verdict;
import io.loadchaos.report.CapacityAnalysis;
import io.loadchaos.report.ResultsJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapacityReportTest {
  private static final CapacitySearch.Settings SETTINGS =
      new CapacitySearch.Settings(20_000, 2, 0.1, 2e6, 20, Duration.ofMinutes(6), Duration.ofSeconds(8), 1);
  private static final StepMeter.Criteria CRITERIA = new StepMeter.Criteria(0.99, 1000, 0.95, 0.15, 0.05, 0.9);

  private static CapacityReport.Step step(int level, double offered, double ok, String verdict, String why) {
    return new CapacityReport.Step(level, offered, level * 8L + 2, level * 8L + 8, 40, 40, ok, 1.0, 0.0, 41.4,
        verdict.equals("MET"), why, level < 2 ? "grow" : "bisect", verdict, ok, ok, 0, 40, 0, 0, 0, 0, 7, 0.21, 0.105, null);
  }

  private static CapacityReport report(CapacitySearch.Result result) {
    return new CapacityReport(SETTINGS, CRITERIA, 5000, 200, List.of(
        step(0, 160_000, 158_000, "MET", ""),
        step(1, 320_000, 201_000, "MISSED", "p99 2400 ms > 1000 ms"),
        step(2, 226_274, 224_000, "MET", "")), result);
  }

  @Test
  void aKneePassesWithItsBracketAndTheGateAndHtmlReportReadItAsBefore() throws Exception {
    CapacityReport r = report(new CapacitySearch.Result(CapacitySearch.End.KNEE, 226_274.0, 247_000.0, 3, "bracket within 10%"));
    assertThat(r.kneeLevel()).isEqualTo(2);
    Verdict v = r.verdict();
    assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
    assertThat(v.measured()).isEqualTo("226k points/s offered (224k ok), bracket [226k, 247k] (9%)");
    assertThat(v.detail()).contains("step 2: offered 320k pts/s, ok 201k, p99 41 ms, err 0% -> missed (p99 2400 ms > 1000 ms)");

    // through results.json and back, as the gate (Baseline) and report.html read it
    Map<String, Object> map = r.toMap();
    @SuppressWarnings("unchecked")
    Map<String, Object> back = ResultsJson.mapper().readValue(ResultsJson.mapper().writeValueAsBytes(map), Map.class);
    CapacityAnalysis.Result old = CapacityAnalysis.Result.fromMap(back);
    assertThat(old.knee().okPointsPerSecond()).isEqualTo(224_000);
    assertThat(old.knee().offeredPointsPerSecond()).isEqualTo(226_274);
    assertThat(old.steps()).hasSize(3);
    assertThat(old.criteria().maxP99Ms()).isEqualTo(1000);
    @SuppressWarnings("unchecked")
    Map<String, Object> knee = (Map<String, Object>) back.get("knee");
    assertThat(knee).containsEntry("end", "KNEE").containsEntry("pointsPerSecond", 226_274.0)
        .containsEntry("low", 226_274.0).containsEntry("high", 247_000.0);
    assertThat((Double) knee.get("precision")).isBetween(0.09, 0.10);
    @SuppressWarnings("unchecked")
    Map<String, Object> row = ((List<Map<String, Object>>) back.get("steps")).get(1);
    assertThat(row).containsEntry("verdict", "MISSED").containsEntry("injectorCpuCores", 0.21)
        .containsEntry("startsDropped", 0).containsKey("nodeCpuSecondsPerPoint");
  }

  @Test
  void noKneeWhenTheSearchDidNotBracketIt() {
    CapacityReport notReached = report(new CapacitySearch.Result(CapacitySearch.End.NOT_REACHED, 2e6, null, 8, "max rate 2M reached"));
    assertThat(notReached.kneeLevel()).isNull();
    Verdict v = notReached.verdict();
    assertThat(v.status()).isEqualTo(Verdict.Status.UNKNOWN);
    assertThat(v.measured()).isEqualTo("knee not reached: >= 2M points/s (max rate 2M reached)");
    assertThat(CapacityAnalysis.Result.fromMap(notReached.toMap()).knee()).isNull();

    CapacityReport injector = report(new CapacitySearch.Result(CapacitySearch.End.INJECTOR_BOUND, 160_000.0, 320_000.0, 2,
        "12% of starts late while writers were free"));
    assertThat(injector.verdict().status()).isEqualTo(Verdict.Status.UNKNOWN);
    assertThat(injector.verdict().measured()).startsWith("injector-bound at 320k points/s");

    CapacityReport below = report(new CapacitySearch.Result(CapacitySearch.End.BELOW_FIRST_STEP, null, 20_000.0, 1, "p99"));
    assertThat(below.verdict().status()).isEqualTo(Verdict.Status.FAIL);
  }

  @Test
  void progressLinesReadAsTheIssueAsks() {
    assertThat(step(5, 160_000, 158_000, "MET", "").progressLine())
        .startsWith("[capacity] step 6: offered 160k pts/s, ok 158k, p99 41 ms, err 0% -> met [bisect; injector 0.21 cores");
    assertThat(CapacityReport.bracketLine(150_000.0, 180_000.0)).isEqualTo("[capacity] bracket [150k, 180k] (20%)");
    assertThat(CapacityReport.bracketLine(150_000.0, null)).isNull();
  }
}
