package io.loadchaos.config;

import java.util.function.Function;

/**
 * One run setting: read from {@code -Dloadchaos.<name>}, else env {@code LOADCHAOS_<NAME>}, else
 * its default. The parser throws {@link IllegalArgumentException} with what it accepts.
 */
public record Knob<T>(String name, String defaultValue, String accepts, String description,
    Function<String, T> parser) {

  public String property() {
    return "loadchaos." + name;
  }

  /** camelCase / dotted name to UPPER_SNAKE: {@code batchSize} -> {@code LOADCHAOS_BATCH_SIZE}. */
  public String envVar() {
    StringBuilder sb = new StringBuilder("LOADCHAOS_");
    for (char c : name.toCharArray()) {
      if (Character.isUpperCase(c)) sb.append('_').append(c);
      else if (c == '.' || c == '-') sb.append('_');
      else sb.append(Character.toUpperCase(c));
    }
    return sb.toString();
  }
}
