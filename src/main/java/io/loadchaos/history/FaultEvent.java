package io.loadchaos.history;

import java.util.List;

/**
 * One fault as it happened: which nodes it hit (empty when it hit none, or failed before the target
 * was resolved), when it was injected and healed, in microseconds since the run started
 * ({@code endMicros < 0} while still active). {@code proof} is what the harness itself observed
 * to show the fault took effect (empty while injecting, and in faults.json of earlier runs);
 * {@code recovery} holds, per node the fault hit, how long after the heal it served again and
 * caught up (empty when nothing was measured).
 */
public record FaultEvent(String name, String action, String target, List<String> nodes, long startMicros,
    long endMicros, boolean ok, String detail, String proof, List<NodeRecovery> recovery) {

  public FaultEvent {
    // faults.json of earlier runs has no node list, proof or recovery
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    proof = proof == null ? "" : proof;
    recovery = recovery == null ? List.of() : List.copyOf(recovery);
  }

  public FaultEvent(String name, String action, String target, List<String> nodes, long startMicros,
      long endMicros, boolean ok, String detail) {
    this(name, action, target, nodes, startMicros, endMicros, ok, detail, "", List.of());
  }

  public boolean active() {
    return endMicros < 0;
  }

  public FaultEvent endedAt(long micros, boolean healedOk, String healDetail) {
    return new FaultEvent(name, action, target, nodes, startMicros, micros, ok && healedOk,
        healDetail == null || healDetail.isEmpty() ? detail : detail + "; " + healDetail, proof, recovery);
  }

  public FaultEvent withRecovery(List<NodeRecovery> measured) {
    return new FaultEvent(name, action, target, nodes, startMicros, endMicros, ok, detail, proof, measured);
  }

  /**
   * How one node the fault hit came back, measured by the harness from the moment it began to undo
   * the fault ({@code healStartMicros}, on the run's clock): {@code serve} until a probe write sent
   * to that node and a read of it from that node both succeeded, {@code catchUp} until it held what
   * it missed while it was out.
   */
  public record NodeRecovery(String node, long healStartMicros, Measure serve, Measure catchUp) {}

  /**
   * One recovery measurement: {@code MEASURED} with {@code seconds}; {@code NOT_WITHIN} the bound
   * (never happened while the harness looked); {@code NOT_OBSERVABLE} on this target (the detail says
   * what is missing); {@code ERROR}: the measurement itself could not run.
   */
  public record Measure(Status status, Double seconds, String detail) {
    public enum Status { MEASURED, NOT_WITHIN, NOT_OBSERVABLE, ERROR }

    public static Measure measured(double seconds, String detail) {
      return new Measure(Status.MEASURED, seconds, detail);
    }

    public static Measure notWithin(String detail) {
      return new Measure(Status.NOT_WITHIN, null, detail);
    }

    public static Measure notObservable(String detail) {
      return new Measure(Status.NOT_OBSERVABLE, null, detail);
    }

    public static Measure error(String detail) {
      return new Measure(Status.ERROR, null, detail);
    }
  }
}
