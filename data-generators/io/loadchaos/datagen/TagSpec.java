package io.loadchaos.datagen;

import java.util.HashSet;
import java.util.List;

/**
 * One tag of a table. Values are either an explicit list or {@code prefix + index} for index in
 * [0, cardinality); the value of a point is computed from the point, never stored per series.
 *
 * @param values explicit values (then cardinality is their count), or an empty list
 * @param zipfExponent the exponent s of a ZIPF distribution (ignored otherwise)
 * @param shardKey whether the cluster should hash-partition the table on this tag
 */
public record TagSpec(
    String name,
    long cardinality,
    Distribution distribution,
    double zipfExponent,
    String prefix,
    List<String> values,
    boolean shardKey) {

  public TagSpec {
    Names.checkName("tag", name);
    String where = "tag '" + name + "'";
    if (distribution == null) {
      throw new DatasetSpecException(where + ": distribution is required; allowed: " + Distribution.ALLOWED);
    }
    values = values == null ? List.of() : List.copyOf(values);
    prefix = prefix == null ? "" : prefix;
    Names.checkText(where + " prefix", prefix);
    if (!values.isEmpty()) {
      if (cardinality != 0 && cardinality != values.size()) {
        throw new DatasetSpecException(
            where + ": cardinality " + cardinality + " differs from the " + values.size() + " listed values");
      }
      cardinality = values.size();
      var seen = new HashSet<String>();
      for (String v : values) {
        if (v == null || v.isEmpty()) {
          throw new DatasetSpecException(where + ": values must be non-empty strings (line protocol has no empty tag values)");
        }
        Names.checkText(where + " value '" + v + "'", v);
        if (!seen.add(v)) {
          throw new DatasetSpecException(where + ": value '" + v + "' is listed twice; values must be distinct");
        }
      }
    }
    if (cardinality < 1) {
      throw new DatasetSpecException(where + ": cardinality must be >= 1 (got " + cardinality + ")");
    }
    if (distribution == Distribution.ZIPF && !(zipfExponent > 0 && zipfExponent <= 10)) {
      throw new DatasetSpecException(where + ": exponent must be in (0, 10] for a zipf distribution (got " + zipfExponent + ")");
    }
  }

  public static TagSpec sequential(String name, long cardinality) {
    return new TagSpec(name, cardinality, Distribution.SEQUENTIAL, 0, "", List.of(), false);
  }

  public static TagSpec uniform(String name, long cardinality) {
    return new TagSpec(name, cardinality, Distribution.UNIFORM, 0, "", List.of(), false);
  }

  public static TagSpec zipf(String name, long cardinality, double exponent) {
    return new TagSpec(name, cardinality, Distribution.ZIPF, exponent, "", List.of(), false);
  }

  public static TagSpec ofValues(String name, Distribution distribution, List<String> values) {
    return new TagSpec(name, 0, distribution, distribution == Distribution.ZIPF ? 1.0 : 0, "", values, false);
  }

  public TagSpec withPrefix(String newPrefix) {
    return new TagSpec(name, cardinality, distribution, zipfExponent, newPrefix, values, shardKey);
  }

  public TagSpec withZipfExponent(double s) {
    return new TagSpec(name, cardinality, distribution, s, prefix, values, shardKey);
  }

  public TagSpec asShardKey() {
    return new TagSpec(name, cardinality, distribution, zipfExponent, prefix, values, true);
  }

  /** The (unescaped) value with the given index. */
  public String value(long index) {
    return values.isEmpty() ? prefix + index : values.get((int) index);
  }
}
