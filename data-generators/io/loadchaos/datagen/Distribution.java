package io.loadchaos.datagen;

/** How points pick the values of one tag. */
public enum Distribution {
  /** value = position of the point in the table's series enumeration (nested loops). */
  SEQUENTIAL,
  /** every value equally likely, seeded per point. */
  UNIFORM,
  /** value k (1-based) with probability proportional to 1/k^s, seeded per point. */
  ZIPF;

  static final String ALLOWED = "sequential, uniform, zipf";
}
