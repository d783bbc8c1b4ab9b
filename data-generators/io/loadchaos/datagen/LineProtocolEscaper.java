package io.loadchaos.datagen;

import java.nio.charset.StandardCharsets;

/**
 * InfluxDB line-protocol escaping, applied once per name or literal value when a generator is
 * built (never per line): measurement escapes comma and space; tag keys, tag values and field keys
 * escape comma, equals and space; string field values escape double quote and backslash.
 */
public final class LineProtocolEscaper {
  private LineProtocolEscaper() {}

  public static String measurement(String s) {
    return escape(s, ", ");
  }

  /** For tag keys, tag values and field keys. */
  public static String key(String s) {
    return escape(s, ",= ");
  }

  /** The inside of a quoted string field value. */
  public static String stringValue(String s) {
    return escape(s, "\"\\");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String escape(String s, String special) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (special.indexOf(c) >= 0) {
        if (b == null) {
          b = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        b.append('\\');
      }
      if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }
}
