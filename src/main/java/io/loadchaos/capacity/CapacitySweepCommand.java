package io.loadchaos.capacity;

import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.SweepReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loadchaos capacity-sweep --plan plan.yaml}: one CapacitySimulation run per value of the
 * plan's dimension, one after the other, each a run of its own (its own cluster: nodes, RF and
 * faults differ per value), then one report of knee vs the dimension.
 */
@Command(name = "capacity-sweep", mixinStandardHelpOptions = true,
    description = "Runs the capacity knee search once per value of one dimension (a YAML plan) and writes sweep.html and sweep.json.")
public final class CapacitySweepCommand implements Callable<Integer> {
  static final String SIMULATION = "io.loadchaos.simulations.CapacitySimulation";

  @Spec CommandSpec spec;

  @Option(names = "--plan", required = true, description = "the capacity plan (YAML, docs/reports.md)")
  Path plan;

  @Option(names = "--dir", defaultValue = "target/loadchaos/sweeps", description = "parent of the sweep's folder")
  Path dir;

  @Option(names = "--mvn", defaultValue = "mvn", description = "the Maven executable that runs each simulation")
  String mvn;

  @Option(names = "--dry-run", description = "print the runs' commands, run nothing")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    CapacityPlan p;
    try {
      p = CapacityPlan.read(plan);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return 2;
    }
    Path sweep = dir.resolve(p.name() + "-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC)));
    List<SweepReport.Row> rows = new ArrayList<>();
    for (int i = 0; i < p.cases().size(); i++) {
      CapacityPlan.Case c = p.cases().get(i);
      Path runDir = sweep.resolve(i + "-" + c.label().replaceAll("[^A-Za-z0-9._-]+", "_")).toAbsolutePath();
      List<String> cmd = command(mvn, runDir, c.knobs());
      out.println("[capacity-sweep] " + (i + 1) + "/" + p.cases().size() + " " + c.label() + ": " + String.join(" ", cmd));
      out.flush();
      if (dryRun) continue;
      // a non-zero exit is a failed or UNKNOWN verdict (e.g. knee not reached): the results still count
      int exit = new ProcessBuilder(cmd).inheritIO().start().waitFor();
      SweepReport.Row row = SweepReport.row(c.label(), c.value(), runFolder(runDir));
      rows.add(row);
      out.println("[capacity-sweep] " + c.label() + " (exit " + exit + "): "
          + (row.error() != null ? "no result: " + row.error() : row.summary()));
      out.flush();
    }
    if (dryRun) return 0;
    Path html = SweepReport.write(sweep, p.name(), p.dimension(), rows);
    SweepReport.consoleLines(rows).forEach(l -> out.println("[capacity-sweep] " + l));
    out.println("[capacity-sweep] report: " + html.toAbsolutePath());
    return rows.stream().allMatch(r -> r.error() == null) ? 0 : 1;
  }

  /** The Maven command of one value: the simulation, its own run folder, every knob of the case. */
  static List<String> command(String mvn, Path runDir, Map<String, String> knobs) {
    List<String> cmd = new ArrayList<>(List.of(mvn, "-B", "-o", "gatling:test", "-Dgatling.simulationClass=" + SIMULATION,
        "-Dloadchaos.runDir=" + runDir));
    new TreeMap<>(knobs).forEach((k, v) -> cmd.add("-Dloadchaos." + k + "=" + v));
    return cmd;
  }

  /** The run folder the simulation wrote under {@code runDir} (the one holding results.json); null if none. */
  static Path runFolder(Path runDir) throws IOException {
    if (!Files.isDirectory(runDir)) return null;
    try (Stream<Path> s = Files.list(runDir)) {
      return s.filter(d -> Files.isRegularFile(d.resolve(ResultsJson.FILE))).sorted().reduce((a, b) -> b).orElse(null);
    }
  }
}
