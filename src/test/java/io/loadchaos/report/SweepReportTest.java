package io.loadchaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.capacity.CapacityReport;
import io.loadchaos.capacity.CapacitySearch;
import io.loadchaos.capacity.StepMeter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepReportTest {
  @TempDir Path dir;

  private Path run(String name, CapacitySearch.Result result) throws Exception {
    CapacityReport cap = new CapacityReport(
        new CapacitySearch.Settings(20_000, 2, 0.1, 2e6, 20, Duration.ofMinutes(6), Duration.ofSeconds(8), 1),
        new StepMeter.Criteria(0.99, 1000, 0.95, 0.15, 0.05, 0.9), 5000, 200, List.of(), result);
    RunResult r = Fixtures.faultRun(1.0);
    Path folder = dir.resolve(name);
    Files.createDirectories(folder);
    ResultsJson.write(folder, new RunResult(r.runId(), r.simulation(), r.target(), r.startedAt(), r.durationSeconds(),
        r.config(), r.dataset(), r.faults(), r.segments(), r.phases(), r.perSecond(), r.recoveries(), r.shardStates(),
        List.of(cap.verdict()), "", cap.toMap(), r.rejectedWrites()));
    return folder;
  }

  @Test
  void oneReportWithTheKneeAndBracketPerValue() throws Exception {
    List<SweepReport.Row> rows = List.of(
        SweepReport.row("RF=1", "1", run("a", new CapacitySearch.Result(CapacitySearch.End.KNEE, 410_000.0, 450_000.0, 9, ""))),
        SweepReport.row("RF=3", "3", run("b", new CapacitySearch.Result(CapacitySearch.End.KNEE, 190_000.0, 205_000.0, 9, ""))),
        SweepReport.row("RF=3, one node down <x>", "3",
            run("c", new CapacitySearch.Result(CapacitySearch.End.NOT_REACHED, 150_000.0, null, 5, "time budget 120 s reached"))),
        SweepReport.row("RF=2", "2", dir.resolve("missing")));
    assertThat(rows.get(0).knee()).isEqualTo(410_000);
    assertThat(rows.get(0).verdict()).isEqualTo("PASS");
    assertThat(rows.get(2).knee()).isNull();
    assertThat(rows.get(2).low()).isEqualTo(150_000);
    assertThat(rows.get(2).verdict()).isEqualTo("UNKNOWN");
    assertThat(rows.get(3).error()).contains("does not exist");

    Path html = SweepReport.write(dir.resolve("sweep"), "rf", "replicationFactor", rows);
    String page = Files.readString(html);
    assertThat(page).contains("<rect class=\"knee\"").contains("<rect class=\"bound\"").contains("class=\"bracket\"")
        .contains("knee 410k points/s, bracket [410k, 450k] (10%)").contains("knee not reached: &gt;= 150k points/s")
        .contains("RF=3, one node down &lt;x&gt;").doesNotContain("<x>").contains(">= 150k".replace(">", "&gt;"));
    assertThat(page.split("<tr class=")).hasSize(5);
    assertThat(Files.readString(dir.resolve("sweep").resolve(SweepReport.JSON))).contains("\"knee\" : 410000.0");
    assertThat(SweepReport.consoleLines(rows).get(1)).isEqualTo("RF=3: knee 190k points/s, bracket [190k, 205k] (8%)");
  }
}
