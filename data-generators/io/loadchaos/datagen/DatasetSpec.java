package io.loadchaos.datagen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a run writes: tables with tags and fields, timing and skew, and the volume. Immutable and
 * validated on construction; load it from YAML ({@link #load}, {@link #builtin}) or build it in Java
 * ({@link #of}).
 */
public final class DatasetSpec {
  /** Names of the specs shipped as classpath resources under {@code datagen/specs/}. */
  public static final List<String> BUILTINS = List.of("devops", "iot", "high-cardinality", "edge-cases", "same-timestamp", "quorum", "overwrites");

  private final String name;
  private final Precision precision;
  private final TimeSpec time;
  private final long points; // -1: unbounded
  private final List<TableSpec> tables;

  private DatasetSpec(String name, Precision precision, TimeSpec time, long points, List<TableSpec> tables) {
    this.name = Names.checkName("spec", name);
    this.precision = precision;
    if (time == null) {
      throw new DatasetSpecException("time is required");
    }
    this.time = time;
    if (points < -1 || points == 0) {
      throw new DatasetSpecException("volume.points must be >= 1 (got " + points + ")");
    }
    this.points = points;
    this.tables = tables == null ? List.of() : List.copyOf(tables);
    if (this.tables.isEmpty()) {
      throw new DatasetSpecException("tables must list at least one table");
    }
    var names = new HashSet<String>();
    for (TableSpec t : this.tables) {
      if (!names.add(t.name())) {
        throw new DatasetSpecException("table '" + t.name() + "' is declared twice");
      }
    }
    validateUnits();
    validateOneTimestamp();
  }

  /**
   * Builds a spec in Java.
   *
   * @param precision "ns", "us", "ms" or "s"
   * @param points the volume in points, or null for unbounded
   */
  public static DatasetSpec of(String name, String precision, TimeSpec time, Long points, List<TableSpec> tables) {
    return new DatasetSpec(name, Precision.parse("precision", precision), time, points == null ? -1 : points, tables);
  }

  /** Reads a YAML spec; errors name the file and the field. */
  public static DatasetSpec load(Path yamlFile) {
    String text;
    try {
      text = Files.readString(yamlFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DatasetSpecException(yamlFile + ": cannot read the spec file: " + e.getMessage(), e);
    }
    return parse(text, yamlFile.toString());
  }

  /** Parses YAML text; {@code sourceName} prefixes every error message. */
  public static DatasetSpec parse(String yaml, String sourceName) {
    try {
      return SpecReader.read(yaml);
    } catch (DatasetSpecException e) {
      throw new DatasetSpecException(sourceName + ": " + e.getMessage(), e);
    }
  }

  /** One of {@link #BUILTINS}, read from the classpath resource {@code datagen/specs/<name>.yaml}. */
  public static DatasetSpec builtin(String name) {
    String resource = "datagen/specs/" + name + ".yaml";
    try (InputStream in = DatasetSpec.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new DatasetSpecException("unknown built-in spec '" + name + "'; allowed: " + String.join(", ", BUILTINS));
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + resource);
    } catch (IOException e) {
      throw new DatasetSpecException("cannot read the built-in spec " + resource + ": " + e.getMessage(), e);
    }
  }

  /** A built-in name, or else a path to a YAML file. */
  public static DatasetSpec resolve(String nameOrPath) {
    if (BUILTINS.contains(nameOrPath)) {
      return builtin(nameOrPath);
    }
    Path p = Path.of(nameOrPath);
    if (!Files.isRegularFile(p)) {
      throw new DatasetSpecException(
          "spec '" + nameOrPath + "' is neither a built-in (" + String.join(", ", BUILTINS) + ") nor a readable file");
    }
    return load(p);
  }

  /** The same spec with another volume (points across all writers). */
  public DatasetSpec withPoints(long newPoints) {
    if (newPoints < 1) {
      throw new DatasetSpecException("points must be >= 1 (got " + newPoints + ")");
    }
    return new DatasetSpec(name, precision, time, newPoints, tables);
  }

  /** The same spec without a volume bound (for load that runs for a duration). */
  public DatasetSpec unbounded() {
    return new DatasetSpec(name, precision, time, -1, tables);
  }

  /**
   * The same spec restricted to the field types a target accepts. {@link FieldTypes#NO_UNSIGNED}
   * turns every unsigned field into a random signed integer field with the same bounds: the
   * generator draws both the same way from the same per-field key, so every value stays the same,
   * only the suffix changes from {@code u} to {@code i}.
   */
  public DatasetSpec withFieldTypes(FieldTypes types) {
    if (types == FieldTypes.ALL) {
      return this;
    }
    List<TableSpec> out = new ArrayList<>(tables.size());
    boolean changed = false;
    for (TableSpec t : tables) {
      List<FieldSpec> fields = new ArrayList<>(t.fields().size());
      for (FieldSpec f : t.fields()) {
        if (f instanceof FieldSpec.UnsignedField u) {
          fields.add(FieldSpec.IntegerField.random(u.name(), u.min(), u.max()));
          changed = true;
        } else {
          fields.add(f);
        }
      }
      out.add(new TableSpec(t.name(), t.tags(), fields, t.pointsPerInterval(), t.overwrite()));
    }
    return changed ? new DatasetSpec(name, precision, time, points, out) : this;
  }

  public String name() {
    return name;
  }

  /** "ns", "us", "ms" or "s". */
  public String precision() {
    return precision.label();
  }

  /** Length of one timestamp unit of {@link #precision()} in nanoseconds. */
  public long precisionNanos() {
    return precision.nanos;
  }

  Precision precisionEnum() {
    return precision;
  }

  public TimeSpec time() {
    return time;
  }

  /** Points across all writers, if bounded. */
  public OptionalLong points() {
    return points < 0 ? OptionalLong.empty() : OptionalLong.of(points);
  }

  public List<TableSpec> tables() {
    return tables;
  }

  /** Sum of the tables' series counts. */
  public long seriesCount() {
    long s = 0;
    for (TableSpec t : tables) {
      s = Math.addExact(s, t.seriesCount());
    }
    return s;
  }

  /** Points of all tables per interval: one "round" of the generator. */
  public long pointsPerRound() {
    long p = 0;
    for (TableSpec t : tables) {
      p = Math.addExact(p, t.effectivePointsPerInterval());
    }
    return p;
  }

  private void validateUnits() {
    precision.units("time.interval", time.interval());
    if (time.span() != null) {
      precision.units("time.span", time.span());
    }
    precision.units("time.jitter", time.jitter());
    precision.units("time.out_of_order.window", time.outOfOrderWindow());
    precision.units("time.late.max_lateness", time.maxLateness());
    precision.units("time.future.max_ahead", time.maxAhead());
    precision.units("time.clock_offset.max", time.clockOffsetMax());
    for (TableSpec t : tables) {
      for (FieldSpec f : t.fields()) {
        if (f instanceof FieldSpec.FloatField ff && ff.period() != null) {
          precision.units("table '" + t.name() + "' field '" + f.name() + "' period", ff.period());
        }
      }
    }
  }

  private void validateOneTimestamp() {
    TimeSpec.OneTimestamp mode = time.oneTimestamp();
    if (mode == TimeSpec.OneTimestamp.NONE) {
      return;
    }
    String label = "time.one_timestamp: " + mode.name().toLowerCase();
    for (TableSpec t : tables) {
      if (!t.enumeratesSeries()) {
        throw new DatasetSpecException(label + " needs every tag of table '" + t.name()
            + "' to be sequential (points at one timestamp must be distinct series)");
      }
    }
    if (mode == TimeSpec.OneTimestamp.RUN) {
      if (points < 0) {
        throw new DatasetSpecException(label + " needs a bounded volume (volume.points)");
      }
      long rounds = (points + pointsPerRound() - 1) / pointsPerRound();
      for (TableSpec t : tables) {
        if (rounds > 1 && rounds * t.effectivePointsPerInterval() > t.seriesCount()) {
          throw new DatasetSpecException(label + ": table '" + t.name() + "' has " + t.seriesCount()
              + " series but the volume " + points + " would repeat a series at the one timestamp; lower volume.points to <= "
              + (t.seriesCount() / t.effectivePointsPerInterval()) * pointsPerRound());
        }
      }
    }
  }

  @Override
  public String toString() {
    return "DatasetSpec[" + name + ", " + tables.size() + " tables, " + seriesCount() + " series, precision "
        + precision.label() + (points < 0 ? ", unbounded" : ", " + points + " points") + "]";
  }
}
