package io.loadchaos.gate;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.loadchaos.config.Knob;
import io.loadchaos.config.Knobs;
import io.loadchaos.report.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What must be equal for two runs' numbers to be comparable: the simulation, the target kind, the
 * dataset and the knobs that change the load. Deliberately not part of it: the build under test
 * ({@code bug}, {@code cluster}, {@code composeFile}: that is what a gate compares), where results go,
 * SLO thresholds and anything secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunIdentity(String simulation, String target, String dataset, Map<String, String> knobs) {

  /** The knobs that shape the load, cluster size and data. */
  public static final List<Knob<?>> LOAD_KNOBS = List.of(Knobs.NODES, Knobs.REPLICATION_FACTOR, Knobs.SEED, Knobs.FIELD_TYPES,
      Knobs.QUERY, Knobs.TLS, Knobs.WRITERS, Knobs.BATCH_SIZE, Knobs.DURATION, Knobs.INJECTION, Knobs.OPEN_RATE,
      Knobs.POINTS_PER_SECOND, Knobs.ENDPOINT, Knobs.ACCEPT_PARTIAL, Knobs.NO_SYNC, Knobs.GZIP, Knobs.NODE_SELECTION,
      Knobs.WRITE_ATTEMPTS, Knobs.QUERY_USERS, Knobs.QUERY_PAUSE, Knobs.FLIGHT, Knobs.FAULTS,
      Knobs.CAPACITY_START_RATE, Knobs.CAPACITY_GROWTH, Knobs.CAPACITY_PRECISION, Knobs.CAPACITY_MAX_RATE,
      Knobs.CAPACITY_MAX_STEPS, Knobs.CAPACITY_STEP_DURATION, Knobs.CAPACITY_WARMUP, Knobs.CAPACITY_WRITERS,
      Knobs.CAPACITY_MIN_ACHIEVED, Knobs.CAPACITY_STEADINESS);

  public static RunIdentity of(RunResult r) {
    Map<String, String> config = r.config() == null ? Map.of() : r.config();
    Map<String, String> knobs = new LinkedHashMap<>();
    for (Knob<?> k : LOAD_KNOBS) {
      String v = config.get(k.name());
      if (v != null) knobs.put(k.name(), v);
    }
    String dataset = config.get(Knobs.DATASET.name());
    if (dataset == null && r.dataset() != null && r.dataset().get("name") != null) dataset = r.dataset().get("name").toString();
    return new RunIdentity(r.simulation(), r.target(), dataset, knobs);
  }

  /** Every field that differs, e.g. {@code knob writers: 4 in the baseline, 8 in run X}; empty when comparable. */
  public List<String> differences(RunIdentity other, String mine, String theirs) {
    List<String> out = new ArrayList<>();
    field(out, "simulation", simulation, other.simulation, mine, theirs);
    field(out, "target kind", target, other.target, mine, theirs);
    field(out, "dataset", dataset, other.dataset, mine, theirs);
    Map<String, String> a = knobs == null ? Map.of() : knobs;
    Map<String, String> b = other.knobs == null ? Map.of() : other.knobs;
    for (Knob<?> k : LOAD_KNOBS) field(out, "knob " + k.name(), a.get(k.name()), b.get(k.name()), mine, theirs);
    return out;
  }

  private static void field(List<String> out, String name, String a, String b, String mine, String theirs) {
    if (Objects.equals(a, b)) return;
    out.add(name + ": " + show(a) + " in " + mine + ", " + show(b) + " in " + theirs);
  }

  private static String show(String v) {
    return v == null ? "(not recorded)" : "'" + v + "'";
  }
}
