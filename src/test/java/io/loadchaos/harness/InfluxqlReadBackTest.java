package io.loadchaos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.SimulationRunner;
import io.loadchaos.check.Verdict;
import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reference cluster passes with {@code loadchaos.query=influxql} as with SQL: read-back through
 * {@code /api/v3/query_influxql}, the query load in InfluxQL, every verdict green.
 */
class InfluxqlReadBackTest {

  @Test
  void nodeFailureDuringWriteReadBackInInfluxql() throws Exception {
    var res = SimulationRunner.run("influxql-node-failure", "NodeFailureDuringWriteSimulation", Map.of(
        "loadchaos.query", "influxql", "loadchaos.duration", "30s"));
    assertThat(res.exitCode()).as(res.output()).isZero();
    assertThat(res.output()).contains("reads through: influxql v3 (/api/v3/query_influxql)");
    RunResult r = ResultsJson.read(res.runDir());
    assertThat(r.verdicts()).allSatisfy(v -> assertThat(v.status()).as(v.toString()).isIn(Verdict.Status.PASS, Verdict.Status.SKIPPED));
    assertThat(r.verdicts()).filteredOn(v -> v.name().equals("read-back lost")).singleElement()
        .satisfies(v -> assertThat(v.detail()).contains("rows read").doesNotContain("rows read 0"));
    // the query load (HTTP and Flight) ran in InfluxQL and got right answers
    assertThat(r.verdicts()).filteredOn(v -> v.name().equals("query correctness")).singleElement()
        .satisfies(v -> assertThat(v.status()).isEqualTo(Verdict.Status.PASS));
  }
}
