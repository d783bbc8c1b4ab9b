package io.loadchaos.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code report --run <dir>}: (re)writes report.html of a run folder from its results.json. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "(Re)write report.html of a run folder from its results.json (no cluster needed).")
public final class ReportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--run", required = true, description = "run folder, e.g. target/loadchaos/<run-id>")
  Path runDir;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(runDir.resolve(ResultsJson.FILE))) {
      spec.commandLine().getErr().println("report: " + runDir + " has no " + ResultsJson.FILE + " (not a finished run folder?)");
      return 2;
    }
    try {
      RunResult r = ResultsJson.read(runDir);
      Path file = HtmlReport.write(runDir, r);
      spec.commandLine().getOut().println("report: " + file.toAbsolutePath());
      return 0;
    } catch (Exception e) {
      spec.commandLine().getErr().println("report: cannot read " + runDir.resolve(ResultsJson.FILE) + ": " + e.getMessage());
      return 2;
    }
  }
}
