package io.loadchaos.datagen;

import java.time.Duration;

/** Line-protocol timestamp precisions and their unit in nanoseconds. */
enum Precision {
  NS(1L),
  US(1_000L),
  MS(1_000_000L),
  S(1_000_000_000L);

  static final String ALLOWED = "ns, us, ms, s";

  final long nanos;

  Precision(long nanos) {
    this.nanos = nanos;
  }

  String label() {
    return name().toLowerCase();
  }

  static Precision parse(String field, String text) {
    if (text != null) {
      for (Precision p : values()) {
        if (p.label().equals(text)) {
          return p;
        }
      }
    }
    throw new DatasetSpecException(field + ": unknown precision '" + text + "'; allowed: " + ALLOWED);
  }

  /** The duration in whole units of this precision; fails naming the field when it is not whole. */
  long units(String field, Duration d) {
    long n = d.toNanos();
    if (n % nanos != 0) {
      throw new DatasetSpecException(field + " (" + d + ") is not a whole number of " + label() + " (the spec's precision)");
    }
    return n / nanos;
  }
}
