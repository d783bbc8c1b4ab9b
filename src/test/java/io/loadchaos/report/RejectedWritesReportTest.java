package io.loadchaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loadchaos.check.PhaseAnalysis;
import io.loadchaos.check.Slo;
import io.loadchaos.check.Verdict;
import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import io.loadchaos.history.WriteRejections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** results.json and report.html say why writes were rejected; older results.json files still read. */
class RejectedWritesReportTest {
  static final String INFLUXDB_1_6_7 = "{\"error\":\"unable to parse 'mem,host=host_0,region=us-east-1 used=123i,"
      + "free=456u,used_percent=55.5,swapping=false 1796116583000': invalid number\"}";

  @TempDir Path dir;

  private static RunResult withRejections(RunResult r, WriteRejections.Summary rw) {
    return new RunResult(r.runId(), r.simulation(), r.target(), r.startedAt(), r.durationSeconds(), r.config(),
        r.dataset(), r.faults(), r.segments(), r.phases(), r.perSecond(), r.recoveries(), r.shardStates(), r.verdicts(),
        r.gatlingReport(), r.capacity(), rw);
  }

  private static WriteRejections.Summary influx1() {
    WriteRejections w = new WriteRejections();
    for (int i = 0; i < 1335; i++) w.record(400, Outcome.FAIL, INFLUXDB_1_6_7);
    w.record(-1, Outcome.INFO, null);
    return w.summary();
  }

  @Test
  void resultsJsonRoundTripsTheRejectionsAndThePerPhaseStatuses() throws Exception {
    RunResult r = withRejections(Fixtures.faultRun(1.0), influx1());
    ResultsJson.write(dir, r);
    JsonNode tree = ResultsJson.mapper().readTree(dir.resolve(ResultsJson.FILE).toFile());
    assertThat(tree.at("/rejectedWrites/statuses/1/status").asInt()).isEqualTo(400);
    assertThat(tree.at("/rejectedWrites/statuses/1/fail").asLong()).isEqualTo(1335);
    assertThat(tree.at("/rejectedWrites/hint").asText()).contains("-Dloadchaos.fieldTypes=no-unsigned");
    assertThat(tree.at("/phases/write/fault:kill-2/notOkStatuses/503").asLong()).isEqualTo(50);

    RunResult back = ResultsJson.read(dir);
    assertThat(back.rejectedWrites()).isEqualTo(r.rejectedWrites());
    assertThat(back.phases()).isEqualTo(r.phases());
    assertThat(back.withVerdicts(List.of()).rejectedWrites()).isEqualTo(r.rejectedWrites());
  }

  @Test
  void anOlderResultsJsonWithoutTheFieldsStillReadsAndRenders() throws Exception {
    ResultsJson.write(dir, Fixtures.faultRun(1.0));
    ObjectNode tree = (ObjectNode) ResultsJson.mapper().readTree(dir.resolve(ResultsJson.FILE).toFile());
    tree.remove("rejectedWrites");
    tree.get("phases").forEach(kind -> kind.forEach(phase -> ((ObjectNode) phase).remove("notOkStatuses")));
    Files.write(dir.resolve(ResultsJson.FILE), ResultsJson.mapper().writeValueAsBytes(tree));

    RunResult old = ResultsJson.read(dir);
    assertThat(old.rejectedWrites()).isNull();
    assertThat(old.phases().get("write").get("steady").notOkStatuses()).isNull();
    assertThat(old.phases().get("write").get("steady").notOkSummary()).isEmpty();
    String page = HtmlReport.render(dir, old);
    assertThat(page).contains("<section id=\"rejected\"><h2>Rejected writes</h2><p class=\"muted\">not recorded for this run");
  }

  @Test
  void reportShowsATableOfRejectedWritesWithTheHint() {
    RunResult r = withRejections(Fixtures.faultRun(1.0), influx1());
    String page = HtmlReport.render(dir, r);
    String section = page.substring(page.indexOf("<section id=\"rejected\">"), page.indexOf("<section id=\"findings\">"));
    assertThat(section).contains("<p class=\"hint\"><strong>hint:</strong> the target rejects unsigned integer fields")
        .contains("rerun with -Dloadchaos.fieldTypes=no-unsigned")
        .contains("<table class=\"rejected\">")
        .contains("<tr><td>400</td><td class=\"num\">1335</td><td class=\"num\">1335</td><td class=\"num\">0</td>")
        .contains("<tr><td>no response</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">1</td>"
            + "<td><span class=\"muted\">no body</span>")
        // the body is escaped text
        .contains("<code>{&quot;error&quot;:&quot;unable to parse &#39;mem,host=host_0");
    assertThat(page).contains("<a href=\"#rejected\">rejected writes</a>");
    // the phases table names the statuses of the writes that were not ok
    assertThat(page).contains("<th>not ok by HTTP status</th>").contains("<td class=\"statuses\">503 x50</td>");
  }

  @Test
  void aRunWhoseWritesWereAllOkSaysSo() {
    RunResult r = withRejections(Fixtures.faultRun(1.0), WriteRejections.Summary.NONE);
    assertThat(HtmlReport.render(dir, r)).contains("every write attempt was ok");
    assertThat(WriteRejections.Summary.NONE.consoleLines()).isEmpty();
  }

  @Test
  void sloVerdictsNameTheStatusesOfTheWritesThatWereNotOk() {
    // 10 s of writes to an InfluxDB 1.x: every other batch rejected (400), one without a response
    History h = new History();
    long batch = 0;
    for (int s = 0; s < 10; s++) {
      for (int i = 0; i < 10; i++) {
        boolean rejected = i % 2 == 1;
        h.record(OpKind.WRITE, batch++, 0, s * 1_000_000L + i * 50_000, 5_000, rejected ? Outcome.FAIL : Outcome.OK,
            rejected ? 400 : 204, 500);
      }
    }
    h.record(OpKind.WRITE, batch, 0, 9_900_000, -1, Outcome.INFO, -1, 500);
    PhaseAnalysis pa = new PhaseAnalysis(h.ops(), List.of(), 0.99);
    var steady = pa.phases(OpKind.WRITE).get("steady");
    assertThat(steady.notOkStatuses()).containsExactly(Map.entry("no response", 1L), Map.entry("400", 50L));
    Verdict v = pa.evaluate(List.of(Slo.availability("steady", 0.99))).get(0);
    assertThat(v.detail()).isEqualTo("101 writes over 10 s (ok 50, fail 50, info 1); not ok by HTTP status: no response x1, 400 x50");
    assertThat(pa.phases(OpKind.QUERY_SQL).get("steady").notOkStatuses()).isEmpty();
  }
}
