package io.loadchaos.chaos;

import io.loadchaos.check.Verdict;
import io.loadchaos.history.FaultEvent;
import io.loadchaos.history.FaultEvent.Measure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The per-fault recovery SLOs from the measurements in the fault events (so {@code check --run}
 * gives the same verdicts from faults.json): {@code slo node recovery after <fault>} (the slowest of
 * its nodes to serve a write and a read sent to it, {@code <= slo.nodeRecovery}) and
 * {@code slo catch-up after <fault>} ({@code <= slo.catchUp}). A fault without measured nodes gives
 * none; a measurement the target cannot make is SKIPPED, one that could not run UNKNOWN.
 */
public final class RecoveryVerdicts {
  private RecoveryVerdicts() {}

  public static String nodeRecoveryName(String fault) {
    return "slo node recovery after " + fault;
  }

  public static String catchUpName(String fault) {
    return "slo catch-up after " + fault;
  }

  public static List<Verdict> of(List<FaultEvent> faults, Duration nodeRecovery, Duration catchUp) {
    List<Verdict> out = new ArrayList<>();
    for (FaultEvent f : faults) {
      if (f.recovery().isEmpty()) continue;
      out.add(verdict(nodeRecoveryName(f.name()), f, FaultEvent.NodeRecovery::serve, nodeRecovery,
          "from the heal until a probe write sent to the node and a read of it from the node succeeded"));
      out.add(verdict(catchUpName(f.name()), f, FaultEvent.NodeRecovery::catchUp, catchUp,
          "from the heal until the node held what it missed"));
    }
    return out;
  }

  private static Verdict verdict(String name, FaultEvent f, Function<FaultEvent.NodeRecovery, Measure> which,
      Duration threshold, String what) {
    String limit = "<= " + fmt(threshold.toMillis() / 1000.0) + " s";
    List<String> late = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    List<String> unobservable = new ArrayList<>();
    List<String> details = new ArrayList<>();
    double worst = -1;
    boolean never = false;
    for (FaultEvent.NodeRecovery r : f.recovery()) {
      Measure m = which.apply(r);
      switch (m.status()) {
        case MEASURED -> {
          worst = Math.max(worst, m.seconds());
          details.add("node " + r.node() + " " + fmt(m.seconds()) + " s: " + m.detail());
          if (m.seconds() > threshold.toMillis() / 1000.0) late.add("node " + r.node() + " " + fmt(m.seconds()) + " s");
        }
        case NOT_WITHIN -> {
          never = true;
          late.add(m.detail());
        }
        case NOT_OBSERVABLE -> unobservable.add("node " + r.node() + ": " + m.detail());
        case ERROR -> unknown.add("node " + r.node() + ": " + m.detail());
      }
    }
    if (!late.isEmpty()) {
      return Verdict.fail(name, never ? "not within " + fmt(threshold.toMillis() / 1000.0) + " s" : fmt(worst) + " s", limit,
          String.join("; ", late));
    }
    if (!unknown.isEmpty()) return Verdict.unknown(name, String.join("; ", unknown));
    if (!unobservable.isEmpty()) return Verdict.skipped(name, String.join("; ", unobservable));
    return Verdict.pass(name, fmt(worst) + " s", limit, what + "; " + String.join("; ", details));
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
