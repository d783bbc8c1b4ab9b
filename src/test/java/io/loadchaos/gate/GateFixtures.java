package io.loadchaos.gate;

import io.loadchaos.check.PhaseAnalysis;
import io.loadchaos.history.FaultEvent;
import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import io.loadchaos.report.RunResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs for the gate: the same shape, with the points per batch scaled (throughput) and the fault optional. */
final class GateFixtures {
  private GateFixtures() {}

  static RunResult run(double scale) {
    return run(scale, 1.0, "Fixture-20261126-120000");
  }

  /** {@code latency} multiplies every write latency (a slower database at the same offered rate). */
  static RunResult run(double scale, double latency, String runId) {
    return build(scale, latency, runId, Map.of(), List.of(new FaultEvent("kill-2", "kill", "node:2", List.of("2"), 20_000_000, 30_000_000, true, "")));
  }

  /** The same run with other knobs in its config (for the identity checks). */
  static RunResult withConfig(Map<String, String> config, String runId) {
    return build(1.0, 1.0, runId, config, List.of(new FaultEvent("kill-2", "kill", "node:2", List.of("2"), 20_000_000, 30_000_000, true, "")));
  }

  static RunResult withoutFault() {
    return build(1.0, 1.0, "Fixture-20261126-120000", Map.of(), List.of());
  }

  private static RunResult build(double scale, double latency, String runId, Map<String, String> config, List<FaultEvent> faults) {
    History h = new History();
    long batch = 0;
    boolean fault = !faults.isEmpty();
    for (int s = 0; s < 60; s++) {
      for (int i = 0; i < 20; i++) {
        boolean inFault = fault && s >= 20 && s < 30;
        Outcome o = inFault && i % 4 == 0 ? Outcome.INFO : (fault && s >= 31 && s < 33 && i % 2 == 0 ? Outcome.FAIL : Outcome.OK);
        h.record(OpKind.WRITE, batch++, i % 3, s * 1_000_000L + i * 40_000, Math.round(((inFault ? 40_000 : 8_000) + i * 300L) * latency), o,
            o == Outcome.OK ? 204 : 503, (int) (500 * scale));
      }
    }
    PhaseAnalysis pa = new PhaseAnalysis(h.ops(), faults, 0.99);
    Map<String, Map<String, PhaseAnalysis.PhaseStats>> phases = new LinkedHashMap<>();
    Map<String, List<PhaseAnalysis.Second>> perSecond = new LinkedHashMap<>();
    phases.put("write", pa.phases(OpKind.WRITE));
    perSecond.put("write", pa.perSecond(OpKind.WRITE));
    return new RunResult(runId, "Fixture", "local", "2026-11-26T12:00:00Z", 70, config, Map.of(),
        faults, pa.segments(), phases, perSecond, pa.recoveries(), List.of(), List.of(), "");
  }
}
