package io.loadchaos.datagen;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/**
 * One field of a table: its name, line-protocol type and how its values are generated. Values are
 * a pure function of (seed, table, point), so the read-back checker regenerates them exactly.
 */
public sealed interface FieldSpec {
  String name();

  FieldType type();

  /** How a float field varies. */
  enum FloatPattern {
    /** uniform in [min, max] on a grid of 10^-decimals. */
    RANDOM,
    /** min..max sine wave over the point's timestamp with the given period. */
    SINE;

    static final String ALLOWED = "random, sine";
  }

  /** How an integer field varies. */
  enum IntegerPattern {
    /** uniform in [min, max]. */
    RANDOM,
    /** min + the point's interval number: grows with time for every series. */
    COUNTER;

    static final String ALLOWED = "random, counter";
  }

  /**
   * A float, kept on a decimal grid (m / 10^decimals with integer m) so that it prints exactly
   * without allocating and parses back to the same double.
   */
  record FloatField(String name, FloatPattern pattern, double min, double max, int decimals, Duration period)
      implements FieldSpec {
    public FloatField {
      Names.checkName("field", name);
      String where = "field '" + name + "'";
      if (pattern == null) {
        throw new DatasetSpecException(where + ": pattern is required; allowed: " + FloatPattern.ALLOWED);
      }
      if (decimals < 0 || decimals > 9) {
        throw new DatasetSpecException(where + ": decimals must be in 0..9 (got " + decimals + ")");
      }
      if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
        throw new DatasetSpecException(where + ": min and max must be finite with min <= max (got " + min + ", " + max + ")");
      }
      double scale = Math.pow(10, decimals);
      if (Math.abs(min) * scale > 1e15 || Math.abs(max) * scale > 1e15) {
        throw new DatasetSpecException(where + ": |min|, |max| * 10^decimals must stay below 1e15 so values print exactly");
      }
      if (pattern == FloatPattern.SINE && (period == null || period.isZero() || period.isNegative())) {
        throw new DatasetSpecException(where + ": a sine pattern needs a positive period (e.g. period: 1h)");
      }
    }

    public static FloatField random(String name, double min, double max, int decimals) {
      return new FloatField(name, FloatPattern.RANDOM, min, max, decimals, null);
    }

    @Override
    public FieldType type() {
      return FieldType.FLOAT;
    }
  }

  /** A signed integer. */
  record IntegerField(String name, IntegerPattern pattern, long min, long max) implements FieldSpec {
    public IntegerField {
      Names.checkName("field", name);
      String where = "field '" + name + "'";
      if (pattern == null) {
        throw new DatasetSpecException(where + ": pattern is required; allowed: " + IntegerPattern.ALLOWED);
      }
      if (min > max) {
        throw new DatasetSpecException(where + ": min must be <= max (got " + min + ", " + max + ")");
      }
      if (pattern == IntegerPattern.RANDOM && max - min < 0) {
        throw new DatasetSpecException(where + ": max - min must fit in a signed 64-bit integer");
      }
    }

    public static IntegerField random(String name, long min, long max) {
      return new IntegerField(name, IntegerPattern.RANDOM, min, max);
    }

    @Override
    public FieldType type() {
      return FieldType.INTEGER;
    }
  }

  /** An unsigned integer, generated in [min, max] with 0 <= min <= max < 2^63. */
  record UnsignedField(String name, long min, long max) implements FieldSpec {
    public UnsignedField {
      Names.checkName("field", name);
      if (min < 0 || min > max) {
        throw new DatasetSpecException(
            "field '" + name + "': unsigned needs 0 <= min <= max <= " + Long.MAX_VALUE + " (got " + min + ", " + max + ")");
      }
    }

    @Override
    public FieldType type() {
      return FieldType.UNSIGNED;
    }
  }

  /** A boolean, true with the given probability. */
  record BooleanField(String name, double trueRatio) implements FieldSpec {
    public BooleanField {
      Names.checkName("field", name);
      if (!(trueRatio >= 0 && trueRatio <= 1)) {
        throw new DatasetSpecException("field '" + name + "': true_ratio must be in [0, 1] (got " + trueRatio + ")");
      }
    }

    @Override
    public FieldType type() {
      return FieldType.BOOLEAN;
    }
  }

  /**
   * A string: one of the listed values, or one of {@code cardinality} generated words of {@code
   * length} characters. Strings may contain quotes and backslashes (escaped in line protocol).
   */
  record StringField(String name, List<String> values, long cardinality, int length) implements FieldSpec {
    public StringField {
      Names.checkName("field", name);
      String where = "field '" + name + "'";
      values = values == null ? List.of() : List.copyOf(values);
      if (!values.isEmpty()) {
        var seen = new HashSet<String>();
        for (String v : values) {
          if (v == null) {
            throw new DatasetSpecException(where + ": values must be strings");
          }
          if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            throw new DatasetSpecException(where + ": value must not contain a newline");
          }
          if (!seen.add(v)) {
            throw new DatasetSpecException(where + ": value '" + v + "' is listed twice");
          }
        }
        cardinality = values.size();
      } else {
        if (cardinality < 1) {
          throw new DatasetSpecException(where + ": cardinality must be >= 1 (got " + cardinality + ")");
        }
        if (length < 1 || length > 4096) {
          throw new DatasetSpecException(where + ": length must be in 1..4096 (got " + length + ")");
        }
      }
    }

    @Override
    public FieldType type() {
      return FieldType.STRING;
    }
  }
}
