package io.loadchaos.gate;

import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one simulation as a child {@code mvn gatling:test} (simulations live in the test sources and
 * run through Maven). Each run gets its own {@code -Dloadchaos.runDir}, so its results.json is the one
 * run folder in there: no log parsing, no clock-based run ids to guess.
 */
final class MavenRuns {

  /** A finished child run: its results (null when it wrote none), exit code, time taken and log. */
  record Outcome(RunResult result, int exit, Duration took, Path log, String problem) {}

  private final List<String> mvn;
  private final Path projectDir;
  private final String simulationClass;
  private final List<String> commonProps;
  private final Duration timeout;

  MavenRuns(String mvn, Path projectDir, String simulation, String commonProps, Duration timeout) {
    this.mvn = Props.split(mvn);
    if (this.mvn.isEmpty()) throw new IllegalArgumentException("--mvn is empty");
    if (!Files.isDirectory(projectDir)) throw new IllegalArgumentException("--project-dir " + projectDir + " is not a directory");
    this.projectDir = projectDir.toAbsolutePath();
    this.simulationClass = simulationClass(simulation);
    this.commonProps = Props.split(commonProps);
    this.timeout = timeout;
  }

  /** {@code BaselineWrite} -> {@code io.loadchaos.simulations.BaselineWriteSimulation}; a qualified name stays. */
  static String simulationClass(String s) {
    if (s == null || s.isBlank()) throw new IllegalArgumentException("--simulation is empty");
    if (s.contains(".")) return s;
    return "io.loadchaos.simulations." + (s.endsWith("Simulation") ? s : s + "Simulation");
  }

  String simulationClass() {
    return simulationClass;
  }

  /** The command line of one run. */
  List<String> command(Path runDir, List<String> sideProps) {
    List<String> cmd = new ArrayList<>(mvn);
    cmd.add("gatling:test");
    cmd.add("-Dgatling.simulationClass=" + simulationClass);
    cmd.add("-Dloadchaos.runDir=" + runDir.toAbsolutePath());
    cmd.addAll(commonProps);
    cmd.addAll(sideProps);
    return cmd;
  }

  /** Runs one child and reads its results.json from {@code runDir}; the child's output goes to {@code runDir}.log. */
  Outcome run(Path runDir, List<String> sideProps) throws IOException, InterruptedException {
    Files.createDirectories(runDir);
    Path log = runDir.resolveSibling(runDir.getFileName() + ".log");
    List<String> cmd = command(runDir, sideProps);
    Files.writeString(log, "$ " + String.join(" ", cmd) + System.lineSeparator());
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).directory(projectDir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    // a gate ab stopped with SIGTERM must not leave the run's Maven, Gatling and nodes behind
    Thread reaper = new Thread(() -> kill(p), "gate-run-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
    boolean done;
    try {
      done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      kill(p);
      throw e;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs now
      }
    }
    if (!done) kill(p);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    int exit = done ? p.exitValue() : -1;
    Path folder = runFolder(runDir);
    if (folder == null) {
      return new Outcome(null, exit, took, log, (done ? "exit " + exit : "timed out after " + timeout)
          + ", no results.json under " + runDir + "; last lines of " + log + ":\n" + tail(log, 15));
    }
    try {
      return new Outcome(ResultsJson.read(folder), exit, took, log, done ? "" : "timed out after " + timeout);
    } catch (IOException e) {
      return new Outcome(null, exit, took, log, e.getMessage());
    }
  }

  /** The run folder the child wrote (the newest holding a results.json), or null. */
  static Path runFolder(Path runDir) throws IOException {
    if (!Files.isDirectory(runDir)) return null;
    try (Stream<Path> s = Files.list(runDir)) {
      return s.filter(d -> Files.isRegularFile(d.resolve(ResultsJson.FILE)))
          .max(Comparator.comparing(d -> d.resolve(ResultsJson.FILE).toFile().lastModified())).orElse(null);
    }
  }

  /** Stops the child and everything it started (Maven forks Gatling, Gatling's run starts nodes). */
  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private static String tail(Path log, int n) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException e) {
      return "(cannot read the log: " + e.getMessage() + ")";
    }
  }

  /** A cluster definition for one side: extra -D properties and/or a cluster file. */
  static List<String> side(String props, Path clusterFile) {
    List<String> out = new ArrayList<>(Props.split(props));
    if (clusterFile != null) {
      if (!Files.isRegularFile(clusterFile)) throw new IllegalArgumentException("cluster file " + clusterFile + " does not exist");
      out.add("-Dloadchaos.cluster=" + clusterFile.toAbsolutePath());
    }
    return out;
  }

  /** Splits a property string like a shell would for the simple cases: whitespace, single and double quotes. */
  static final class Props {
    private Props() {}

    static List<String> split(String s) {
      List<String> out = new ArrayList<>();
      if (s == null) return out;
      StringBuilder cur = new StringBuilder();
      boolean any = false;
      char quote = 0;
      for (char c : s.toCharArray()) {
        if (quote != 0) {
          if (c == quote) quote = 0;
          else cur.append(c);
        } else if (c == '\'' || c == '"') {
          quote = c;
          any = true;
        } else if (Character.isWhitespace(c)) {
          if (any || cur.length() > 0) out.add(cur.toString());
          cur.setLength(0);
          any = false;
        } else {
          cur.append(c);
        }
      }
      if (quote != 0) throw new IllegalArgumentException("unbalanced quote in '" + s + "'");
      if (any || cur.length() > 0) out.add(cur.toString());
      return out;
    }
  }
}
