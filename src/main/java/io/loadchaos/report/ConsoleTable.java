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
    long bad = verdicts.stream().filter(v -> !v.passed()).count();
    sb.append(bad == 0 ? "ALL " + verdicts.size() + " VERDICTS PASSED" : bad + " OF " + verdicts.size() + " VERDICTS FAILED");
    return sb.toString();
  }
}
