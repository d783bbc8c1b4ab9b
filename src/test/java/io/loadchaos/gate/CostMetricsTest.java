package io.loadchaos.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.cost.CostReport;
import io.loadchaos.report.RunResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cost of a run (results.json {@code cost}) as gate metrics: cpu-per-point and peak-rss per phase. */
class CostMetricsTest {

  private static RunResult withCost(Map<String, Object> cost) {
    RunResult r = GateFixtures.run(1.0);
    return new RunResult(r.runId(), r.simulation(), r.target(), r.startedAt(), r.durationSeconds(), r.config(), r.dataset(),
        r.faults(), r.segments(), r.phases(), r.perSecond(), r.recoveries(), r.shardStates(), r.verdicts(), r.gatlingReport(),
        r.capacity(), r.rejectedWrites(), cost);
  }

  @Test
  void eachPhaseWithAcknowledgedPointsGivesACpuPerPointAndAPeakRssMetric() {
    Map<String, Object> steady = new LinkedHashMap<>(Map.of("nodeCpuSeconds", 20.0, "ackedPoints", 1_000_000L,
        "cpuSecondsPerMillionPoints", 20.0, "peakRssMiB", 412.5));
    Map<String, Object> fault = new LinkedHashMap<>(Map.of("nodeCpuSeconds", 3.0, "ackedPoints", 0L,
        "absent", "no point acknowledged in this phase", "peakRssMiB", 380.0));
    Map<String, Object> phases = new LinkedHashMap<>();
    phases.put("steady", steady);
    phases.put("fault:kill-2", fault);
    Map<String, Object> cost = new LinkedHashMap<>(Map.of("source", "/proc", "nodes", 3, "phases", phases));
    List<Baseline.Metric> ms = Baseline.metricsOf(withCost(cost)).stream()
        .filter(m -> m.kind() == Baseline.Kind.CPU_PER_POINT || m.kind() == Baseline.Kind.PEAK_RSS).toList();
    assertThat(ms).extracting(Baseline.Metric::name)
        .containsExactly("write cpu/point [steady]", "node peak rss [steady]", "node peak rss [fault:kill-2]");
    assertThat(ms.get(0).value()).isEqualTo(20.0);
    assertThat(ms.get(0).phase()).isEqualTo("steady");
    assertThat(Baseline.Kind.ofLabel("cpu-per-point")).isEqualTo(Baseline.Kind.CPU_PER_POINT);
    assertThat(Baseline.Kind.CPU_PER_POINT.unit).isEqualTo("cpu-s/Mpt");
    assertThat(Baseline.Kind.PEAK_RSS.higherIsBetter).isFalse();
  }

  @Test
  void theWarmUpPhaseIsNeverCompared() {
    Map<String, Object> phases = new LinkedHashMap<>();
    phases.put("warmup", Map.of("cpuSecondsPerMillionPoints", 90.0, "ackedPoints", 50_000L, "peakRssMiB", 300.0));
    phases.put("steady", Map.of("cpuSecondsPerMillionPoints", 20.0, "ackedPoints", 200_000L, "peakRssMiB", 320.0));
    Map<String, Object> cost = new LinkedHashMap<>(Map.of("source", "/proc", "nodes", 3, "phases", phases));
    assertThat(Baseline.metricsOf(withCost(cost))).extracting(Baseline.Metric::phase).doesNotContain("warmup").contains("steady");
  }

  @Test
  void anAbsentOrMissingCostGivesNoMetricNeverAZero() {
    assertThat(Baseline.metricsOf(withCost(CostReport.absent("no node's CPU was visible"))))
        .noneMatch(m -> m.kind() == Baseline.Kind.CPU_PER_POINT || m.kind() == Baseline.Kind.PEAK_RSS);
    assertThat(Baseline.metricsOf(GateFixtures.run(1.0))).noneMatch(m -> m.kind() == Baseline.Kind.CPU_PER_POINT);
  }

  @Test
  void theLoadAverageABaselineRecordsIsTheOneTheRunSawWhenItsLoadEnded() {
    Map<String, Object> cost = new LinkedHashMap<>(Map.of("source", "/proc", "nodes", 3, "phases", Map.of()));
    cost.put("machine", Map.of("cpus", 2, "loadAverageAtStart", List.of(1.0, 1.5, 2.0), "loadAverageAtEnd", List.of(3.25, 2.0, 1.75)));
    assertThat(BaselineSet.LoadAverage.ofRun(withCost(cost))).hasValue(new BaselineSet.LoadAverage(3.25, 2.0, 1.75, 2));
    // runs of earlier versions (or a load that never ended) recorded none: the gate falls back to now
    assertThat(BaselineSet.LoadAverage.ofRun(GateFixtures.run(1.0))).isEmpty();
    cost.put("machine", Map.of("cpus", 2));
    assertThat(BaselineSet.LoadAverage.ofRun(withCost(cost))).isEmpty();
  }
}
