package io.loadchaos.report;

import io.loadchaos.check.Verdict;
import java.util.List;

/** The compact verdict table printed at the end of every run. */
public final class ConsoleTable {
  private ConsoleTable() {}

  public static String render(List<Verdict> verdicts) {
    int nameW = Math.max(7, verdicts.stream().mapToInt(v -> v.name().length()).max().orElse(7));
    int measW = Math.max(8, verdicts.stream().mapToInt(v -> v.measured().length()).max().orElse(8));
    StringBuilder sb = new StringBuilder();
    String fmt = "%-7s  %-" + nameW + "s  %-" + measW + "s  %s%n";
    sb.append(String.format(fmt, "status", "verdict", "measured", "required"));
    for (Verdict v : verdicts) {
      sb.append(String.format(fmt, v.status(), v.name(), v.measured(), v.threshold()));
      if (!v.passed()) {
        sb.append("         ").append(v.detail()).append(System.lineSeparator());
        v.examples().forEach((k, ex) -> ex.stream().limit(3)
            .forEach(e -> sb.append("         ").append(k).append(": ").append(e).append(System.lineSeparator())));
      }
    }
    sb.append(summary(verdicts));
    return sb.toString();
  }

  /**
   * The last line: how many failed (if any), then always {@code N PASSED, M SKIPPED}, so a check
   * that did not run is never mistaken for one that passed.
   */
  public static String summary(List<Verdict> verdicts) {
    long failed = count(verdicts, Verdict.Status.FAIL);
    long unknown = count(verdicts, Verdict.Status.UNKNOWN);
    String counts = count(verdicts, Verdict.Status.PASS) + " PASSED, " + count(verdicts, Verdict.Status.SKIPPED) + " SKIPPED";
    if (failed + unknown == 0) return "NO VERDICT FAILED: " + counts;
    return (failed + unknown) + " OF " + verdicts.size() + " VERDICTS FAILED (" + failed + " FAIL, " + unknown + " UNKNOWN): "
        + counts;
  }

  private static long count(List<Verdict> verdicts, Verdict.Status status) {
    return verdicts.stream().filter(v -> v.status() == status).count();
  }
}
