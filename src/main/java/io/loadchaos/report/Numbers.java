package io.loadchaos.report;

import java.util.Locale;

/** How reports print measured numbers: integers as integers, large values rounded, small ones to 4 digits. */
public final class Numbers {
  private Numbers() {}

  public static String fmt(double v) {
    if (Double.isNaN(v)) return "n/a";
    if (Double.isInfinite(v)) return v > 0 ? "never" : "-inf";
    if (Math.abs(v) >= 1000 || v == Math.rint(v)) return Long.toString(Math.round(v));
    String s = String.format(Locale.ROOT, "%.4g", v);
    if (s.contains("e")) return s;
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }
}
