package io.loadchaos.gate;

import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gate --baseline baselines/<sim>.json --run <dir> [--run <dir>...] [--update [--keep K]]}.
 * Exit codes: 0 passed (or baseline written), 1 regression, 2 unusable input, 3 undecided (UNKNOWN).
 */
@Command(name = "gate", mixinStandardHelpOptions = true,
    description = "Compare runs with a baseline set (bootstrap interval of the ratio of medians per metric, minimum effect); "
        + "exit 1 on regression, 3 when undecided. --update appends the runs to the baseline.",
    subcommands = {AbCommand.class, GateBenchCommand.class})
public final class GateCommand implements Callable<Integer> {

  public static final int PASSED = 0;
  public static final int REGRESSED = 1;
  public static final int UNUSABLE = 2;
  public static final int UNDECIDED = 3;

  @Spec CommandSpec spec;

  @Option(names = "--baseline", description = "baseline file, e.g. baselines/BaselineWrite.json")
  Path baselineFile;

  @Option(names = "--run", description = "run folder holding results.json; repeat for several candidate runs")
  List<Path> runDirs = new ArrayList<>();

  @Option(names = "--update", description = "append the runs to the baseline (keeping the last --keep) instead of comparing")
  boolean update;

  @Option(names = "--keep", description = "with --update: how many runs the baseline keeps (default: the file's, else 10)")
  Integer keep;

  @Mixin GateOptions options;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (baselineFile == null || runDirs.isEmpty()) {
      err.println("gate: --baseline and at least one --run are required (or use 'gate ab' / 'gate bench')");
      return UNUSABLE;
    }
    List<RunResult> runs = new ArrayList<>();
    for (Path dir : runDirs) {
      try {
        runs.add(ResultsJson.read(dir));
      } catch (Exception e) {
        err.println("gate: cannot read the run: " + e.getMessage());
        return UNUSABLE;
      }
    }
    try {
      if (update) return update(runs, out);
      Gate.Settings settings = options.settings();
      BaselineSet.Loaded loaded = BaselineSet.read(baselineFile);
      if (loaded.migration() != null) out.println("note: " + loaded.migration());
      GateResult g = Gate.compare(loaded.set(), runs, settings, baselineFile.toString());
      out.println(g.table());
      return exitCode(g);
    } catch (Exception e) {
      err.println("gate: " + e.getMessage());
      return UNUSABLE;
    }
  }

  private int update(List<RunResult> runs, PrintWriter out) throws Exception {
    // the machine's load as the run itself recorded it when its load ended, else as it is now
    BaselineSet.LoadAverage now = BaselineSet.LoadAverage.now();
    List<BaselineSet.Entry> added = runs.stream()
        .map(r -> BaselineSet.Entry.of(r, BaselineSet.LoadAverage.ofRun(r).orElse(now))).toList();
    BaselineSet.LoadAverage load = added.get(added.size() - 1).loadAverage();
    BaselineSet next;
    if (Files.exists(baselineFile)) {
      BaselineSet.Loaded loaded = BaselineSet.read(baselineFile);
      if (loaded.migration() != null) out.println("note: " + loaded.migration() + "; rewriting it in format " + BaselineSet.FORMAT);
      next = loaded.set().append(added, keep != null ? keep : loaded.set().keep());
    } else {
      next = BaselineSet.of(runs.get(0).simulation(), added, keep != null ? keep : BaselineSet.DEFAULT_KEEP);
    }
    next.write(baselineFile);
    out.println("gate: appended " + String.join(", ", runs.stream().map(RunResult::runId).toList()) + " to " + baselineFile
        + ": it holds " + next.runs().size() + " of at most " + next.keep() + " runs"
        + (load == null ? "" : " (load average " + load.oneMinute() + " on " + load.cpus() + " CPUs)")
        + (next.runs().size() < Gate.MIN_RUNS ? "; the gate needs >= " + Gate.MIN_RUNS + " runs to decide" : ""));
    return PASSED;
  }

  static int exitCode(GateResult g) {
    return switch (g.outcome()) {
      case PASSED -> PASSED;
      case REGRESSED -> REGRESSED;
      case UNKNOWN -> UNDECIDED;
    };
  }
}
