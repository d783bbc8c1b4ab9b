package io.loadchaos.datagen;

import java.util.Locale;

/**
 * Which line-protocol field types a target accepts. InfluxDB 1.x (without its uint build flag)
 * rejects unsigned integers ({@code 123u}: "invalid number"); every InfluxDB accepts the other types,
 * so unsigned is the only type worth restricting.
 */
public enum FieldTypes {
  /** Every type of the spec, as declared. */
  ALL("all"),
  /** Unsigned fields are written as signed integers ({@code 123i}) with the same values (all below 2^63). */
  NO_UNSIGNED("no-unsigned");

  public static final String ALLOWED = "all, no-unsigned";

  private final String label;

  FieldTypes(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** {@code all} or {@code no-unsigned}; the error names what is accepted. */
  public static FieldTypes parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (FieldTypes f : values()) {
      if (f.label.equals(t)) {
        return f;
      }
    }
    throw new DatasetSpecException("field types: unknown value '" + text + "'; allowed: " + ALLOWED);
  }
}
