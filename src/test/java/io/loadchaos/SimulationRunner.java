package io.loadchaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs {@code mvn gatling:test} for real in a nested Maven, with its own run and results folders,
 * so tests see exactly what a user sees: exit code, console, run folder and HTML report.
 */
public final class SimulationRunner {
  public record Result(int exitCode, String output, Path runDir, Path gatlingDir) {
    public Optional<Path> gatlingIndex() throws IOException {
      if (!Files.isDirectory(gatlingDir)) return Optional.empty();
      try (Stream<Path> s = Files.walk(gatlingDir)) {
        return s.filter(p -> p.getFileName().toString().equals("index.html")).findFirst();
      }
    }
  }

  private SimulationRunner() {}

  public static Path projectDir() {
    return Path.of(System.getProperty("loadchaos.projectDir", ".")).toAbsolutePath();
  }

  /**
   * A command run with SIGINT at its default action. A shell without job control (CI started in
   * the background) starts its children with SIGINT ignored, and the JVM then installs no handler:
   * a test's Ctrl-C would be a no-op and the run would simply finish.
   */
  public static List<String> withDefaultSigint(List<String> cmd) {
    List<String> out = new ArrayList<>(List.of("env", "--default-signal=INT"));
    out.addAll(cmd);
    return out;
  }

  public static Result run(String name, String simulation, Map<String, String> props) throws Exception {
    return run(name, simulation, props, Map.of());
  }

  /** {@code env}: extra environment of the nested Maven, e.g. a secret that must not be on a command line. */
  public static Result run(String name, String simulation, Map<String, String> props, Map<String, String> env) throws Exception {
    Path project = projectDir();
    Path runs = project.resolve("target/it-runs/" + name);
    Path gatling = project.resolve("target/it-gatling/" + name);
    deleteTree(runs);
    deleteTree(gatling);
    List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "gatling:test",
        "-Dgatling.simulationClass=io.loadchaos.simulations." + simulation,
        "-Dgatling.resultsFolder=" + gatling, "-Dloadchaos.runDir=" + runs));
    props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    Path log = project.resolve("target/it-" + name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("mvn gatling:test of " + simulation + " did not finish in 10 minutes; log " + log);
    }
    Path runDir = null;
    if (Files.isDirectory(runs)) {
      try (Stream<Path> s = Files.list(runs)) {
        runDir = s.filter(Files::isDirectory).findFirst().orElse(null);
      }
    }
    return new Result(p.exitValue(), Files.readString(log), runDir, gatling);
  }

  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
