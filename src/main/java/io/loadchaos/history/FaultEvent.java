package io.loadchaos.history;

/**
 * One fault as it happened: when it was injected and healed, in microseconds since the run
 * started ({@code endMicros < 0} while still active).
 */
public record FaultEvent(String name, String action, String target, long startMicros, long endMicros,
    boolean ok, String detail) {

  public boolean active() {
    return endMicros < 0;
  }

  public FaultEvent endedAt(long micros, boolean healedOk, String healDetail) {
    return new FaultEvent(name, action, target, startMicros, micros, ok && healedOk,
        healDetail == null || healDetail.isEmpty() ? detail : detail + "; " + healDetail);
  }
}
