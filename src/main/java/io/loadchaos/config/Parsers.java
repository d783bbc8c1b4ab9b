package io.loadchaos.config;

import io.loadchaos.tls.Pem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Value parsers for knobs. Each throws IllegalArgumentException saying what it expected. */
public final class Parsers {
  private Parsers() {}

  public static Function<String, Integer> intRange(int min, int max) {
    return s -> {
      try {
        int v = Integer.parseInt(s.trim());
        if (v < min || v > max) throw new IllegalArgumentException();
        return v;
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("expected an integer in [" + min + ", " + max + "]");
      }
    };
  }

  public static Function<String, Long> longRange(long min, long max) {
    return s -> {
      try {
        long v = Long.parseLong(s.trim());
        if (v < min || v > max) throw new IllegalArgumentException();
        return v;
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("expected an integer in [" + min + ", " + max + "]");
      }
    };
  }

  public static Function<String, Double> doubleRange(double min, double max) {
    return s -> {
      try {
        double v = Double.parseDouble(s.trim());
        if (!(v >= min && v <= max)) throw new IllegalArgumentException();
        return v;
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("expected a number in [" + min + ", " + max + "]");
      }
    };
  }

  public static Function<String, Boolean> bool() {
    return s -> switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  public static Function<String, String> oneOf(String... allowed) {
    return s -> {
      String v = s.trim().toLowerCase(Locale.ROOT);
      if (Arrays.asList(allowed).contains(v)) return v;
      throw new IllegalArgumentException("expected one of " + String.join(", ", allowed));
    };
  }

  public static Function<String, String> text() {
    return String::trim;
  }

  public static Function<String, List<String>> list() {
    return s -> s.isBlank()
        ? List.of()
        : Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  /** Whitespace-separated words (JVM flags may hold commas, e.g. -Xlog:gc*:file=gc.log:uptime,level). */
  public static Function<String, List<String>> words() {
    return s -> s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
  }

  /** Empty, or the path of a PEM file of one or more X.509 certificates (checked now, so a bad file stops the run at start). */
  public static Function<String, String> pemCertificatesFile() {
    return s -> {
      String path = s.trim();
      if (!path.isEmpty()) Pem.certificates(Path.of(path));
      return path;
    };
  }

    /** Durations such as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
  public static Function<String, Duration> duration() {
    return s -> parseDuration(s);
  }

  /** A duration of at least {@code min}. */
  public static Function<String, Duration> minDuration(Duration min) {
    return s -> {
      Duration d = parseDuration(s);
      if (d.compareTo(min) < 0) throw new IllegalArgumentException("expected a duration of at least " + min.toMillis() + "ms");
      return d;
    };
  }

  public static Duration parseDuration(String raw) {
    String s = raw.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      if (s.endsWith("s")) return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
      if (s.endsWith("m")) return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
      if (s.endsWith("h")) return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
      return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a duration like 500ms, 30s, 2m or 1h");
    }
  }
}
