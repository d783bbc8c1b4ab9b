package io.loadchaos.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.loadchaos.check.Verdict;
import io.loadchaos.history.FaultEvent;
import io.loadchaos.history.FaultEvent.Measure;
import io.loadchaos.history.FaultEvent.NodeRecovery;
import io.loadchaos.report.ResultsJson;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-fault recovery SLOs from the measurements in the fault events, and faults.json old and new. */
class RecoveryVerdictsTest {
  static final Duration SERVE = Duration.ofSeconds(30);
  static final Duration CATCH_UP = Duration.ofSeconds(60);

  static FaultEvent fault(NodeRecovery... r) {
    return new FaultEvent("kill-3", "kill", "node:3", List.of("3"), 1_000_000, 16_000_000, true, "on [3]",
        "node 3: pids [42] gone", List.of(r));
  }

  static Verdict.Status status(List<Verdict> vs, String name) {
    return vs.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow().status();
  }

  @Test
  void measuredWithinThresholdPassesAndOverItFails() {
    List<Verdict> ok = RecoveryVerdicts.of(List.of(fault(new NodeRecovery("3", 16_000_000,
        Measure.measured(4.2, "read back"), Measure.measured(5.0, "caught up")))), SERVE, CATCH_UP);
    assertThat(ok).extracting(Verdict::status).containsExactly(Verdict.Status.PASS, Verdict.Status.PASS);
    assertThat(ok.get(0).name()).isEqualTo("slo node recovery after kill-3");
    assertThat(ok.get(0).measured()).isEqualTo("4.20 s");

    List<Verdict> late = RecoveryVerdicts.of(List.of(fault(new NodeRecovery("3", 16_000_000,
        Measure.measured(31, "read back"), Measure.notWithin("node 3 not caught up within 60 s")))), SERVE, CATCH_UP);
    assertThat(status(late, "slo node recovery after kill-3")).isEqualTo(Verdict.Status.FAIL);
    assertThat(status(late, "slo catch-up after kill-3")).isEqualTo(Verdict.Status.FAIL);
    assertThat(late.get(1).measured()).isEqualTo("not within 60.00 s");
  }

  @Test
  void notObservableIsSkippedAndAFailedMeasurementUnknownNeverPass() {
    List<Verdict> vs = RecoveryVerdicts.of(List.of(fault(new NodeRecovery("3", 16_000_000,
        Measure.error("cannot create the probe database"), Measure.notObservable("no hint metrics, no node-local reads")))),
        SERVE, CATCH_UP);
    assertThat(status(vs, "slo node recovery after kill-3")).isEqualTo(Verdict.Status.UNKNOWN);
    assertThat(status(vs, "slo catch-up after kill-3")).isEqualTo(Verdict.Status.SKIPPED);
  }

  @Test
  void aFaultWithoutMeasuredNodesGivesNoVerdict() {
    FaultEvent move = new FaultEvent("move", "move-shard", "table:cpu", List.of(), 0, 5, true, "");
    assertThat(RecoveryVerdicts.of(List.of(move), SERVE, CATCH_UP)).isEmpty();
  }

  @Test
  void faultsJsonRoundTripsAndOldFilesWithoutProofStillLoad() throws Exception {
    var type = new TypeReference<List<FaultEvent>>() {};
    FaultEvent e = fault(new NodeRecovery("3", 16_000_000, Measure.measured(4.2, "read back"), Measure.measured(5, "caught up")));
    byte[] json = ResultsJson.mapper().writeValueAsBytes(List.of(e));
    assertThat(ResultsJson.mapper().readValue(json, type)).containsExactly(e);

    String old = "[{\"name\":\"kill-2\",\"action\":\"kill\",\"target\":\"node:2\",\"nodes\":[\"2\"],\"startMicros\":1,"
        + "\"endMicros\":2,\"ok\":true,\"detail\":\"on [2]\"}]";
    FaultEvent loaded = ResultsJson.mapper().readValue(old, type).get(0);
    assertThat(loaded.proof()).isEmpty();
    assertThat(loaded.recovery()).isEmpty();
    assertThat(loaded.nodes()).containsExactly("2");
  }
}
