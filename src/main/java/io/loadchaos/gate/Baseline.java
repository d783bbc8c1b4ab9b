package io.loadchaos.gate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loadchaos.check.PhaseAnalysis;
import io.loadchaos.report.CapacityAnalysis;
import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The metrics the gate compares ({@link #metricsOf}) and the first, single-run baseline file format
 * ({@code baselines/<simulation>.json} with one run's metrics and per-kind tolerances). That format
 * is only read, to migrate it into a {@link BaselineSet}; its tolerances are not used any more (the
 * set's run-to-run spread decides).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Baseline(String simulation, String createdFrom, String createdAt, Map<Kind, Tolerance> tolerances,
    List<Metric> metrics) {

  /** What is compared. Higher is better for throughput, availability and the capacity knee. */
  public enum Kind {
    THROUGHPUT("throughput", true, "points/s"),
    P50("p50", false, "ms"),
    P95("p95", false, "ms"),
    P99("p99", false, "ms"),
    AVAILABILITY("availability", true, ""),
    RECOVERY("recovery", false, "s"),
    CAPACITY_KNEE("capacity-knee", true, "points/s"),
    /** Node CPU-seconds per million acknowledged points (results.json cost). */
    CPU_PER_POINT("cpu-per-point", false, "cpu-s/Mpt"),
    /** The largest node's resident memory during the phase (results.json cost). */
    PEAK_RSS("peak-rss", false, "MiB");

    private final String label;
    final boolean higherIsBetter;
    final String unit;

    Kind(String label, boolean higherIsBetter, String unit) {
      this.label = label;
      this.higherIsBetter = higherIsBetter;
      this.unit = unit;
    }

    @JsonValue
    public String label() {
      return label;
    }

    @JsonCreator
    public static Kind ofLabel(String s) {
      for (Kind k : values()) if (k.label.equals(s)) return k;
      throw new IllegalArgumentException("unknown metric kind '" + s + "', expected one of "
          + Arrays.stream(values()).map(Kind::label).toList());
    }
  }

  /**
   * How far a metric may move the bad way: {@code relative} times the baseline value plus
   * {@code absolute} (in the metric's unit). Throughput {relative 0.2} = may drop at most 20%.
   */
  public record Tolerance(double relative, double absolute) {
    public Tolerance {
      if (!(relative >= 0) || !(absolute >= 0)) {
        throw new IllegalArgumentException("tolerance relative and absolute must be >= 0, got " + relative + ", " + absolute);
      }
    }
  }

  /** One compared number; {@code phase} is the phase label, or the fault name for recovery. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Metric(String name, Kind kind, String phase, double value, Tolerance tolerance) {
    public Metric {
      if (name == null || name.isBlank()) throw new IllegalArgumentException("metric without a name");
      if (kind == null) throw new IllegalArgumentException("metric '" + name + "' has no kind");
      // +infinity stands for "never" (a fault the run did not recover from)
      if (Double.isNaN(value) || value == Double.NEGATIVE_INFINITY) {
        throw new IllegalArgumentException("metric '" + name + "' has no value");
      }
    }

    String key() {
      return kind.label() + "|" + (phase == null ? "" : phase);
    }
  }

  /**
   * The metrics of a run: write throughput, p50/p95/p99 and availability per phase, node CPU per
   * point and peak RSS per phase (where the run measured its cost), recovery per fault, capacity knee.
   */
  public static List<Metric> metricsOf(RunResult r) {
    List<Metric> out = new ArrayList<>();
    Map<String, PhaseAnalysis.PhaseStats> writes = r.phases() == null ? Map.of() : r.phases().getOrDefault("write", Map.of());
    for (PhaseAnalysis.PhaseStats p : writes.values()) {
      if (p.ops() == 0 || PhaseAnalysis.WARMUP.equals(p.phase())) continue;
      String ph = p.phase();
      out.add(new Metric("write throughput [" + ph + "]", Kind.THROUGHPUT, ph, p.okPointsPerSecond(), null));
      out.add(new Metric("write p50 [" + ph + "]", Kind.P50, ph, p.p50Ms(), null));
      out.add(new Metric("write p95 [" + ph + "]", Kind.P95, ph, p.p95Ms(), null));
      out.add(new Metric("write p99 [" + ph + "]", Kind.P99, ph, p.p99Ms(), null));
      if (Double.isFinite(p.availability())) {
        out.add(new Metric("write availability [" + ph + "]", Kind.AVAILABILITY, ph, p.availability(), null));
      }
    }
    out.addAll(costMetrics(r.cost()));
    if (r.recoveries() != null) {
      for (PhaseAnalysis.Recovery rec : r.recoveries()) {
        out.add(new Metric("recovery after " + rec.fault(), Kind.RECOVERY, rec.fault(),
            rec.seconds() == null ? Double.POSITIVE_INFINITY : rec.seconds(), null));
      }
    }
    Object search = r.capacity() == null ? null : r.capacity().get("knee");
    if (search instanceof Map<?, ?> knee) {
      // a knee search: only a knee found is a number to compare; "not reached" or "injector-bound" is none
      if ("KNEE".equals(knee.get("end")) && knee.get("pointsPerSecond") instanceof Number rate) {
        out.add(new Metric("capacity knee", Kind.CAPACITY_KNEE, null, rate.doubleValue(), null));
      }
      return out;
    }
    CapacityAnalysis.Result cap = CapacityAnalysis.Result.fromMap(r.capacity());
    if (cap != null) {
      CapacityAnalysis.Step knee = cap.knee();
      out.add(new Metric("capacity knee", Kind.CAPACITY_KNEE, null, knee == null ? 0 : knee.okPointsPerSecond(), null));
    }
    return out;
  }

  /**
   * {@code write cpu/point [<phase>]} (cpu-per-point) and {@code node peak rss [<phase>]} (peak-rss)
   * from results.json's cost; none for an absent cost or a phase without acknowledged points.
   */
  @SuppressWarnings("unchecked")
  static List<Metric> costMetrics(Map<String, Object> cost) {
    List<Metric> out = new ArrayList<>();
    if (cost == null || cost.get("absent") != null || !(cost.get("phases") instanceof Map<?, ?> phases)) return out;
    for (Map.Entry<String, Object> e : ((Map<String, Object>) phases).entrySet()) {
      if (!(e.getValue() instanceof Map<?, ?> p) || PhaseAnalysis.WARMUP.equals(e.getKey())) continue;
      String ph = e.getKey();
      if (p.get("cpuSecondsPerMillionPoints") instanceof Number cpu) {
        out.add(new Metric("write cpu/point [" + ph + "]", Kind.CPU_PER_POINT, ph, cpu.doubleValue(), null));
      }
      if (p.get("peakRssMiB") instanceof Number rss) {
        out.add(new Metric("node peak rss [" + ph + "]", Kind.PEAK_RSS, ph, rss.doubleValue(), null));
      }
    }
    return out;
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** Reads and checks a baseline file; errors name the file and the field. */
  public static Baseline read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) throw new IOException("baseline " + file + " does not exist");
    Baseline b;
    try {
      b = JSON.readValue(file.toFile(), Baseline.class);
    } catch (JsonMappingException e) {
      StringBuilder path = new StringBuilder();
      for (JsonMappingException.Reference ref : e.getPath()) {
        if (ref.getFieldName() != null) path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
        else if (ref.getIndex() >= 0) path.append('[').append(ref.getIndex()).append(']');
      }
      String where = path.length() == 0 ? "" : ", field " + path;
      Throwable root = e;
      while (root.getCause() != null) root = root.getCause();
      throw new IOException("baseline " + file + where + ": " + root.getMessage(), e);
    }
    if (b.simulation() == null || b.simulation().isBlank()) throw new IOException("baseline " + file + ": field 'simulation' is missing");
    if (b.metrics() == null || b.metrics().isEmpty()) throw new IOException("baseline " + file + ": field 'metrics' is missing or empty");
    return b;
  }

  public void write(Path file) throws IOException {
    ResultsJson.writeAtomically(file, JSON.writeValueAsBytes(this));
  }
}
