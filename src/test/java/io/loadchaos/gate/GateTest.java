package io.loadchaos.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.check.Verdict;
import io.loadchaos.cli.Main;
import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateTest {

  @TempDir Path dir;

  private record Cli(int exit, String out, String err) {}

  private static Cli gate(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 1];
    all[0] = "gate";
    System.arraycopy(args, 0, all, 1, args.length);
    int exit = cli.execute(all);
    return new Cli(exit, out.toString(), err.toString());
  }

  private Path runFolder(String name, RunResult r) throws IOException {
    Path run = dir.resolve(name);
    Files.createDirectories(run);
    ResultsJson.write(run, r);
    return run;
  }

  @Test
  void aRunPassesAgainstItsOwnBaseline() throws Exception {
    Path run = runFolder("run", GateFixtures.run(1.0));
    Path baseline = dir.resolve("baselines/Fixture.json");
    Cli update = gate("--baseline", baseline.toString(), "--run", run.toString(), "--update");
    assertThat(update.exit()).as(update.err()).isZero();
    assertThat(update.out()).contains("wrote").contains("Fixture-20261126-120000");

    Baseline b = Baseline.read(baseline);
    assertThat(b.simulation()).isEqualTo("Fixture");
    assertThat(b.metrics()).extracting(Baseline.Metric::name).contains("write throughput [steady]",
        "write p99 [fault:kill-2]", "write availability [recovery]", "recovery after kill-2");
    assertThat(b.tolerances()).isEqualTo(Baseline.defaultTolerances());

    Cli same = gate("--baseline", baseline.toString(), "--run", run.toString());
    assertThat(same.exit()).as(same.out() + same.err()).isZero();
    assertThat(same.out()).contains("GATE PASSED").contains("write throughput [steady]").doesNotContain("regressed");
  }

  @Test
  void aBaselineDemandingTwiceTheThroughputFailsWithAReadableDiff() throws Exception {
    Path base = runFolder("base", GateFixtures.run(2.0));
    Path baseline = dir.resolve("Fixture.json");
    assertThat(gate("--baseline", baseline.toString(), "--run", base.toString(), "--update").exit()).isZero();
    Path run = runFolder("run", GateFixtures.run(1.0));

    Cli cmp = gate("--baseline", baseline.toString(), "--run", run.toString());
    assertThat(cmp.exit()).isEqualTo(1);
    assertThat(cmp.out()).contains("GATE FAILED");
    String line = cmp.out().lines().filter(l -> l.startsWith("write throughput [steady]")).findFirst().orElseThrow();
    assertThat(line).contains("20000 points/s").contains("10000 points/s").contains("-50.0%").contains(">= 16000 points/s")
        .endsWith("regressed");
    // latency and availability did not move: they stay ok
    assertThat(cmp.out().lines().filter(l -> l.startsWith("write p99 [steady]")).findFirst().orElseThrow()).endsWith("ok");
  }

  @Test
  void perMetricToleranceOverridesTheDefault() throws Exception {
    RunResult base = GateFixtures.run(2.0);
    Baseline b = Baseline.from(base, null);
    List<Baseline.Metric> loose = b.metrics().stream().map(m -> m.kind() == Baseline.Kind.THROUGHPUT
        ? new Baseline.Metric(m.name(), m.kind(), m.phase(), m.value(), new Baseline.Tolerance(0.6, 0)) : m).toList();
    Baseline relaxed = new Baseline(b.simulation(), b.createdFrom(), b.createdAt(), b.tolerances(), loose);
    GateResult g = Gate.compare(relaxed, GateFixtures.run(1.0));
    assertThat(g.passed()).as(g.table()).isTrue();

    // --update keeps the override
    Path file = dir.resolve("b.json");
    relaxed.write(file);
    Baseline refreshed = Baseline.from(GateFixtures.run(1.0), Baseline.read(file));
    assertThat(refreshed.metrics().stream().filter(m -> m.kind() == Baseline.Kind.THROUGHPUT))
        .allSatisfy(m -> assertThat(m.tolerance()).isEqualTo(new Baseline.Tolerance(0.6, 0)));
  }

  @Test
  void aMissingFaultPhaseAndANeverRecoveredFaultAreRegressions() throws Exception {
    Baseline b = Baseline.from(GateFixtures.run(1.0), null);
    GateResult g = Gate.compare(b, GateFixtures.withoutFault());
    assertThat(g.passed()).isFalse();
    assertThat(g.regressions()).extracting(GateResult.Row::metric).contains("write throughput [fault:kill-2]",
        "recovery after kill-2");
    List<Verdict> vs = g.verdicts();
    assertThat(vs).filteredOn(v -> v.name().equals("gate write throughput [fault:kill-2]"))
        .singleElement().satisfies(v -> {
          assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
          assertThat(v.measured()).isEqualTo("missing");
        });
  }

  @Test
  void harnessVerdictsAreEmptyWithoutBaselineAndUnknownForABrokenOne() throws Exception {
    assertThat(Gate.verdicts("", GateFixtures.run(1.0))).isEmpty();
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"simulation\":\"Fixture\",\"metrics\":[{\"name\":\"x\",\"kind\":\"p42\",\"value\":1}]}");
    List<Verdict> vs = Gate.verdicts(bad.toString(), GateFixtures.run(1.0));
    assertThat(vs).singleElement().satisfies(v -> {
      assertThat(v.status()).isEqualTo(Verdict.Status.UNKNOWN);
      assertThat(v.detail()).contains("unknown metric kind 'p42'").contains("metrics[0]");
    });
    Path good = dir.resolve("good.json");
    Baseline.from(GateFixtures.run(1.0), null).write(good);
    assertThat(Gate.verdicts(good.toString(), GateFixtures.run(1.0))).isNotEmpty().allMatch(Verdict::passed);
  }

  @Test
  void badInputIsNamed() throws Exception {
    Path run = runFolder("run", GateFixtures.run(1.0));
    Cli noRun = gate("--baseline", dir.resolve("x.json").toString(), "--run", dir.resolve("nope").toString());
    assertThat(noRun.exit()).isEqualTo(2);
    assertThat(noRun.err()).contains("results.json does not exist");
    Cli noBaseline = gate("--baseline", dir.resolve("x.json").toString(), "--run", run.toString());
    assertThat(noBaseline.exit()).isEqualTo(2);
    assertThat(noBaseline.err()).contains("x.json does not exist");
    Path neg = dir.resolve("neg.json");
    Files.writeString(neg, "{\"simulation\":\"Fixture\",\"tolerances\":{\"p99\":{\"relative\":-1,\"absolute\":0}},"
        + "\"metrics\":[{\"name\":\"x\",\"kind\":\"p99\",\"phase\":\"steady\",\"value\":1}]}");
    Cli negative = gate("--baseline", neg.toString(), "--run", run.toString());
    assertThat(negative.exit()).isEqualTo(2);
    assertThat(negative.err()).contains("tolerances").contains("must be >= 0");
    Path other = dir.resolve("other.json");
    Baseline b = Baseline.from(GateFixtures.run(1.0), null);
    new Baseline("Other", b.createdFrom(), b.createdAt(), b.tolerances(), b.metrics()).write(other);
    assertThatThrownBy(() -> Gate.compare(Baseline.read(other), GateFixtures.run(1.0)))
        .hasMessageContaining("'Other'").hasMessageContaining("'Fixture'");
  }
}
