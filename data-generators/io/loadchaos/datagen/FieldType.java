package io.loadchaos.datagen;

/** The line-protocol field types. */
public enum FieldType {
  FLOAT,
  /** signed 64-bit, written with the {@code i} suffix. */
  INTEGER,
  /** unsigned 64-bit, written with the {@code u} suffix (generated values stay below 2^63). */
  UNSIGNED,
  BOOLEAN,
  STRING;

  static final String ALLOWED = "float, integer, unsigned, boolean, string";
}
