package io.loadchaos.gate;

import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gate --baseline baselines/<sim>.json --run <dir> [--update]}. Exit codes: 0 within
 * tolerance (or baseline written), 1 regression, 2 unusable input.
 */
@Command(name = "gate", mixinStandardHelpOptions = true,
    description = "Compare a run with a baseline (throughput, latency percentiles and availability per phase, "
        + "recovery time, capacity knee); exit 1 on regression. --update writes the baseline from the run.")
public final class GateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--baseline", required = true, description = "baseline file, e.g. baselines/BaselineWrite.json")
  Path baselineFile;

  @Option(names = "--run", required = true, description = "run folder holding results.json")
  Path runDir;

  @Option(names = "--update", description = "write the baseline from this run (keeps the file's tolerances) instead of comparing")
  boolean update;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    RunResult run;
    try {
      run = ResultsJson.read(runDir);
    } catch (Exception e) {
      err.println("gate: cannot read the run: " + e.getMessage());
      return 2;
    }
    try {
      if (update) {
        Baseline previous = Files.exists(baselineFile) ? Baseline.read(baselineFile) : null;
        Baseline b = Baseline.from(run, previous);
        b.write(baselineFile);
        out.println("gate: wrote " + baselineFile + " from run " + run.runId() + " (" + b.metrics().size() + " metrics)");
        return 0;
      }
      GateResult g = Gate.compare(Baseline.read(baselineFile), run);
      out.println(g.table());
      return g.passed() ? 0 : 1;
    } catch (Exception e) {
      err.println("gate: " + e.getMessage());
      return 2;
    }
  }
}
