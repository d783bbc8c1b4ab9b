package io.loadchaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.history.FaultEvent;
import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Query availability and p99 per phase, over HTTP and Flight queries together. */
class QuerySloTest {
  private static final List<FaultEvent> FAULT = List.of(
      new FaultEvent("kill-2", "kill", "node:2", List.of("2"), 10_000_000, 15_000_000, true, ""));

  /** Writes every 100 ms for 30 s, all ok; queries as {@code queries} adds them. */
  private static History writes() {
    History h = new History();
    for (int i = 0; i < 300; i++) h.record(OpKind.WRITE, i, 0, i * 100_000L, 5_000, Outcome.OK, 204, 10);
    return h;
  }

  private static Map<String, Verdict> evaluate(History h, Slo... slos) {
    return new PhaseAnalysis(h.ops(), FAULT, 0.99).evaluate(List.of(slos)).stream()
        .collect(Collectors.toMap(Verdict::name, Function.identity()));
  }

  @Test
  void availabilityAndP99AreJudgedOverHttpAndFlightQueries() {
    History h = writes();
    // steady: 18 answered SQL queries of 200 ms, 1 answered and 1 timed-out Flight query
    for (int s = 0; s < 10; s++) {
      h.record(OpKind.QUERY_SQL, 0, 0, s * 1_000_000L, 200_000, Outcome.OK, 200, 0);
      h.record(OpKind.QUERY_SQL, 0, 1, 20_000_000 + s * 1_000_000L, 200_000, Outcome.OK, 200, 0);
    }
    h.record(OpKind.QUERY_FLIGHT, 0, 2, 3_000_000, 300_000, Outcome.OK, 200, 0);
    h.record(OpKind.QUERY_FLIGHT, 0, 2, 21_500_000, 10_000_000, Outcome.INFO, -1, 0);
    Map<String, Verdict> v = evaluate(h, Slo.queryAvailability("steady", 0.9), Slo.queryP99("steady", Duration.ofSeconds(1)),
        Slo.queryAvailability("fault:*", 0.9));
    Verdict avail = v.get("slo query-availability [steady]");
    assertThat(avail.status()).isEqualTo(Verdict.Status.PASS);
    assertThat(avail.measured()).isEqualTo("0.9545"); // 21 of 22
    assertThat(avail.detail()).startsWith("22 queries over");
    // the timed-out query counts against availability, not p99
    assertThat(v.get("slo query-p99-ms [steady]").status()).isEqualTo(Verdict.Status.PASS);
    assertThat(v.get("slo query-p99-ms [steady]").measured()).matches("300(\\.\\d+)? ms");
    // no query started during the fault: nothing observed is not a pass
    assertThat(v.get("slo query-availability [fault:kill-2]").status()).isEqualTo(Verdict.Status.UNKNOWN);
    assertThat(v.get("slo query-availability [fault:kill-2]").detail()).isEqualTo("no queries started in phase fault:kill-2");
  }

  @Test
  void tooManyErrorsFailAvailability() {
    History h = writes();
    for (int s = 0; s < 10; s++) {
      h.record(OpKind.QUERY_SQL, 0, 0, s * 1_000_000L, 200_000, s < 2 ? Outcome.INFO : Outcome.OK, s < 2 ? 503 : 200, 0);
    }
    Verdict v = evaluate(h, Slo.queryAvailability("steady", 0.9)).get("slo query-availability [steady]");
    assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
    assertThat(v.measured()).isEqualTo("0.8000");
    assertThat(v.detail()).contains("not ok by HTTP status: 503 x2");
  }

  @Test
  void aRunWithoutQueriesSkipsTheQuerySlos() {
    Map<String, Verdict> v = evaluate(writes(), Slo.queryAvailability("steady", 0.9), Slo.queryP99("steady", Duration.ofSeconds(1)));
    assertThat(v.values()).allSatisfy(x -> {
      assertThat(x.status()).isEqualTo(Verdict.Status.SKIPPED);
      assertThat(x.detail()).isEqualTo("the run sent no queries");
    });
  }
}
