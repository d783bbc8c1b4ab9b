package io.loadchaos.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Locale;
import java.util.TreeSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The resolved knobs of one run. Precedence: system property, environment variable, the
 * simulation's own default, the knob's default. All bad values are reported together.
 */
public final class RunConfig {
  private final Map<String, Object> values;
  private final Map<String, String> raw;

  private RunConfig(Map<String, Object> values, Map<String, String> raw) {
    this.values = values;
    this.raw = raw;
  }

  /** Resolves every knob from the JVM's system properties and environment. */
  public static RunConfig fromSystem(Map<String, String> simulationDefaults) {
    List<String> unknown = unknownNames(System.getProperties().stringPropertyNames(), System.getenv().keySet());
    if (!unknown.isEmpty()) throw new ConfigException(unknown);
    return resolve(System::getProperty, System::getenv, simulationDefaults);
  }

  /**
   * Every {@code loadchaos.*} property and {@code LOADCHAOS_*} variable that names no knob, each
   * with the closest knob: a misspelt knob would otherwise run silently with its default.
   */
  public static List<String> unknownNames(Collection<String> properties, Collection<String> env) {
    List<String> out = new ArrayList<>();
    for (String p : new TreeSet<>(properties)) {
      if (!p.startsWith("loadchaos.") || Knobs.NOT_KNOBS.contains(p)) continue;
      if (Knobs.ALL.stream().noneMatch(k -> k.property().equals(p))) {
        Knob<?> near = closest(p, Knob::property);
        out.add("-D" + p + ": no such knob (did you mean -D" + near.property() + "? every knob is in the README)");
      }
    }
    for (String e : new TreeSet<>(env)) {
      if (!e.startsWith("LOADCHAOS_") || Knobs.NOT_KNOBS.contains(e)) continue;
      if (Knobs.ALL.stream().noneMatch(k -> k.envVar().equals(e))) {
        Knob<?> near = closest(e, Knob::envVar);
        out.add("$" + e + ": no such knob (did you mean $" + near.envVar() + "? every knob is in the README)");
      }
    }
    return out;
  }

  private static Knob<?> closest(String name, Function<Knob<?>, String> spelling) {
    Knob<?> best = Knobs.ALL.get(0);
    int bestDistance = Integer.MAX_VALUE;
    for (Knob<?> k : Knobs.ALL) {
      int d = editDistance(name.toLowerCase(Locale.ROOT), spelling.apply(k).toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Levenshtein distance: how many single-character edits turn a into b. */
  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  public static RunConfig resolve(Function<String, String> properties, Function<String, String> env,
      Map<String, String> simulationDefaults) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> raw = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (Knob<?> knob : Knobs.ALL) {
      String source = "-D" + knob.property();
      String text = properties.apply(knob.property());
      if (text == null) {
        text = env.apply(knob.envVar());
        source = "$" + knob.envVar();
      }
      if (text == null) {
        text = simulationDefaults.getOrDefault(knob.name(), knob.defaultValue());
        source = "default of " + knob.property();
      }
      try {
        values.put(knob.name(), knob.parser().apply(text));
        raw.put(knob.name(), text);
      } catch (IllegalArgumentException e) {
        errors.add(source + "=" + quoted(knob, text) + ": " + e.getMessage() + " (" + knob.accepts() + ")");
      }
    }
    for (String key : simulationDefaults.keySet()) {
      if (Knobs.ALL.stream().noneMatch(k -> k.name().equals(key))) {
        errors.add("simulation default for unknown knob '" + key + "'");
      }
    }
    if (values.get(Knobs.WARMUP.name()) instanceof Duration w && values.get(Knobs.DURATION.name()) instanceof Duration d
        && !w.isZero() && w.compareTo(d) >= 0) {
      // every second would be warm-up: no steady phase would be left for an SLO or the gate to judge
      errors.add("-D" + Knobs.WARMUP.property() + "='" + raw.get(Knobs.WARMUP.name()) + "': must be shorter than -D"
          + Knobs.DURATION.property() + " ('" + raw.get(Knobs.DURATION.name()) + "'), or the run has no steady phase");
    }
    if (!errors.isEmpty()) throw new ConfigException(errors);
    return new RunConfig(values, raw);
  }

  private static String quoted(Knob<?> knob, String text) {
    return knob == Knobs.TOKEN ? "'***'" : "'" + text + "'";
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Knob<T> knob) {
    return (T) values.get(knob.name());
  }

  /** The knob values as text, with secrets redacted: what reports may show. */
  public Map<String, String> redacted() {
    Map<String, String> out = new LinkedHashMap<>(raw);
    if (!out.getOrDefault(Knobs.TOKEN.name(), "").isEmpty()) out.put(Knobs.TOKEN.name(), "***");
    return out;
  }

  /** A copy with some knobs replaced (tests, and simulations deriving a variant). */
  public RunConfig with(Map<String, String> overrides) {
    Map<String, String> merged = new LinkedHashMap<>(raw);
    merged.putAll(overrides);
    return resolve(k -> merged.get(k.substring("loadchaos.".length())), e -> null, Map.of());
  }

  /** Every invalid knob in one message, one line each. */
  public static final class ConfigException extends IllegalArgumentException {
    private final List<String> problems;

    ConfigException(List<String> problems) {
      super("invalid run configuration:\n  " + String.join("\n  ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }
}
