package io.loadchaos.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.report.RunResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A knee search's result as a gate metric: the knee when one was found, nothing otherwise (never 0). */
class KneeMetricTest {

  private static RunResult withCapacity(Map<String, Object> capacity) {
    RunResult r = GateFixtures.run(1.0);
    return new RunResult(r.runId(), r.simulation(), r.target(), r.startedAt(), r.durationSeconds(), r.config(), r.dataset(),
        r.faults(), r.segments(), r.phases(), r.perSecond(), r.recoveries(), r.shardStates(), r.verdicts(), r.gatlingReport(),
        capacity, r.rejectedWrites(), r.cost());
  }

  private static List<Baseline.Metric> knees(Map<String, Object> knee) {
    Map<String, Object> capacity = new LinkedHashMap<>();
    capacity.put("knee", knee);
    return Baseline.metricsOf(withCapacity(capacity)).stream().filter(m -> m.kind() == Baseline.Kind.CAPACITY_KNEE).toList();
  }

  @Test
  void aKneeFoundIsComparedAndANotReachedSearchGivesNoMetric() {
    Map<String, Object> found = new LinkedHashMap<>();
    found.put("end", "KNEE");
    found.put("pointsPerSecond", 293_000.0);
    assertThat(knees(found)).singleElement().satisfies(m -> assertThat(m.value()).isEqualTo(293_000.0));
    Map<String, Object> notReached = new LinkedHashMap<>();
    notReached.put("end", "NOT_REACHED");
    notReached.put("pointsPerSecond", null);
    assertThat(knees(notReached)).isEmpty();
  }

  private static RunResult kneeRun(double pointsPerSecond, double precision) {
    Map<String, Object> knee = new LinkedHashMap<>();
    knee.put("end", "KNEE");
    knee.put("pointsPerSecond", pointsPerSecond);
    knee.put("precision", precision);
    Map<String, Object> capacity = new LinkedHashMap<>();
    capacity.put("knee", knee);
    return withCapacity(capacity);
  }

  private static GateResult.Row kneeRow(double bRate, double precision) {
    List<RunResult> a = List.of(kneeRun(300_000, precision), kneeRun(300_000, precision), kneeRun(300_000, precision));
    List<RunResult> b = List.of(kneeRun(bRate, precision), kneeRun(bRate * 1.004, precision), kneeRun(bRate * 0.996, precision));
    Gate.Settings s = new Gate.Settings(0.95, 2000, 1, Map.of(), null, Set.of("capacity-knee"));
    return Gate.paired(a, b, s).rows().stream().filter(r -> r.kind() == Baseline.Kind.CAPACITY_KNEE).findFirst().orElseThrow();
  }

  @Test
  void aKneeMovedLessThanItsBracketIsNotARegressionButABiggerMoveIs() {
    // knees 6.5% lower: beyond the default 5% effect, but inside the searches' 9% brackets
    assertThat(kneeRow(280_500, 0.09).status()).isEqualTo(GateResult.Status.OK);
    assertThat(kneeRow(280_500, 0.09).effect()).isEqualTo(0.09);
    // with 2% brackets the same move is told apart; a 20% drop is one with 9% brackets too
    assertThat(kneeRow(280_500, 0.02).status()).isEqualTo(GateResult.Status.REGRESSED);
    assertThat(kneeRow(240_000, 0.09).status()).isEqualTo(GateResult.Status.REGRESSED);
  }
}
