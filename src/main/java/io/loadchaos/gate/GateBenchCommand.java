package io.loadchaos.gate;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gate bench}: how often the paired gate flags a clean build (false alarms) and a build with
 * {@code --bug slow-write=F} (detections). A trial is {@code --pairs} rounds; a round runs the clean
 * control A once and one run per condition (clean again, then each effect), A first in odd rounds and
 * last in even ones ({@link #roundOrder}), and each condition is judged against A pair by pair,
 * exactly as {@code gate ab} would.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark the gate: clean vs clean and clean vs slow-write=F trials with short runs; prints detection "
        + "and false-alarm rates.")
public final class GateBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--trials", defaultValue = "10", description = "trials per condition (default ${DEFAULT-VALUE})")
  int trials;

  @Option(names = "--pairs", defaultValue = "3", description = "pairs per trial (default ${DEFAULT-VALUE}; >= 3 to decide)")
  int pairs;

  @Option(names = "--effects", split = ",", defaultValue = "1.1,1.3", description = "slow-write factors to detect (default ${DEFAULT-VALUE})")
  List<Double> effects;

  @Option(names = "--defect", defaultValue = "slow-write", description = "the --bug whose factor is varied (default ${DEFAULT-VALUE})")
  String defect;

  @Option(names = "--simulation", defaultValue = "BaselineWrite", description = "simulation (default ${DEFAULT-VALUE})")
  String simulation;

  @Option(names = "--props", defaultValue = AbCommand.GATE_WORKLOAD,
      description = "-D properties of every run (default \"${DEFAULT-VALUE}\", the gate's calibrated workload)")
  String props;

  @Option(names = "--out", description = "folder for the runs and bench.json (default target/loadchaos-bench/<time>)")
  Path out;

  @Mixin GateOptions options;

  @Mixin MavenRunOptions maven;

  record Condition(String label, List<String> props) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Gate.Settings settings;
    MavenRuns runner;
    try {
      if (trials < 1 || pairs < 1) throw new IllegalArgumentException("--trials and --pairs must be >= 1");
      settings = options.settings();
      runner = maven.runs(simulation, props);
    } catch (IllegalArgumentException e) {
      err.println("gate bench: " + e.getMessage());
      return GateCommand.UNUSABLE;
    }
    List<Condition> conditions = new ArrayList<>();
    conditions.add(new Condition("clean vs clean", List.of()));
    for (double f : effects) {
      String bug = defect + "=" + fmt(f);
      conditions.add(new Condition(bug, List.of("-Dloadchaos.bug=" + bug)));
    }
    Path dir = out != null ? out : maven.defaultOut("loadchaos-bench", LocalDateTime.now().format(AbCommand.STAMP));
    int totalRuns = trials * pairs * (conditions.size() + 1);
    o.println("gate bench: " + runner.simulationClass() + " " + props + ", " + trials + " trials x " + pairs + " pairs, conditions "
        + conditions.stream().map(Condition::label).toList() + ", " + totalRuns + " runs, in " + dir.toAbsolutePath());
    o.flush();

    Map<String, List<GateResult.Outcome>> outcomes = new LinkedHashMap<>();
    conditions.forEach(c -> outcomes.put(c.label(), new ArrayList<>()));
    // per condition, per metric kind: in how many trials a metric of that kind was regressed
    Map<String, Map<String, Integer>> byKind = new LinkedHashMap<>();
    conditions.forEach(c -> byKind.put(c.label(), new TreeMap<>()));
    List<Map<String, Object>> log = new ArrayList<>();
    long began = System.nanoTime();
    int runsDone = 0;
    for (int t = 1; t <= trials; t++) {
      List<RunResult> as = new ArrayList<>();
      Map<String, List<RunResult>> xs = new LinkedHashMap<>();
      conditions.forEach(c -> xs.put(c.label(), new ArrayList<>()));
      List<String> problems = new ArrayList<>();
      for (int r = 1; r <= pairs; r++) {
        Path round = dir.resolve("trial" + t).resolve("round" + r);
        String prefix = "trial " + t + "/" + trials + " round " + r + "/" + pairs + " ";
        List<Condition> order = roundOrder(conditions, r);
        boolean aFirst = AbCommand.aFirst(r);
        RunResult a = null;
        if (aFirst) {
          a = AbCommand.one(runner, round.resolve("A-clean"), List.of(), prefix + "A clean", o, problems);
          runsDone++;
        }
        Map<String, RunResult> byCondition = new LinkedHashMap<>();
        for (Condition c : order) {
          byCondition.put(c.label(), AbCommand.one(runner, round.resolve("B-" + c.label().replaceAll("[^A-Za-z0-9.=-]+", "_")),
              c.props(), prefix + "B " + c.label(), o, problems));
          runsDone++;
        }
        if (!aFirst) {
          a = AbCommand.one(runner, round.resolve("A-clean"), List.of(), prefix + "A clean", o, problems);
          runsDone++;
        }
        // a condition's pair needs both runs; A is shared by the round's conditions
        for (Condition c : conditions) {
          RunResult x = byCondition.get(c.label());
          if (a != null) xs.get(c.label()).add(x);
        }
        if (a != null) as.add(a);
        o.println(progress(began, runsDone, totalRuns));
        o.flush();
      }
      StringBuilder line = new StringBuilder("trial " + t + "/" + trials + ":");
      for (Condition c : conditions) {
        List<RunResult> aa = new ArrayList<>();
        List<RunResult> bb = new ArrayList<>();
        for (int i = 0; i < as.size(); i++) {
          if (xs.get(c.label()).get(i) != null) {
            aa.add(as.get(i));
            bb.add(xs.get(c.label()).get(i));
          }
        }
        GateResult g = aa.isEmpty() ? null : Gate.paired(aa, bb, settings);
        GateResult.Outcome oc = g == null ? GateResult.Outcome.UNKNOWN : g.outcome();
        outcomes.get(c.label()).add(oc);
        line.append(" ").append(c.label()).append(" ").append(oc.name().toLowerCase(Locale.ROOT));
        if (g != null) {
          List<String> flagged = g.rows().stream().filter(row -> row.status() == GateResult.Status.REGRESSED
              || row.status() == GateResult.Status.MISSING).map(GateResult.Row::summary).toList();
          if (!flagged.isEmpty()) line.append(" (").append(String.join("; ", flagged)).append(")");
          g.rows().stream().filter(row -> row.status() != GateResult.Status.NEW).map(row -> row.kind().label()).distinct()
              .forEach(k -> byKind.get(c.label()).putIfAbsent(k, 0));
          g.rows().stream().filter(row -> row.status() == GateResult.Status.REGRESSED).map(row -> row.kind().label()).distinct()
              .forEach(k -> byKind.get(c.label()).merge(k, 1, Integer::sum));
          line.append(";");
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("trial", t);
        entry.put("condition", c.label());
        entry.put("pairs", aa.size());
        entry.put("outcome", oc);
        entry.put("rows", g == null ? List.of() : g.rows());
        log.add(entry);
      }
      o.println(line);
      problems.forEach(p -> o.println("  problem: " + p));
      o.flush();
    }
    String table = summary(outcomes) + "each kind judged alone (trials in which a metric of that kind regressed):" + System.lineSeparator()
        + String.join(System.lineSeparator(), byKind.entrySet().stream().map(e -> "  " + e.getKey() + ": " + e.getValue().entrySet()
            .stream().map(k -> k.getKey() + " " + k.getValue() + "/" + trials).collect(Collectors.joining(", "))).toList());
    o.println(table);
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("simulation", runner.simulationClass());
    all.put("props", props);
    all.put("pairs", pairs);
    all.put("trials", log);
    all.put("summary", table);
    ResultsJson.writeAtomically(dir.resolve("bench.json"),
        ResultsJson.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(all));
    o.println("gate bench: runs and bench.json in " + dir.toAbsolutePath());
    return 0;
  }

  /**
   * The conditions' order in round {@code r} (from 1): rounds come in twos that share a rotation, the
   * first run after A in its order, the second before A in the reverse order, so each condition sits
   * as far after A in one round as before A in the other and a steady drift of the machine cancels.
   */
  static List<Condition> roundOrder(List<Condition> conditions, int r) {
    int n = conditions.size();
    int shift = ((r - 1) / 2) % n;
    List<Condition> order = new ArrayList<>();
    for (int k = 0; k < n; k++) order.add(conditions.get((k + shift) % n));
    if (!AbCommand.aFirst(r)) Collections.reverse(order);
    return order;
  }

  /** The rates: flagged = the gate's outcome was REGRESSED. */
  static String summary(Map<String, List<GateResult.Outcome>> outcomes) {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"condition", "trials", "regressed", "passed", "undecided", "rate"});
    outcomes.forEach((label, list) -> {
      long reg = list.stream().filter(x -> x == GateResult.Outcome.REGRESSED).count();
      long pass = list.stream().filter(x -> x == GateResult.Outcome.PASSED).count();
      long unk = list.size() - reg - pass;
      String rate = (label.startsWith("clean") ? "false alarms " : "detected ") + reg + "/" + list.size();
      lines.add(new String[] {label, Integer.toString(list.size()), Long.toString(reg), Long.toString(pass), Long.toString(unk), rate});
    });
    return GateResult.align(lines);
  }

  private static String progress(long began, int done, int total) {
    long s = (System.nanoTime() - began) / 1_000_000_000L;
    long eta = done == 0 ? 0 : s * (total - done) / done;
    return "  " + done + "/" + total + " runs, " + s / 60 + " min elapsed, about " + eta / 60 + " min left";
  }

  private static String fmt(double f) {
    return f == Math.rint(f) ? Long.toString((long) f) : Double.toString(f);
  }
}
