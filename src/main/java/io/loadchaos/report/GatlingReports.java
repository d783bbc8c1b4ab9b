package io.loadchaos.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the folder Gatling writes its HTML report to ({@code <results>/<simulation>-<timestamp>/}),
 * so that report.html can link to it. Gatling names it after the simulation class in lower case.
 */
public final class GatlingReports {
  private GatlingReports() {}

  /** Gatling's results folder: {@code -Dgatling.resultsFolder} if set, else Maven's default {@code target/gatling}. */
  public static Path resultsRoot() {
    return Path.of(System.getProperty("gatling.resultsFolder", "target/gatling"));
  }

  /**
   * The newest report folder of {@code simulationClass} created at or after {@code notBeforeMillis}
   * (epoch ms), as an absolute path; empty when there is none (e.g. not run by Gatling).
   */
  public static String find(Path root, String simulationClass, long notBeforeMillis) {
    if (!Files.isDirectory(root)) return "";
    String prefix = simulationClass.toLowerCase(Locale.ROOT) + "-";
    try (Stream<Path> dirs = Files.list(root)) {
      Optional<Path> newest = dirs.filter(Files::isDirectory)
          .filter(d -> {
            String n = d.getFileName().toString();
            return n.startsWith(prefix) && n.substring(prefix.length()).chars().allMatch(Character::isDigit);
          })
          .filter(d -> modified(d) >= notBeforeMillis)
          .max(Comparator.comparing(d -> d.getFileName().toString()));
      return newest.map(d -> d.toAbsolutePath().normalize().toString()).orElse("");
    } catch (IOException e) {
      return "";
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return Long.MIN_VALUE;
    }
  }
}
