package io.loadchaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

  @TempDir Path dir;

  @Test
  void reportCommandRewritesTheReportFromResultsJsonAndChromiumRendersIt() throws Exception {
    RunResult r = Fixtures.faultRun(1.0);
    CapacityAnalysis.Schedule schedule = new CapacityAnalysis.Schedule(10, 10, 5, Duration.ofSeconds(10), 500, 2_000_000);
    CapacityAnalysis.Result cap = CapacityAnalysis.evaluate(schedule, Fixtures.rampSeconds(),
        new CapacityAnalysis.Criteria(0.99, 3000));
    RunResult withCapacity = new RunResult(r.runId(), r.simulation(), r.target(), r.startedAt(), r.durationSeconds(),
        r.config(), r.dataset(), r.faults(), r.segments(), r.phases(), r.perSecond(), r.recoveries(), r.shardStates(),
        r.verdicts(), dir.resolve("gatling/fixture-1").toString(), cap.toMap(), r.rejectedWrites());
    ResultsJson.write(dir, withCapacity);

    StringWriter out = new StringWriter();
    var cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("report", "--run", dir.toString())).isZero();
    Path html = dir.resolve(HtmlReport.FILE);
    assertThat(out.toString()).contains(html.toAbsolutePath().toString());

    String page = Files.readString(html);
    // self-contained: nothing is fetched (only the SVG namespace names a URL)
    assertThat(page.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://").doesNotContain("https://");
    assertThat(page).doesNotContain("<script>alert").contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    assertThat(page).contains("href=\"gatling/fixture-1/index.html\"");

    Assumptions.assumeTrue(Files.isExecutable(HeadlessChromium.BINARY),
        "/usr/bin/chromium is absent: install Debian's chromium package (apt-get install chromium) to render report.html");
    try (HeadlessChromium browser = HeadlessChromium.start()) {
      HeadlessChromium.Load load = browser.open(html);
      assertThat(load.problems()).as("console errors, exceptions and blocked loads").isEmpty();
      assertThat(browser.evaluate("document.body.dataset.ready").asText()).isEqualTo("true");
      // throughput (1), errors (2), latency (2), queries (2), capacity (3): every series drawn with data
      assertThat(browser.evaluate("document.body.dataset.charts").asInt()).isEqualTo(10);
      assertThat(browser.evaluate("document.body.dataset.wired").asInt()).isEqualTo(5);
      assertThat(browser.evaluate("Math.min(...[...document.querySelectorAll('svg.chart path.series')]"
          + ".map(p => p.getTotalLength()))").asDouble()).isGreaterThan(10);
      // the fault window is shaded and labelled on each timeline chart, the recovery too
      assertThat(browser.evaluate("document.querySelectorAll('#timeline svg .band.fault').length").asInt()).isEqualTo(4);
      assertThat(browser.evaluate("document.querySelector('#chart-throughput .band.fault text').textContent").asText())
          .isEqualTo("kill-2 (kill node:2)");
      assertThat(browser.evaluate("document.querySelectorAll('#timeline svg .band.recovery').length").asInt()).isPositive();
      assertThat(browser.evaluate("document.querySelector('#chart-throughput .band.fault rect').getBBox().width").asDouble())
          .isGreaterThan(50);
      // escaped text stays text: the page has only its own two scripts
      assertThat(browser.evaluate("document.scripts.length").asInt()).isEqualTo(2);
      assertThat(browser.evaluate("document.querySelector('#findings').textContent.includes(\"<script>alert('x')</script>\")")
          .asBoolean()).isTrue();
      assertThat(browser.evaluate("document.querySelectorAll('#verdicts tr.fail').length").asInt()).isPositive();
      assertThat(browser.evaluate("getComputedStyle(document.querySelector('#verdicts tr.fail td.status')).backgroundColor")
          .asText()).isEqualTo("rgb(255, 205, 210)");
      assertThat(browser.evaluate("document.querySelectorAll('#shard-timeline .shard-state').length").asInt()).isEqualTo(4);
      assertThat(browser.evaluate("document.querySelectorAll('#rejected table.rejected tbody tr').length").asInt()).isEqualTo(1);
      assertThat(browser.evaluate("document.querySelector('#capacity .knee').textContent").asText())
          .contains("15000 ok points/s").contains("step 3 of 5");
      // the hover readout answers a mouse move over a chart
      String readout = browser.evaluate("""
          (() => {
            const svg = document.getElementById('chart-latency');
            const b = svg.getBoundingClientRect();
            svg.dispatchEvent(new MouseEvent('mousemove', {clientX: b.left + b.width / 2, clientY: b.top + b.height / 2}));
            return document.querySelector('.readout[data-for="chart-latency"]').textContent;
          })()""").asText();
      assertThat(readout).matches("second (29|30) \u00b7 p50 [0-9.]+ \u00b7 p99 [0-9.]+");
    }
  }

  @Test
  void reportCommandNamesAFolderWithoutResults() {
    StringWriter err = new StringWriter();
    var cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("report", "--run", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("has no results.json");
  }

  @Test
  void aRunWithoutLoadFaultsOrChecksStillRendersAndSaysSo() {
    RunResult empty = new RunResult("Empty-1", "Empty", "external", "2026-11-26T12:00:00Z", 0, Map.of(),
        Map.of(), List.of(), List.of(), Map.of(), Map.of(),
        List.of(), List.of(), List.of(), "");
    String page = HtmlReport.render(dir, empty);
    assertThat(page).contains("FAILED").contains("the run produced no verdicts").contains("no writes were recorded")
        .contains("no faults were injected").contains("no shard state changes").contains("not recorded for this run")
        .doesNotContain("<path class=\"series\"").doesNotContain("id=\"capacity\"");
  }

  @Test
  void gatlingLinksAreRelativeToTheRunFolderWhenBothAreOnDisk() {
    Path run = Path.of("/home/user/project/target/loadchaos/run-1");
    assertThat(HtmlReport.gatlingHref(run, "/home/user/project/target/gatling/baselinewrite-123"))
        .isEqualTo("../../gatling/baselinewrite-123/index.html");
    assertThat(HtmlReport.gatlingHref(run, "/home/user/project/target/gatling/x/index.html")).isEqualTo("../../gatling/x/index.html");
    assertThat(HtmlReport.gatlingHref(run, "https://ci.example/gatling/1/")).isEqualTo("https://ci.example/gatling/1/");
  }
}
