package io.loadchaos.check;

import java.time.Duration;
import java.util.Locale;

/**
 * One service-level objective, asserted on every phase whose name matches {@code phasePattern}
 * ({@code steady}, {@code fault:*}, {@code recovery}, {@code *}).
 */
public record Slo(String phasePattern, Metric metric, double threshold) {

  public enum Metric {
    /** share of ok writes among completed writes, at least threshold */
    AVAILABILITY,
    /** write latency percentiles in ms, at most threshold */
    P50_MS, P95_MS, P99_MS,
    /** ok points per second, at least threshold */
    THROUGHPUT,
    /** seconds from a fault's end until writes succeed again, at most threshold */
    RECOVERY_S,
    /** share of answered queries (HTTP and Flight) among all queries, at least threshold */
    QUERY_AVAILABILITY,
    /** latency p99 in ms of answered queries (HTTP and Flight), at most threshold */
    QUERY_P99_MS;

    /** Judged over queries rather than writes. */
    public boolean ofQueries() {
      return this == QUERY_AVAILABILITY || this == QUERY_P99_MS;
    }
  }

  public static Slo availability(String phases, double min) {
    return new Slo(phases, Metric.AVAILABILITY, min);
  }

  public static Slo p99(String phases, Duration max) {
    return new Slo(phases, Metric.P99_MS, max.toMillis());
  }

  public static Slo p95(String phases, Duration max) {
    return new Slo(phases, Metric.P95_MS, max.toMillis());
  }

  public static Slo throughput(String phases, double minPointsPerSecond) {
    return new Slo(phases, Metric.THROUGHPUT, minPointsPerSecond);
  }

  public static Slo queryAvailability(String phases, double min) {
    return new Slo(phases, Metric.QUERY_AVAILABILITY, min);
  }

  public static Slo queryP99(String phases, Duration max) {
    return new Slo(phases, Metric.QUERY_P99_MS, max.toMillis());
  }

  public static Slo recovery(Duration max) {
    return new Slo("recovery", Metric.RECOVERY_S, max.toMillis() / 1000.0);
  }

  public boolean matches(String phase) {
    if (phasePattern.equals("*")) return true;
    if (phasePattern.endsWith("*")) return phase.startsWith(phasePattern.substring(0, phasePattern.length() - 1));
    return phase.equals(phasePattern);
  }

  public boolean higherIsBetter() {
    return metric == Metric.AVAILABILITY || metric == Metric.THROUGHPUT || metric == Metric.QUERY_AVAILABILITY;
  }

  public String label() {
    return metric.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
