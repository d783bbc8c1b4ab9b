package io.loadchaos.history;

import java.util.List;

/**
 * One fault as it happened: which nodes it hit (empty when it hit none, or failed before the target
 * was resolved), when it was injected and healed, in microseconds since the run started
 * ({@code endMicros < 0} while still active).
 */
public record FaultEvent(String name, String action, String target, List<String> nodes, long startMicros,
    long endMicros, boolean ok, String detail) {

  public FaultEvent {
    // faults.json of earlier runs has no node list
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
  }

  public boolean active() {
    return endMicros < 0;
  }

  public FaultEvent endedAt(long micros, boolean healedOk, String healDetail) {
    return new FaultEvent(name, action, target, nodes, startMicros, micros, ok && healedOk,
        healDetail == null || healDetail.isEmpty() ? detail : detail + "; " + healDetail);
  }
}
