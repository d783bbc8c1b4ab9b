package io.loadchaos.config;

import java.util.ArrayList;
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
    return resolve(System::getProperty, System::getenv, simulationDefaults);
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
