package io.loadchaos.check;

import java.util.List;
import java.util.Map;

/**
 * The result of one named check, with what was measured and what was required. UNKNOWN (the
 * check could not run) fails a run exactly like FAIL.
 */
public record Verdict(String name, Status status, String measured, String threshold, String detail,
    Map<String, List<String>> examples) {

  /** SKIPPED: the target lacks what the check needs (reported, never faked, does not fail). */
  public enum Status { PASS, FAIL, UNKNOWN, SKIPPED }

  public static Verdict pass(String name, String measured, String threshold, String detail) {
    return new Verdict(name, Status.PASS, measured, threshold, detail, Map.of());
  }

  public static Verdict fail(String name, String measured, String threshold, String detail) {
    return new Verdict(name, Status.FAIL, measured, threshold, detail, Map.of());
  }

  public static Verdict unknown(String name, String why) {
    return new Verdict(name, Status.UNKNOWN, "n/a", "", why, Map.of());
  }

  public static Verdict of(String name, boolean ok, String measured, String threshold, String detail) {
    return ok ? pass(name, measured, threshold, detail) : fail(name, measured, threshold, detail);
  }

  public static Verdict skipped(String name, String why) {
    return new Verdict(name, Status.SKIPPED, "n/a", "", why, Map.of());
  }

  public Verdict withExamples(Map<String, List<String>> ex) {
    return new Verdict(name, status, measured, threshold, detail, ex);
  }

  /**
   * Under {@code loadchaos.strict}, a check the target could not support fails the run: the
   * SKIPPED verdict becomes a FAIL that still says it was skipped, and why.
   */
  public Verdict strict() {
    if (status != Status.SKIPPED) return this;
    return new Verdict(name, Status.FAIL, "skipped", "not skipped (loadchaos.strict=true)",
        "skipped: " + detail, examples);
  }

  /** Whether this verdict lets the run pass. */
  public boolean passed() {
    return status == Status.PASS || status == Status.SKIPPED;
  }
}
