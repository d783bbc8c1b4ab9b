package io.loadchaos.datagen;

import java.util.HashSet;
import java.util.List;

/**
 * One table (measurement). Its series are the cross product of its tags' values, so the series
 * count is the product of the cardinalities; series are computed from a point's index, never stored.
 *
 * @param tags in declaration order: the first tag varies slowest in the series enumeration
 * @param pointsPerInterval points of this table per interval; 0 means one per series
 * @param overwrite keys this table writes twice on purpose ({@link OverwriteSpec#NONE}: none)
 */
public record TableSpec(
    String name, List<TagSpec> tags, List<FieldSpec> fields, long pointsPerInterval, OverwriteSpec overwrite) {

  public TableSpec(String name, List<TagSpec> tags, List<FieldSpec> fields, long pointsPerInterval) {
    this(name, tags, fields, pointsPerInterval, OverwriteSpec.NONE);
  }

  public TableSpec {
    overwrite = overwrite == null ? OverwriteSpec.NONE : overwrite;
    Names.checkName("table", name);
    String where = "table '" + name + "'";
    tags = tags == null ? List.of() : List.copyOf(tags);
    fields = fields == null ? List.of() : List.copyOf(fields);
    if (fields.isEmpty()) {
      throw new DatasetSpecException(where + ": fields must list at least one field (line protocol needs one)");
    }
    var names = new HashSet<String>();
    for (TagSpec t : tags) {
      if (!names.add(t.name())) {
        throw new DatasetSpecException(where + ": tag '" + t.name() + "' is declared twice");
      }
    }
    for (FieldSpec f : fields) {
      if (!names.add(f.name())) {
        throw new DatasetSpecException(where + ": '" + f.name() + "' is declared twice (tag and field names share one column namespace)");
      }
    }
    if (names.contains("time")) {
      throw new DatasetSpecException(where + ": 'time' is reserved for the timestamp column");
    }
    long series = 1;
    for (TagSpec t : tags) {
      try {
        series = Math.multiplyExact(series, t.cardinality());
      } catch (ArithmeticException e) {
        throw new DatasetSpecException(where + ": the product of tag cardinalities overflows 2^63");
      }
    }
    if (pointsPerInterval < 0) {
      throw new DatasetSpecException(where + ": points_per_interval must be >= 0 (got " + pointsPerInterval + ")");
    }
    if (pointsPerInterval > series && tags.stream().allMatch(t -> t.distribution() == Distribution.SEQUENTIAL)) {
      throw new DatasetSpecException(
          where + ": points_per_interval " + pointsPerInterval + " exceeds the series count " + series
              + " (with sequential tags each series appears at most once per interval)");
    }
  }

  public static TableSpec of(String name, List<TagSpec> tags, List<FieldSpec> fields) {
    return new TableSpec(name, tags, fields, 0);
  }

  /** Product of the tag cardinalities. */
  public long seriesCount() {
    long s = 1;
    for (TagSpec t : tags) {
      s *= t.cardinality();
    }
    return s;
  }

  /** Points of this table per interval. */
  public long effectivePointsPerInterval() {
    return pointsPerInterval == 0 ? seriesCount() : pointsPerInterval;
  }

  /** Names of the tags designated as shard keys, in declaration order. */
  public List<String> shardKeys() {
    return tags.stream().filter(TagSpec::shardKey).map(TagSpec::name).toList();
  }

  /**
   * True when every tag is sequential: each interval then enumerates distinct series, which is
   * what lets many points share one timestamp.
   */
  public boolean enumeratesSeries() {
    return tags.stream().allMatch(t -> t.distribution() == Distribution.SEQUENTIAL);
  }
}
