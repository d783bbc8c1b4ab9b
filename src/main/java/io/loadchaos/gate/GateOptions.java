package io.loadchaos.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/** The statistical options shared by {@code gate}, {@code gate ab} and {@code gate bench}. */
public final class GateOptions {

  @Option(names = "--confidence", defaultValue = "0.95", description = "confidence level of the bootstrap interval (default ${DEFAULT-VALUE})")
  double confidence;

  @Option(names = "--resamples", defaultValue = "10000", description = "bootstrap resamples (default ${DEFAULT-VALUE}; fixed seed)")
  int resamples;

  @Option(names = "--min-effect", paramLabel = "[KIND=]X",
      description = "minimum effect as a fraction: X replaces the built-in 0.05 (availability 0.005, cpu-per-point 0.03), KIND=X sets one kind, "
          + "e.g. --min-effect p99=0.2; repeatable")
  List<String> minEffect = new ArrayList<>();

  @Option(names = "--kinds", split = ",", paramLabel = "KIND",
      description = "judge only these metric kinds (e.g. p50,cpu-per-point); default: all")
  List<String> kinds = new ArrayList<>();

  /** The settings; errors name the option and what it accepts. */
  Gate.Settings settings() {
    if (!(confidence > 0.5 && confidence < 1)) throw new IllegalArgumentException("--confidence must be in (0.5, 1), got " + confidence);
    if (resamples < 1000) throw new IllegalArgumentException("--resamples must be >= 1000, got " + resamples);
    Map<String, Double> per = new LinkedHashMap<>();
    Double all = null;
    for (String s : minEffect) {
      int eq = s.indexOf('=');
      String kind = eq < 0 ? null : s.substring(0, eq).trim();
      double v = parseEffect(s, eq < 0 ? s : s.substring(eq + 1));
      if (kind == null) all = v;
      else per.put(Baseline.Kind.ofLabel(kind).label(), v);
    }
    Set<String> ks = new LinkedHashSet<>();
    for (String k : kinds) ks.add(Baseline.Kind.ofLabel(k.trim()).label());
    return new Gate.Settings(confidence, resamples, Bootstrap.SEED, per, all, ks);
  }

  private static double parseEffect(String option, String v) {
    try {
      double d = Double.parseDouble(v.trim());
      if (d >= 0 && d < 1) return d;
    } catch (NumberFormatException e) {
      // falls through to the message
    }
    throw new IllegalArgumentException("--min-effect '" + option + "': expected a fraction in [0, 1) such as 0.05, optionally KIND=0.05");
  }
}
