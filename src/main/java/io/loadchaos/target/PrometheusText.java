package io.loadchaos.target;

import java.util.LinkedHashMap;
import java.util.Map;

/** Minimal reader of the Prometheus text exposition format: samples only, no metadata. */
public final class PrometheusText {
  private PrometheusText() {}

  /** Maps both {@code name{labels}} and {@code name} (sum over label sets) to values. */
  public static Map<String, Double> parse(String text) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      int brace = line.indexOf('{');
      int space = brace >= 0 ? line.indexOf(' ', line.indexOf('}', brace)) : line.indexOf(' ');
      if (space < 0) continue;
      String series = line.substring(0, space);
      String name = brace >= 0 && brace < space ? line.substring(0, brace) : series;
      String[] rest = line.substring(space + 1).strip().split("\\s+");
      double v;
      try {
        v = Double.parseDouble(rest[0]);
      } catch (NumberFormatException e) {
        continue;
      }
      out.put(series, v);
      if (!series.equals(name)) out.merge(name, v, Double::sum);
    }
    return out;
  }
}
