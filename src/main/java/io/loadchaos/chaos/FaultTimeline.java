package io.loadchaos.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.loadchaos.config.Parsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The faults of a run, ordered by offset. Built in a simulation's Java code or read from YAML:
 *
 * <pre>
 * faults:
 *   - name: crash-2        # optional, defaults to action-target
 *     at: 15s
 *     duration: 10s        # optional: heal after this long (else at the end of the run)
 *     action: kill
 *     target: node:2
 *     params: {latency: 200ms, jitter: 50ms}
 * </pre>
 */
public final class FaultTimeline {
  private static final Set<String> KEYS = Set.of("name", "at", "duration", "action", "target", "params");
  private final List<FaultSpec> faults;

  private FaultTimeline(List<FaultSpec> faults) {
    List<FaultSpec> sorted = new ArrayList<>(faults);
    sorted.sort(Comparator.comparing(FaultSpec::at));
    this.faults = List.copyOf(sorted);
  }

  public static FaultTimeline none() {
    return new FaultTimeline(List.of());
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<FaultSpec> faults() {
    return faults;
  }

  public FaultTimeline plus(FaultTimeline other) {
    List<FaultSpec> all = new ArrayList<>(faults);
    all.addAll(other.faults);
    return new FaultTimeline(all);
  }

  /** Whether the local target must put fault proxies on its links for this timeline. */
  public boolean needsLinkProxies() {
    return faults.stream().anyMatch(f -> f.action().network());
  }

  /** Reads a YAML timeline; an empty path is no faults. Errors name the entry and the field. */
  public static FaultTimeline fromFile(String path) {
    if (path == null || path.isBlank()) return none();
    Path file = Path.of(path);
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("loadchaos.faults: cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public static FaultTimeline parse(String yaml, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    JsonNode list = root == null ? null : root.get("faults");
    if (list == null || !list.isArray()) throw new IllegalArgumentException(source + ": expected a top-level 'faults:' list");
    Builder b = builder();
    int i = 0;
    for (JsonNode f : list) {
      String where = source + ": faults[" + i++ + "]";
      f.fieldNames().forEachRemaining(k -> {
        if (!KEYS.contains(k)) throw new IllegalArgumentException(where + ": unknown key '" + k + "', expected one of " + KEYS);
      });
      try {
        String action = required(f, "action", where);
        String target = required(f, "target", where);
        Duration at = Parsers.parseDuration(required(f, "at", where));
        Duration dur = f.hasNonNull("duration") ? Parsers.parseDuration(f.get("duration").asText()) : null;
        Map<String, String> params = new LinkedHashMap<>();
        if (f.has("params")) f.get("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        String name = f.hasNonNull("name") ? f.get("name").asText() : action + "-" + target;
        b.add(new FaultSpec(name, at, dur, FaultSpec.Action.of(action), target, params));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  private static String required(JsonNode f, String key, String where) {
    if (!f.hasNonNull(key)) throw new IllegalArgumentException(where + ": '" + key + "' is required");
    return f.get(key).asText();
  }

  /** Java DSL: {@code builder().at(15).kill("node:2").healAfter(10)}. */
  public static final class Builder {
    private final List<FaultSpec> faults = new ArrayList<>();
    private Duration at = Duration.ZERO;

    public Builder at(Duration offset) {
      this.at = offset;
      return this;
    }

    public Builder at(long seconds) {
      return at(Duration.ofSeconds(seconds));
    }

    public Builder add(FaultSpec f) {
      faults.add(f);
      return this;
    }

    /** Adds a fault at the current offset; {@code duration} null means healed at the end. */
    public Builder fault(String name, FaultSpec.Action action, String target, Duration duration, Map<String, String> params) {
      faults.add(new FaultSpec(name, at, duration, action, target, params));
      return this;
    }

    public Builder fault(FaultSpec.Action action, String target, Duration duration, String... keyValues) {
      Map<String, String> params = new LinkedHashMap<>();
      for (int i = 0; i + 1 < keyValues.length; i += 2) params.put(keyValues[i], keyValues[i + 1]);
      return fault(action.label() + "-" + target, action, target, duration, params);
    }

    public FaultTimeline build() {
      return new FaultTimeline(faults);
    }
  }
}
