package io.loadchaos.gate;

import io.loadchaos.check.Verdict;
import io.loadchaos.report.RunResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The regression gate: compares a run's metrics with a baseline's, within the baseline's tolerances. */
public final class Gate {
  private Gate() {}

  /**
   * Compares every baseline metric with the run's. Throws IllegalArgumentException when the
   * baseline belongs to another simulation (the numbers would not be comparable).
   */
  public static GateResult compare(Baseline baseline, RunResult run) {
    if (!baseline.simulation().equals(run.simulation())) {
      throw new IllegalArgumentException("baseline is for simulation '" + baseline.simulation() + "' but the run is '"
          + run.simulation() + "'");
    }
    Map<String, Baseline.Metric> current = new LinkedHashMap<>();
    for (Baseline.Metric m : Baseline.metricsOf(run)) current.put(m.key(), m);
    List<GateResult.Row> rows = new ArrayList<>();
    for (Baseline.Metric b : baseline.metrics()) {
      Baseline.Tolerance t = baseline.toleranceOf(b);
      double slack = Math.abs(b.value()) * t.relative() + t.absolute();
      double limit = b.kind().higherIsBetter ? b.value() - slack : b.value() + slack;
      Baseline.Metric now = current.remove(b.key());
      if (now == null) {
        rows.add(new GateResult.Row(b.name(), b.kind(), b.value(), null, limit, GateResult.Status.MISSING));
        continue;
      }
      boolean ok = b.kind().higherIsBetter ? now.value() >= limit : now.value() <= limit;
      rows.add(new GateResult.Row(b.name(), b.kind(), b.value(), now.value(), limit,
          ok ? GateResult.Status.OK : GateResult.Status.REGRESSED));
    }
    for (Baseline.Metric m : current.values()) {
      rows.add(new GateResult.Row(m.name(), m.kind(), null, m.value(), null, GateResult.Status.NEW));
    }
    return new GateResult(run.simulation(), baseline.createdFrom(), run.runId(), rows);
  }

  /**
   * The gate as verdicts for {@code Run.finish()}: none when {@code baselineFile} is empty, one
   * per compared metric otherwise, one UNKNOWN verdict when the baseline cannot be used.
   */
  public static List<Verdict> verdicts(String baselineFile, RunResult run) {
    if (baselineFile == null || baselineFile.isBlank()) return List.of();
    try {
      GateResult g = compare(Baseline.read(Path.of(baselineFile)), run);
      System.out.println("[loadchaos] regression gate against " + baselineFile + ":\n" + g.table());
      return g.verdicts();
    } catch (Exception e) {
      return List.of(Verdict.unknown("regression gate", "cannot compare with baseline " + baselineFile + ": " + e.getMessage()));
    }
  }
}
