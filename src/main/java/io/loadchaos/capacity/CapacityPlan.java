package io.loadchaos.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.loadchaos.config.Knob;
import io.loadchaos.config.Knobs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A capacity sweep: one knee search per value of ONE dimension, each a run of its own (its own
 * cluster). YAML:
 *
 * <pre>
 * name: rf                       # optional: names the sweep folder
 * dimension: replicationFactor   # nodes, replicationFactor, batchSize, dataset, faults
 * knobs: {capacity.timeBudget: 3m}   # optional: knobs of every run (names without "loadchaos.")
 * values:
 *   - 1
 *   - 2
 *   - {label: "RF=3, one node down", value: 3, knobs: {faults: node-down.yaml}}
 * </pre>
 *
 * Every knob value is checked with the knob's own parser when the plan is read, so a bad value
 * stops the sweep before the first run, naming the field.
 */
public record CapacityPlan(String name, String dimension, Map<String, String> knobs, List<Case> cases) {

  /** The dimensions and the knob each one sets. Tag cardinality is a dataset (a spec file or high-cardinality). */
  public static final Map<String, Knob<?>> DIMENSIONS = dimensions();

  private static Map<String, Knob<?>> dimensions() {
    Map<String, Knob<?>> m = new LinkedHashMap<>();
    m.put("nodes", Knobs.NODES);
    m.put("replicationFactor", Knobs.REPLICATION_FACTOR);
    m.put("batchSize", Knobs.BATCH_SIZE);
    m.put("dataset", Knobs.DATASET);
    m.put("faults", Knobs.FAULTS);
    return m;
  }

  private static final Set<String> TOP_KEYS = Set.of("name", "dimension", "knobs", "values");
  private static final Set<String> CASE_KEYS = Set.of("label", "value", "knobs");

  /** One search: its label, the dimension's value and every knob it runs with (the plan's, then its own). */
  public record Case(String label, String value, Map<String, String> knobs) {}

  public static CapacityPlan read(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("capacity plan: cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public static CapacityPlan parse(String yaml, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + ": expected a mapping with 'dimension:' and 'values:'");
    }
    unknownKeys(root, TOP_KEYS, source);
    JsonNode dim = root.get("dimension");
    if (dim == null || !dim.isTextual()) {
      throw new IllegalArgumentException(source + ": dimension: required, expected one of " + DIMENSIONS.keySet());
    }
    String dimension = dim.asText();
    Knob<?> knob = DIMENSIONS.get(dimension);
    if (knob == null) {
      throw new IllegalArgumentException(source + ": dimension: unknown '" + dimension + "', expected one of " + DIMENSIONS.keySet());
    }
    String name = root.hasNonNull("name") ? root.get("name").asText() : dimension;
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(source + ": name: expected letters, digits, '.', '_' or '-', got '" + name + "'");
    }
    Map<String, String> shared = knobs(root.get("knobs"), source + ": knobs");
    if (shared.containsKey(knob.name())) {
      throw new IllegalArgumentException(source + ": knobs." + knob.name() + ": is the dimension; give it per value under 'values:'");
    }
    JsonNode values = root.get("values");
    if (values == null || !values.isArray() || values.isEmpty()) {
      throw new IllegalArgumentException(source + ": values: required, expected a non-empty list of " + dimension + " values");
    }
    List<Case> cases = new ArrayList<>();
    Set<String> labels = new HashSet<>();
    for (int i = 0; i < values.size(); i++) {
      String where = source + ": values[" + i + "]";
      JsonNode v = values.get(i);
      String label;
      String value;
      Map<String, String> own = Map.of();
      if (v.isValueNode()) {
        value = v.asText();
        label = dimension + "=" + value;
      } else if (v.isObject()) {
        unknownKeys(v, CASE_KEYS, where);
        if (!v.hasNonNull("value") || !v.get("value").isValueNode()) {
          throw new IllegalArgumentException(where + ": value: required, expected a " + dimension + " (" + knob.accepts() + ")");
        }
        value = v.get("value").asText();
        label = v.hasNonNull("label") ? v.get("label").asText() : dimension + "=" + value;
        own = knobs(v.get("knobs"), where + ": knobs");
        if (own.containsKey(knob.name())) {
          throw new IllegalArgumentException(where + ": knobs." + knob.name() + ": is the dimension; set it with 'value:'");
        }
      } else {
        throw new IllegalArgumentException(where + ": expected a " + dimension + " value or {label, value, knobs}");
      }
      check(knob, value, where + ": " + dimension);
      if (!labels.add(label)) throw new IllegalArgumentException(where + ": label '" + label + "' is used twice");
      Map<String, String> all = new LinkedHashMap<>(shared);
      all.putAll(own);
      all.put(knob.name(), value);
      cases.add(new Case(label, value, Map.copyOf(all)));
    }
    return new CapacityPlan(name, dimension, shared, List.copyOf(cases));
  }

  private static Map<String, String> knobs(JsonNode node, String where) {
    if (node == null || node.isNull()) return Map.of();
    if (!node.isObject()) throw new IllegalArgumentException(where + ": expected a mapping of knob: value");
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey().startsWith("loadchaos.") ? e.getKey().substring("loadchaos.".length()) : e.getKey();
      Knob<?> k = knob(key).orElseThrow(() -> new IllegalArgumentException(where + "." + e.getKey()
          + ": no such knob (every knob is in the README)"));
      if (!e.getValue().isValueNode()) throw new IllegalArgumentException(where + "." + key + ": expected a single value");
      check(k, e.getValue().asText(), where + "." + key);
      out.put(key, e.getValue().asText());
    }
    return out;
  }

  private static Optional<Knob<?>> knob(String name) {
    return Knobs.ALL.stream().filter(k -> k.name().equals(name)).findFirst();
  }

  private static void check(Knob<?> k, String value, String where) {
    try {
      k.parser().apply(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage() + " (got '" + value + "')", e);
    }
  }

  private static void unknownKeys(JsonNode node, Set<String> allowed, String where) {
    node.fieldNames().forEachRemaining(k -> {
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException(where + ": unknown key '" + k + "', expected one of " + new TreeSet<>(allowed));
      }
    });
  }
}
