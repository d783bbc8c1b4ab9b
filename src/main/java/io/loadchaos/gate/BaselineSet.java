package io.loadchaos.gate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A baseline file ({@code baselines/<simulation>.json}, format 2): the last {@code keep} runs of a
 * simulation, each with its metrics, when it was added, the machine's load average then and the
 * run's identity. {@code minEffect} optionally overrides the minimum effect per metric kind.
 * A format-1 file (one run, {@link Baseline}) is read as a set of one run.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BaselineSet(int format, String simulation, int keep, Map<Baseline.Kind, Double> minEffect, List<Entry> runs) {

  public static final int FORMAT = 2;
  public static final int DEFAULT_KEEP = 10;

  /** One baseline run. {@code identity} and {@code loadAverage} are null for a run migrated from format 1. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(String runId, String createdAt, LoadAverage loadAverage, RunIdentity identity, List<Baseline.Metric> metrics) {
    public static Entry of(RunResult r, LoadAverage load) {
      List<Baseline.Metric> ms = Baseline.metricsOf(r).stream()
          .map(m -> new Baseline.Metric(m.name(), m.kind(), m.phase(), m.value(), null)).toList();
      return new Entry(r.runId(), Instant.now().toString(), load, RunIdentity.of(r), ms);
    }
  }

  /** /proc/loadavg when the run's load ended (or when it was added), and the CPUs it is relative to. */
  public record LoadAverage(double oneMinute, double fiveMinutes, double fifteenMinutes, int cpus) {
    /** The load average a run recorded when its load ended (results.json {@code cost.machine}), if it did. */
    public static Optional<LoadAverage> ofRun(RunResult r) {
      if (r.cost() == null || !(r.cost().get("machine") instanceof Map<?, ?> m)) return Optional.empty();
      if (!(m.get("loadAverageAtEnd") instanceof List<?> l) || l.size() != 3 || !(m.get("cpus") instanceof Number cpus)) {
        return Optional.empty();
      }
      if (!(l.get(0) instanceof Number a && l.get(1) instanceof Number b && l.get(2) instanceof Number c)) return Optional.empty();
      return Optional.of(new LoadAverage(a.doubleValue(), b.doubleValue(), c.doubleValue(), cpus.intValue()));
    }

    /** The machine's load now; null where /proc/loadavg does not exist. */
    public static LoadAverage now() {
      try {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        return new LoadAverage(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
            Runtime.getRuntime().availableProcessors());
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
  }

  /** A file as read, with a sentence when it was migrated from the single-run format (null otherwise). */
  public record Loaded(BaselineSet set, String migration) {}

  /** The identity the set's runs share (the newest recorded one), or null when none recorded it. */
  public RunIdentity identity() {
    return identityOf(runs);
  }

  public double minEffect(Baseline.Kind kind, double fallback) {
    return minEffect != null && minEffect.containsKey(kind) ? minEffect.get(kind) : fallback;
  }

  /**
   * This set with {@code added} appended, keeping the last {@code keep} runs. Refuses a run whose
   * identity differs from the set's (its numbers would not be comparable), naming the fields.
   */
  public BaselineSet append(List<Entry> added, int keepRuns) {
    if (keepRuns < 1) throw new IllegalArgumentException("--keep must be >= 1, got " + keepRuns);
    List<Entry> all = new ArrayList<>(runs);
    for (Entry e : added) {
      if (!e.identity().simulation().equals(simulation)) {
        throw new IllegalArgumentException("run " + e.runId() + " is of simulation '" + e.identity().simulation()
            + "' but the baseline is for '" + simulation + "'");
      }
      RunIdentity mine = identityOf(all);
      if (mine != null) {
        List<String> diff = mine.differences(e.identity(), "the baseline", "run " + e.runId());
        if (!diff.isEmpty()) {
          throw new IllegalArgumentException("run " + e.runId() + " is not comparable with the baseline's runs: "
              + String.join("; ", diff) + " (start a new baseline file for it)");
        }
      }
      all.add(e);
    }
    List<Entry> kept = all.subList(Math.max(0, all.size() - keepRuns), all.size());
    return new BaselineSet(FORMAT, simulation, keepRuns, minEffect, List.copyOf(kept));
  }

  private static RunIdentity identityOf(List<Entry> es) {
    for (int i = es.size() - 1; i >= 0; i--) if (es.get(i).identity() != null) return es.get(i).identity();
    return null;
  }

  /** A new set from runs. */
  public static BaselineSet of(String simulation, List<Entry> entries, int keepRuns) {
    return new BaselineSet(FORMAT, simulation, keepRuns, null, List.of()).append(entries, keepRuns);
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** Reads a baseline file of either format; errors name the file and the field. */
  public static Loaded read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) throw new IOException("baseline " + file + " does not exist");
    JsonNode tree;
    try {
      tree = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException("baseline " + file + ": not JSON: " + e.getMessage(), e);
    }
    if (tree == null || !tree.isObject()) throw new IOException("baseline " + file + ": expected a JSON object");
    if (!tree.has("runs") && tree.has("metrics")) {
      Baseline old = Baseline.read(file);
      Entry e = new Entry(old.createdFrom(), old.createdAt(), null, null, old.metrics().stream()
          .map(m -> new Baseline.Metric(m.name(), m.kind(), m.phase(), m.value(), null)).toList());
      return new Loaded(new BaselineSet(FORMAT, old.simulation(), DEFAULT_KEEP, null, List.of(e)),
          "baseline " + file + " is in the single-run format: read as a set of 1 run (" + old.createdFrom()
              + ", no identity or load recorded); its fixed tolerances are no longer used");
    }
    BaselineSet b;
    try {
      b = JSON.treeToValue(tree, BaselineSet.class);
    } catch (JsonMappingException e) {
      throw new IOException("baseline " + file + where(e) + ": " + rootMessage(e), e);
    }
    if (b.format() != FORMAT) throw new IOException("baseline " + file + ": field 'format' is " + b.format() + ", expected " + FORMAT);
    if (b.simulation() == null || b.simulation().isBlank()) throw new IOException("baseline " + file + ": field 'simulation' is missing");
    if (b.keep() < 1) throw new IOException("baseline " + file + ": field 'keep' must be >= 1, got " + b.keep());
    if (b.runs() == null || b.runs().isEmpty()) throw new IOException("baseline " + file + ": field 'runs' is missing or empty");
    for (int i = 0; i < b.runs().size(); i++) {
      Entry e = b.runs().get(i);
      if (e.runId() == null || e.runId().isBlank()) throw new IOException("baseline " + file + ": field runs[" + i + "].runId is missing");
      if (e.metrics() == null || e.metrics().isEmpty()) {
        throw new IOException("baseline " + file + ": field runs[" + i + "].metrics is missing or empty");
      }
    }
    if (b.minEffect() != null) {
      for (Map.Entry<Baseline.Kind, Double> e : b.minEffect().entrySet()) {
        if (e.getValue() == null || !(e.getValue() >= 0 && e.getValue() < 1)) {
          throw new IOException("baseline " + file + ": field minEffect." + e.getKey().label() + " must be in [0, 1), got " + e.getValue());
        }
      }
    }
    return new Loaded(b, null);
  }

  public void write(Path file) throws IOException {
    if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
    ResultsJson.writeAtomically(file, JSON.writeValueAsBytes(this));
  }

  private static String where(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      else if (ref.getIndex() >= 0) path.append('[').append(ref.getIndex()).append(']');
    }
    return path.length() == 0 ? "" : ", field " + path;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) root = root.getCause();
    return root.getMessage();
  }
}
