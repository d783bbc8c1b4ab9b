package io.loadchaos.harness;

import io.loadchaos.check.Slo;
import io.loadchaos.check.Verdict;
import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code check --run <dir>}: re-runs the checkers of a finished run without re-running load. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Re-run read-back, replica and SLO checks of a saved run (restarts its local cluster from the saved data).")
public final class CheckCommand implements Callable<Integer> {

  @Option(names = "--run", required = true, description = "run folder, e.g. target/loadchaos/<run-id>")
  Path runDir;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(runDir.resolve("run.json")) || !Files.isRegularFile(runDir.resolve("history.csv"))) {
      System.err.println("check: " + runDir + " is not a finished run folder (needs run.json and history.csv)");
      return 2;
    }
    var manifest = ResultsJson.mapper().readValue(runDir.resolve("run.json").toFile(), RunManifest.class);
    List<Slo> slos = new ArrayList<>();
    for (RunManifest.SloSpec s : manifest.slos()) {
      slos.add(new Slo(s.phases(), Slo.Metric.valueOf(s.metric()), s.threshold()));
    }
    List<Verdict> now;
    try (Run run = Run.reopen(runDir, slos)) {
      now = run.finish();
    }
    if (Files.isRegularFile(runDir.resolve(ResultsJson.FILE))) {
      RunResult before = ResultsJson.read(runDir);
      Map<String, Verdict.Status> then = new LinkedHashMap<>();
      before.verdicts().forEach(v -> then.put(v.name(), v.status()));
      List<String> diffs = new ArrayList<>();
      for (Verdict v : now) {
        Verdict.Status old = then.get(v.name());
        if (old != null && old != v.status()) diffs.add(v.name() + ": run " + old + ", now " + v.status());
      }
      System.out.println(diffs.isEmpty() ? "[loadchaos] check: same verdicts as the run" : "[loadchaos] check: verdicts differ from the run:\n  " + String.join("\n  ", diffs));
    }
    return now.stream().allMatch(Verdict::passed) ? 0 : 1;
  }
}
