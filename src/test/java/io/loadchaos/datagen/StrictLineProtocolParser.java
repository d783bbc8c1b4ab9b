package io.loadchaos.datagen;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deliberately strict InfluxDB line-protocol parser for tests: it accepts only the escapes the
 * format defines for each element and rejects anything ambiguous (stray backslashes, empty tag
 * values, duplicate keys, NaN/Inf floats, trailing garbage).
 */
final class StrictLineProtocolParser {
  record Line(String measurement, Map<String, String> tags, Map<String, Object> fields, long timestamp) {}

  private final String s;
  private int i;

  private StrictLineProtocolParser(String line) {
    this.s = line;
  }

  static List<Line> parseAll(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    List<Line> out = new ArrayList<>();
    if (text.isEmpty()) {
      return out;
    }
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException("body does not end with a newline");
    }
    int n = 0;
    for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
      n++;
      try {
        out.add(parse(line));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + n + ": " + e.getMessage() + ": " + line, e);
      }
    }
    return out;
  }

  static Line parse(String line) {
    return new StrictLineProtocolParser(line).line();
  }

  private Line line() {
    String measurement = token(", ", ", ");
    if (measurement.isEmpty()) {
      throw new IllegalArgumentException("empty measurement");
    }
    Map<String, String> tags = new TreeMap<>();
    while (peek() == ',') {
      i++;
      String key = token(",= ", ",= ");
      expect('=');
      String value = token(",= ", ",= ");
      if (key.isEmpty() || value.isEmpty()) {
        throw new IllegalArgumentException("empty tag key or value");
      }
      if (tags.put(key, value) != null) {
        throw new IllegalArgumentException("duplicate tag " + key);
      }
    }
    expect(' ');
    Map<String, Object> fields = new LinkedHashMap<>();
    do {
      if (!fields.isEmpty()) {
        i++;
      }
      String key = token(",= ", ",= ");
      if (key.isEmpty()) {
        throw new IllegalArgumentException("empty field key");
      }
      expect('=');
      Object value = peek() == '"' ? quoted() : scalar();
      if (fields.put(key, value) != null) {
        throw new IllegalArgumentException("duplicate field " + key);
      }
    } while (peek() == ',');
    expect(' ');
    String ts = s.substring(i);
    if (!ts.matches("-?\\d+")) {
      throw new IllegalArgumentException("bad timestamp '" + ts + "'");
    }
    return new Line(measurement, tags, fields, Long.parseLong(ts));
  }

  /** Reads up to an unescaped stop character; a backslash may only escape one of {@code escapable}. */
  private String token(String stops, String escapable) {
    StringBuilder b = new StringBuilder();
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\') {
        if (i + 1 >= s.length() || escapable.indexOf(s.charAt(i + 1)) < 0) {
          throw new IllegalArgumentException("stray backslash at " + i);
        }
        b.append(s.charAt(i + 1));
        i += 2;
        continue;
      }
      if (stops.indexOf(c) >= 0) {
        break;
      }
      b.append(c);
      i++;
    }
    return b.toString();
  }

  private String quoted() {
    i++;
    StringBuilder b = new StringBuilder();
    while (true) {
      if (i >= s.length()) {
        throw new IllegalArgumentException("unterminated string");
      }
      char c = s.charAt(i);
      if (c == '\\') {
        char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
        if (next != '"' && next != '\\') {
          throw new IllegalArgumentException("bad escape in string at " + i);
        }
        b.append(next);
        i += 2;
      } else if (c == '"') {
        i++;
        return b.toString();
      } else {
        b.append(c);
        i++;
      }
    }
  }

  private Object scalar() {
    int start = i;
    while (i < s.length() && s.charAt(i) != ',' && s.charAt(i) != ' ') {
      i++;
    }
    String v = s.substring(start, i);
    if (v.equals("true") || v.equals("t") || v.equals("T") || v.equals("True") || v.equals("TRUE")) {
      return Boolean.TRUE;
    }
    if (v.equals("false") || v.equals("f") || v.equals("F") || v.equals("False") || v.equals("FALSE")) {
      return Boolean.FALSE;
    }
    if (v.matches("-?\\d+i")) {
      return Long.parseLong(v.substring(0, v.length() - 1));
    }
    if (v.matches("\\d+u")) {
      return Long.parseUnsignedLong(v.substring(0, v.length() - 1));
    }
    if (!v.matches("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?")) {
      throw new IllegalArgumentException("not a float, integer, unsigned or boolean: '" + v + "'");
    }
    double d = Double.parseDouble(v);
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("non-finite float " + v);
    }
    return d;
  }

  private char peek() {
    return i < s.length() ? s.charAt(i) : 0;
  }

  private void expect(char c) {
    if (peek() != c) {
      throw new IllegalArgumentException("expected '" + c + "' at " + i);
    }
    i++;
  }
}
