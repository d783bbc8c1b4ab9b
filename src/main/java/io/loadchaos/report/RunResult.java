package io.loadchaos.report;

import io.loadchaos.check.PhaseAnalysis;
import io.loadchaos.check.Verdict;
import io.loadchaos.history.FaultEvent;
import java.util.List;
import java.util.Map;

/**
 * Everything a finished run reports: what results.json holds and what report.html, the JUnit XML
 * and the regression gate read. Secrets are redacted before they get here.
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
    String gatlingReport) {

  public boolean passed() {
    return !verdicts.isEmpty() && verdicts.stream().allMatch(Verdict::passed);
  }
}
