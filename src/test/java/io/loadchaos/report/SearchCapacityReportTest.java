package io.loadchaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.capacity.CapacityReport;
import io.loadchaos.capacity.CapacitySearch;
import io.loadchaos.capacity.StepMeter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** report.html of a knee search: the end with its bracket, steps in the order run, by offered rate in the chart. */
class SearchCapacityReportTest {

  private static CapacityReport.Step step(int level, double offered, String verdict, String why) {
    return new CapacityReport.Step(level, offered, level * 8L + 2, level * 8L + 8, 40, 40, offered * 0.99, 1.0, 0.0, 41,
        verdict.equals("MET"), why, "grow", verdict, offered, offered, 0, 40, 3, 1, 2, 0, 7, 0.21, 0.1, null);
  }

  @Test
  void theCapacitySectionShowsTheKneeBracketAndEveryStep() {
    CapacityReport cap = new CapacityReport(
        new CapacitySearch.Settings(20_000, 2, 0.1, 2e6, 20, Duration.ofMinutes(6), Duration.ofSeconds(8), 1),
        new StepMeter.Criteria(0.99, 1000, 0.95, 0.15, 0.05, 0.9), 5000, 200,
        List.of(step(0, 160_000, "MET", ""), step(1, 320_000, "MISSED", "p99 2400 ms > 1000 ms <b>"),
            step(2, 226_000, "MET", ""), step(3, 247_000, "MISSED", "p99 1100 ms > 1000 ms")),
        new CapacitySearch.Result(CapacitySearch.End.KNEE, 226_000.0, 247_000.0, 4, "bracket within 10%"));
    RunResult r = Fixtures.faultRun(1.0);
    RunResult withCapacity = new RunResult(r.runId(), r.simulation(), r.target(), r.startedAt(), r.durationSeconds(),
        r.config(), r.dataset(), r.faults(), r.segments(), r.phases(), r.perSecond(), r.recoveries(), r.shardStates(),
        r.verdicts(), "", cap.toMap(), r.rejectedWrites());
    String html = HtmlReport.render(Path.of("."), withCapacity);
    String section = html.substring(html.indexOf("<section id=\"capacity\">"));
    section = section.substring(0, section.indexOf("</section>"));
    assertThat(section).contains("knee 226k points/s, bracket [226k, 247k] (9%)");
    assertThat(section).contains("id=\"chart-capacity\"").contains("<title>bracket<");
    assertThat(section.split("<tr class=")).hasSize(5);
    assertThat(section).contains("missed: p99 2400 ms &gt; 1000 ms &lt;b&gt;").doesNotContain("<b>");
    assertThat(section).contains("<td class=\"num\">3 / 1</td><td class=\"num\">2</td>"); // late: all busy / injector, dropped
  }
}
