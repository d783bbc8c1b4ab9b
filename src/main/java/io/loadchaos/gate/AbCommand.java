package io.loadchaos.gate;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gate ab}: the same simulation against build A and build B, A B A B ..., each run a child
 * {@code mvn gatling:test}; judged on the ratio B/A pair by pair. Exit codes as {@code gate}.
 */
@Command(name = "ab", mixinStandardHelpOptions = true,
    description = "Paired A/B: run a simulation alternately against cluster A and cluster B (--pairs N), judge the "
        + "median of the per-pair ratios B/A per metric; exit 1 when B regressed, 3 when undecided.")
public final class AbCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--simulation", defaultValue = "BaselineWrite",
      description = "simulation class, or its short name (BaselineWrite = io.loadchaos.simulations.BaselineWriteSimulation)")
  String simulation;

  @Option(names = "--pairs", defaultValue = "5", description = "number of A B pairs (default ${DEFAULT-VALUE}; >= 3 to decide)")
  int pairs;

  /**
   * The workload the gate is calibrated on (docs/reports.md): writes only, since today's query path
   * costs CPU that grows with the data and saturates a 2-core machine, hiding the write path's cost;
   * 10 s of warm-up (JIT, heap growth) and 30 s of steady state, where cpu/point is judged.
   */
  static final String GATE_WORKLOAD = "-Dloadchaos.duration=40s -Dloadchaos.warmup=10s -Dloadchaos.queryUsers=0 -Dloadchaos.flight=false";

  @Option(names = "--props", defaultValue = GATE_WORKLOAD,
      description = "-D properties for every run; given, they replace the default \"${DEFAULT-VALUE}\" (pass \"\" for the simulation's own)")
  String props;

  @Option(names = "--a-props", defaultValue = "", description = "extra -D properties of cluster A (the local reference cluster by default)")
  String aProps;

  @Option(names = "--b-props", defaultValue = "", description = "extra -D properties of cluster B, e.g. \"-Dloadchaos.bug=slow-write=1.3\"")
  String bProps;

  @Option(names = "--a-cluster", description = "cluster file of A (docs/targets.md), passed as -Dloadchaos.cluster")
  Path aCluster;

  @Option(names = "--b-cluster", description = "cluster file of B")
  Path bCluster;

  @Option(names = "--out", description = "folder for the runs, their logs and ab.json (default target/loadchaos-ab/<time>)")
  Path out;

  @Option(names = "--expect", description = "for CI proving the gate: exit 0 when the outcome is this (passed, regressed, unknown), else 1")
  String expect;

  @Mixin GateOptions options;

  @Mixin MavenRunOptions maven;

  static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Gate.Settings settings;
    MavenRuns runner;
    List<String> a;
    List<String> b;
    try {
      if (pairs < 1) throw new IllegalArgumentException("--pairs must be >= 1, got " + pairs);
      settings = options.settings();
      runner = maven.runs(simulation, props);
      a = MavenRuns.side(aProps, aCluster);
      b = MavenRuns.side(bProps, bCluster);
      if (expect != null && !List.of("passed", "regressed", "unknown").contains(expect)) {
        throw new IllegalArgumentException("--expect '" + expect + "': expected passed, regressed or unknown");
      }
    } catch (IllegalArgumentException e) {
      err.println("gate ab: " + e.getMessage());
      return GateCommand.UNUSABLE;
    }
    Path dir = out != null ? out : maven.defaultOut("loadchaos-ab", LocalDateTime.now().format(STAMP));
    o.println("gate ab: " + runner.simulationClass() + ", " + pairs + " pairs (A B, B A, ...), runs in " + dir.toAbsolutePath());
    o.println("  A: " + (a.isEmpty() ? "(no extra properties)" : String.join(" ", a)));
    o.println("  B: " + (b.isEmpty() ? "(no extra properties)" : String.join(" ", b)));
    o.flush();
    Pairs done = runPairs(runner, dir, a, b, pairs, "", o);
    if (done.a().isEmpty()) {
      err.println("gate ab: no complete pair");
      return GateCommand.UNUSABLE;
    }
    GateResult g = Gate.paired(done.a(), done.b(), settings);
    o.println(pairTable(done.a(), done.b(), g));
    o.println(g.table());
    writeSummary(dir.resolve("ab.json"), done, g, a, b);
    o.println("gate ab: runs, logs and ab.json in " + dir.toAbsolutePath());
    if (expect != null) {
      boolean met = g.outcome().name().toLowerCase(Locale.ROOT).equals(expect);
      o.println("gate ab: expected " + expect + ", got " + g.outcome().name().toLowerCase(Locale.ROOT)
          + (met ? "" : ": FAILED"));
      return met ? 0 : 1;
    }
    return GateCommand.exitCode(g);
  }

  /** The complete pairs (both runs wrote results), in order. */
  record Pairs(List<RunResult> a, List<RunResult> b, List<String> problems) {}

  /**
   * Whether pair {@code i} (from 1) runs A first. Pairs alternate A B, B A, A B, ...: a machine whose
   * load drifts one way over the session would otherwise always favour the side that runs first
   * (measured: clean B/A pairs at +1% to +12% while the load average rose from 1.9 to 5.7).
   */
  static boolean aFirst(int i) {
    return i % 2 == 1;
  }

  /** Runs {@code n} pairs of A and B, in the order of {@link #aFirst}, printing a line per run. */
  static Pairs runPairs(MavenRuns runner, Path dir, List<String> a, List<String> b, int n, String prefix, PrintWriter o)
      throws Exception {
    List<RunResult> as = new ArrayList<>();
    List<RunResult> bs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String label = prefix + "pair " + i + "/" + n + " ";
      RunResult ra;
      RunResult rb;
      if (aFirst(i)) {
        ra = one(runner, dir.resolve("pair" + i + "-A"), a, label + "A", o, problems);
        rb = one(runner, dir.resolve("pair" + i + "-B"), b, label + "B", o, problems);
      } else {
        rb = one(runner, dir.resolve("pair" + i + "-B"), b, label + "B", o, problems);
        ra = one(runner, dir.resolve("pair" + i + "-A"), a, label + "A", o, problems);
      }
      if (ra != null && rb != null) {
        as.add(ra);
        bs.add(rb);
      } else {
        problems.add("pair " + i + " left out: a run wrote no results");
      }
    }
    return new Pairs(as, bs, problems);
  }

  /** One child run with a progress line; null when it wrote no results. */
  static RunResult one(MavenRuns runner, Path runDir, List<String> side, String label, PrintWriter o, List<String> problems)
      throws Exception {
    o.print(label + ": running ... ");
    o.flush();
    MavenRuns.Outcome r = runner.run(runDir, side);
    String took = r.took().toSeconds() + " s";
    if (r.result() == null) {
      o.println("FAILED after " + took + ": " + r.problem());
      problems.add(label + ": " + r.problem());
    } else {
      o.println(r.result().runId() + " in " + took + ", exit " + r.exit()
          + (r.exit() == 0 ? "" : " (some of its own verdicts did not pass; its metrics are used, see " + r.log() + ")")
          + (r.problem().isEmpty() ? "" : " " + r.problem()));
    }
    o.flush();
    return r.result();
  }

  /** Metrics down, pairs across: each cell is the pair's B/A change. */
  static String pairTable(List<RunResult> a, List<RunResult> b, GateResult g) {
    List<String[]> lines = new ArrayList<>();
    String[] head = new String[a.size() + 1];
    head[0] = "B/A per pair";
    for (int i = 0; i < a.size(); i++) head[i + 1] = "pair " + (i + 1);
    lines.add(head);
    List<Map<String, Double>> am = a.stream().map(AbCommand::byName).toList();
    List<Map<String, Double>> bm = b.stream().map(AbCommand::byName).toList();
    for (GateResult.Row row : g.rows()) {
      String[] l = new String[a.size() + 1];
      l[0] = row.metric();
      for (int i = 0; i < a.size(); i++) {
        Double x = am.get(i).get(row.metric());
        Double y = bm.get(i).get(row.metric());
        l[i + 1] = x == null || y == null || !(x > 0) ? "-" : Decision.pct(Bootstrap.ratio(y, x) - 1);
      }
      lines.add(l);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < a.size(); i++) sb.append("pair ").append(i + 1).append(": A ").append(a.get(i).runId()).append("  B ")
        .append(b.get(i).runId()).append(System.lineSeparator());
    return sb.append(GateResult.align(lines)).toString();
  }

  private static Map<String, Double> byName(RunResult r) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Baseline.Metric x : Baseline.metricsOf(r)) m.put(x.name(), x.value());
    return m;
  }

  private static void writeSummary(Path file, Pairs p, GateResult g, List<String> a, List<String> b) throws Exception {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("a", a);
    s.put("b", b);
    List<Map<String, String>> pairs = new ArrayList<>();
    for (int i = 0; i < p.a().size(); i++) pairs.add(Map.of("a", p.a().get(i).runId(), "b", p.b().get(i).runId()));
    s.put("pairs", pairs);
    s.put("problems", p.problems());
    s.put("outcome", g.outcome());
    s.put("rows", g.rows());
    ResultsJson.writeAtomically(file, ResultsJson.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(s));
  }

  /** Accepts 90s, 20m, 1h. */
}
