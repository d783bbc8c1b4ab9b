package io.loadchaos.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.check.Verdict;
import io.loadchaos.cli.Main;
import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateTest {

  @TempDir Path dir;

  record Cli(int exit, String out, String err) {}

  static Cli gate(String... args) {
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

  /** A baseline of runs with write latencies scaled by {@code latencies} (one run each). */
  private Path baselineOf(String file, double scale, double... latencies) throws IOException {
    Path baseline = dir.resolve(file);
    for (int i = 0; i < latencies.length; i++) {
      Path run = runFolder(file + "-base" + i, GateFixtures.run(scale, latencies[i], "Fixture-2026112" + i + "-120000"));
      Cli update = gate("--baseline", baseline.toString(), "--run", run.toString(), "--update");
      assertThat(update.exit()).as(update.err()).isZero();
    }
    return baseline;
  }

  private static String line(Cli c, String metric) {
    return c.out().lines().filter(l -> l.startsWith(metric + " ")).findFirst().orElseThrow(() -> new AssertionError(c.out()));
  }

  @Test
  void aRunPassesAgainstABaselineOfItsOwnKind() throws Exception {
    Path baseline = baselineOf("Fixture.json", 1.0, 1.0, 1.02, 0.98, 1.01);
    BaselineSet b = BaselineSet.read(baseline).set();
    assertThat(b.simulation()).isEqualTo("Fixture");
    assertThat(b.runs()).hasSize(4).allSatisfy(e -> {
      assertThat(e.identity()).isNotNull();
      assertThat(e.metrics()).extracting(Baseline.Metric::name).contains("write throughput [steady]",
          "write p99 [fault:kill-2]", "write availability [recovery]", "recovery after kill-2");
    });

    Path run = runFolder("run", GateFixtures.run(1.0, 1.0, "Fixture-20261130-120000"));
    Cli same = gate("--baseline", baseline.toString(), "--run", run.toString());
    assertThat(same.exit()).as(same.out() + same.err()).isZero();
    assertThat(same.out()).contains("GATE PASSED").doesNotContain("regressed");
    assertThat(line(same, "write p50 [steady]")).contains("4 vs 1").endsWith("ok");
  }

  @Test
  void aThirtyPercentSlowerRunIsRegressedWithItsIntervalAndATwiceAsSlowThroughputToo() throws Exception {
    Path baseline = baselineOf("Fixture.json", 2.0, 1.0, 1.03, 0.97, 1.01, 0.99);
    Path run = runFolder("run", GateFixtures.run(1.0, 1.3, "Fixture-20261130-120000"));

    Cli cmp = gate("--baseline", baseline.toString(), "--run", run.toString());
    assertThat(cmp.exit()).as(cmp.out() + cmp.err()).isEqualTo(GateCommand.REGRESSED);
    assertThat(cmp.out()).contains("GATE FAILED").contains("interval 95%");
    assertThat(line(cmp, "write throughput [steady]")).contains("-50.0%").endsWith("regressed");
    String p50 = line(cmp, "write p50 [steady]");
    assertThat(p50).matches(".*\\+[23]\\d\\.\\d% +\\[\\+\\d+\\.\\d%, \\+\\d+\\.\\d%\\].*regressed");
    // the same run with a looser minimum effect for throughput: that row becomes ok
    Cli loose = gate("--baseline", baseline.toString(), "--run", run.toString(), "--min-effect", "throughput=0.6");
    assertThat(line(loose, "write throughput [steady]")).endsWith("ok");
  }

  @Test
  void severalCandidateRunsAreOneSample() throws Exception {
    Path baseline = baselineOf("Fixture.json", 1.0, 1.0, 1.03, 0.97);
    Path r1 = runFolder("r1", GateFixtures.run(1.0, 1.30, "Fixture-20261130-120001"));
    Path r2 = runFolder("r2", GateFixtures.run(1.0, 1.35, "Fixture-20261130-120002"));
    Path r3 = runFolder("r3", GateFixtures.run(1.0, 1.28, "Fixture-20261130-120003"));
    Cli cmp = gate("--baseline", baseline.toString(), "--run", r1.toString(), "--run", r2.toString(), "--run", r3.toString(),
        "--kinds", "p50");
    assertThat(cmp.exit()).as(cmp.out()).isEqualTo(GateCommand.REGRESSED);
    assertThat(line(cmp, "write p50 [steady]")).contains("3 vs 3").endsWith("regressed");
    assertThat(cmp.out()).doesNotContain("write p99");
  }

  @Test
  void fewerThanThreeBaselineRunsAreUnknownNotPassed() throws Exception {
    Path baseline = baselineOf("Fixture.json", 1.0, 1.0, 1.0);
    Path run = runFolder("run", GateFixtures.run(1.0, 1.0, "Fixture-20261130-120000"));
    Cli cmp = gate("--baseline", baseline.toString(), "--run", run.toString());
    assertThat(cmp.exit()).isEqualTo(GateCommand.UNDECIDED);
    assertThat(line(cmp, "write p50 [steady]")).contains("unknown: baseline has 2 runs; needs >= 3");
    assertThat(cmp.out()).contains("GATE UNKNOWN");
    List<Verdict> vs = Gate.verdicts(baseline.toString(), GateFixtures.run(1.0));
    assertThat(vs).isNotEmpty().allSatisfy(v -> assertThat(v.status()).isEqualTo(Verdict.Status.UNKNOWN));
  }

  @Test
  void aMissingFaultPhaseIsARegression() throws Exception {
    Path baseline = baselineOf("Fixture.json", 1.0, 1.0, 1.01, 0.99);
    GateResult g = Gate.compare(BaselineSet.read(baseline).set(), List.of(GateFixtures.withoutFault()), Gate.Settings.defaults(), "b");
    assertThat(g.passed()).isFalse();
    assertThat(g.regressions()).extracting(GateResult.Row::metric).contains("write throughput [fault:kill-2]", "recovery after kill-2");
    assertThat(g.verdicts()).filteredOn(v -> v.name().equals("gate write throughput [fault:kill-2]"))
        .singleElement().satisfies(v -> {
          assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
          assertThat(v.measured()).isEqualTo("missing");
        });
  }

  @Test
  void runsWhoseKnobsOrSimulationDifferAreRefusedAsUnknownNamingTheField() throws Exception {
    Path baseline = baselineOf("Fixture.json", 1.0, 1.0, 1.01, 0.99);
    Path eight = runFolder("eight", GateFixtures.withConfig(Map.of("writers", "8"), "Fixture-20261130-120000"));
    Cli cmp = gate("--baseline", baseline.toString(), "--run", eight.toString());
    assertThat(cmp.exit()).isEqualTo(GateCommand.UNDECIDED);
    assertThat(cmp.out()).contains("GATE UNKNOWN").contains("knob writers: (not recorded) in the baseline, '8' in run Fixture-20261130-120000");
    assertThat(Gate.verdicts(baseline.toString(), GateFixtures.withConfig(Map.of("writers", "8"), "X"))).singleElement()
        .satisfies(v -> {
          assertThat(v.status()).isEqualTo(Verdict.Status.UNKNOWN);
          assertThat(v.detail()).contains("knob writers");
        });
    // --update refuses to mix it into the set
    Cli update = gate("--baseline", baseline.toString(), "--run", eight.toString(), "--update");
    assertThat(update.exit()).isEqualTo(GateCommand.UNUSABLE);
    assertThat(update.err()).contains("not comparable").contains("knob writers");
    // the build under test (bug, cluster) is not part of a run's identity: that is what is compared
    Path buggy = runFolder("buggy", GateFixtures.withConfig(Map.of("bug", "slow-write=1.3"), "Fixture-20261130-120001"));
    assertThat(gate("--baseline", baseline.toString(), "--run", buggy.toString()).out()).doesNotContain("not comparable");

    BaselineSet set = BaselineSet.read(baseline).set();
    BaselineSet other = new BaselineSet(BaselineSet.FORMAT, "Other", 10, null, set.runs());
    GateResult g = Gate.compare(other, List.of(GateFixtures.run(1.0)), Gate.Settings.defaults(), "other.json");
    assertThat(g.outcome()).isEqualTo(GateResult.Outcome.UNKNOWN);
    assertThat(g.notComparable()).contains("'Other'").contains("'Fixture'");
  }

  @Test
  void updateAppendsAndKeepsTheLastK() throws Exception {
    Path baseline = dir.resolve("b.json");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = "Fixture-2026113" + i + "-120000";
      ids.add(id);
      Path run = runFolder("r" + i, GateFixtures.run(1.0, 1.0, id));
      Cli u = gate("--baseline", baseline.toString(), "--run", run.toString(), "--update", "--keep", "3");
      assertThat(u.exit()).as(u.err()).isZero();
      assertThat(u.out()).contains("appended " + id);
    }
    BaselineSet b = BaselineSet.read(baseline).set();
    assertThat(b.keep()).isEqualTo(3);
    assertThat(b.runs()).extracting(BaselineSet.Entry::runId).containsExactlyElementsOf(ids.subList(2, 5));
    assertThat(b.runs()).allSatisfy(e -> assertThat(e.createdAt()).isNotBlank());
    if (Files.exists(Path.of("/proc/loadavg"))) {
      assertThat(b.runs()).allSatisfy(e -> assertThat(e.loadAverage().cpus()).isPositive());
    }
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
    Path good = baselineOf("good.json", 1.0, 1.0, 1.01, 0.99);
    assertThat(Gate.verdicts(good.toString(), GateFixtures.run(1.0))).isNotEmpty().allMatch(Verdict::passed);
    assertThat(Gate.verdicts(good.toString(), GateFixtures.run(1.0, 1.5, "slow"))).anySatisfy(v -> {
      assertThat(v.name()).isEqualTo("gate write p50 [steady]");
      assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
      assertThat(v.measured()).startsWith("+").contains("[");
    });
  }

  @Test
  void badInputIsNamed() throws Exception {
    Path run = runFolder("run", GateFixtures.run(1.0));
    Cli noRun = gate("--baseline", dir.resolve("x.json").toString(), "--run", dir.resolve("nope").toString());
    assertThat(noRun.exit()).isEqualTo(GateCommand.UNUSABLE);
    assertThat(noRun.err()).contains("results.json does not exist");
    Cli noBaseline = gate("--baseline", dir.resolve("x.json").toString(), "--run", run.toString());
    assertThat(noBaseline.exit()).isEqualTo(GateCommand.UNUSABLE);
    assertThat(noBaseline.err()).contains("x.json does not exist");
    Cli noArgs = gate();
    assertThat(noArgs.exit()).isEqualTo(GateCommand.UNUSABLE);
    assertThat(noArgs.err()).contains("--baseline and at least one --run");
    Path neg = dir.resolve("neg.json");
    Files.writeString(neg, "{\"simulation\":\"Fixture\",\"tolerances\":{\"p99\":{\"relative\":-1,\"absolute\":0}},"
        + "\"metrics\":[{\"name\":\"x\",\"kind\":\"p99\",\"phase\":\"steady\",\"value\":1}]}");
    Cli negative = gate("--baseline", neg.toString(), "--run", run.toString());
    assertThat(negative.exit()).isEqualTo(GateCommand.UNUSABLE);
    assertThat(negative.err()).contains("tolerances").contains("must be >= 0");
    Path v2 = dir.resolve("v2.json");
    Files.writeString(v2, "{\"format\":2,\"simulation\":\"Fixture\",\"keep\":10,\"runs\":[{\"runId\":\"a\",\"createdAt\":\"x\","
        + "\"metrics\":[{\"name\":\"x\",\"kind\":\"p99\",\"phase\":\"steady\",\"valu\":1}]}]}");
    Cli typo = gate("--baseline", v2.toString(), "--run", run.toString());
    assertThat(typo.exit()).isEqualTo(GateCommand.UNUSABLE);
    assertThat(typo.err()).contains("v2.json").contains("runs[0].metrics[0]").contains("valu");
    Cli effect = gate("--baseline", neg.toString(), "--run", run.toString(), "--min-effect", "p99=2");
    assertThat(effect.err()).contains("--min-effect 'p99=2'");
  }
}
