package io.loadchaos.report;

import io.loadchaos.check.PhaseAnalysis;
import io.loadchaos.check.Verdict;
import io.loadchaos.history.FaultEvent;
import io.loadchaos.history.WriteRejections;
import java.util.List;
import java.util.Map;

/**
 * Everything a finished run reports: what results.json holds and what report.html, the JUnit XML
 * and the regression gate read. Secrets are redacted before they get here. {@code capacity} is null
 * unless the run stepped its load ({@link CapacityAnalysis.Result#toMap()}). {@code rejectedWrites}
 * says why writes were not ok (per HTTP status, with bodies and a hint); null in results.json files
 * written before it existed. {@code cost}: node CPU per million acknowledged points and peak RSS per
 * phase ({@code io.loadchaos.cost.CostReport}), or {@code {"absent": why}}; null in older files.
 */
public record RunResult(
    String runId,
    String simulation,
    String target,
    String startedAt,
    double durationSeconds,
    Map<String, String> config,
    Map<String, Object> dataset,
    List<FaultEvent> faults,
    List<PhaseAnalysis.Segment> segments,
    Map<String, Map<String, PhaseAnalysis.PhaseStats>> phases,
    Map<String, List<PhaseAnalysis.Second>> perSecond,
    List<PhaseAnalysis.Recovery> recoveries,
    List<Map<String, Object>> shardStates,
    List<Verdict> verdicts,
    String gatlingReport,
    Map<String, Object> capacity,
    WriteRejections.Summary rejectedWrites,
    Map<String, Object> cost) {

  /** A run without capacity steps (every simulation but the capacity one). */
  public RunResult(String runId, String simulation, String target, String startedAt, double durationSeconds,
      Map<String, String> config, Map<String, Object> dataset, List<FaultEvent> faults,
      List<PhaseAnalysis.Segment> segments, Map<String, Map<String, PhaseAnalysis.PhaseStats>> phases,
      Map<String, List<PhaseAnalysis.Second>> perSecond, List<PhaseAnalysis.Recovery> recoveries,
      List<Map<String, Object>> shardStates, List<Verdict> verdicts, String gatlingReport) {
    this(runId, simulation, target, startedAt, durationSeconds, config, dataset, faults, segments, phases, perSecond,
        recoveries, shardStates, verdicts, gatlingReport, null, null);
  }

  /** A run without a record of rejected writes. */
  public RunResult(String runId, String simulation, String target, String startedAt, double durationSeconds,
      Map<String, String> config, Map<String, Object> dataset, List<FaultEvent> faults,
      List<PhaseAnalysis.Segment> segments, Map<String, Map<String, PhaseAnalysis.PhaseStats>> phases,
      Map<String, List<PhaseAnalysis.Second>> perSecond, List<PhaseAnalysis.Recovery> recoveries,
      List<Map<String, Object>> shardStates, List<Verdict> verdicts, String gatlingReport, Map<String, Object> capacity) {
    this(runId, simulation, target, startedAt, durationSeconds, config, dataset, faults, segments, phases, perSecond,
        recoveries, shardStates, verdicts, gatlingReport, capacity, null);
  }

  /** A run without a cost measurement. */
  public RunResult(String runId, String simulation, String target, String startedAt, double durationSeconds,
      Map<String, String> config, Map<String, Object> dataset, List<FaultEvent> faults,
      List<PhaseAnalysis.Segment> segments, Map<String, Map<String, PhaseAnalysis.PhaseStats>> phases,
      Map<String, List<PhaseAnalysis.Second>> perSecond, List<PhaseAnalysis.Recovery> recoveries,
      List<Map<String, Object>> shardStates, List<Verdict> verdicts, String gatlingReport, Map<String, Object> capacity,
      WriteRejections.Summary rejectedWrites) {
    this(runId, simulation, target, startedAt, durationSeconds, config, dataset, faults, segments, phases, perSecond,
        recoveries, shardStates, verdicts, gatlingReport, capacity, rejectedWrites, null);
  }

  /** The same run with other verdicts (e.g. the regression gate's added). */
  public RunResult withVerdicts(List<Verdict> vs) {
    return new RunResult(runId, simulation, target, startedAt, durationSeconds, config, dataset, faults, segments,
        phases, perSecond, recoveries, shardStates, vs, gatlingReport, capacity, rejectedWrites, cost);
  }

  public boolean passed() {
    return !verdicts.isEmpty() && verdicts.stream().allMatch(Verdict::passed);
  }
}
