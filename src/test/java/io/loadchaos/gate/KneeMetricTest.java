package io.loadchaos.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.report.RunResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
}
