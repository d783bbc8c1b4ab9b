package io.loadchaos.refcluster.lp;

/**
 * Writes points back as canonical line protocol with nanosecond timestamps. Used for the WAL,
 * replication and query fragments, so one parser reads every byte a node stores or sends.
 */
public final class LineProtocolWriter {
  private LineProtocolWriter() {}

  public static void appendSeriesKey(StringBuilder sb, String measurement, String[] tagKeys, String[] tagValues) {
    escape(sb, measurement, true);
    for (int i = 0; i < tagKeys.length; i++) {
      sb.append(',');
      escape(sb, tagKeys[i], false);
      sb.append('=');
      escape(sb, tagValues[i], false);
    }
  }

  /** Appends one line (with trailing newline) given an already escaped series key. */
  public static void appendLine(
      StringBuilder sb, String seriesKey, String[] fieldNames, FieldType[] types, Object[] values, long timeNs) {
    sb.append(seriesKey).append(' ');
    boolean first = true;
    for (int i = 0; i < fieldNames.length; i++) {
      if (values[i] == null) {
        continue;
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      escape(sb, fieldNames[i], false);
      sb.append('=');
      appendValue(sb, types[i], values[i]);
    }
    sb.append(' ').append(timeNs).append('\n');
  }

  public static void appendPoint(StringBuilder sb, Point p) {
    int start = sb.length();
    appendSeriesKey(sb, p.measurement(), p.tagKeys(), p.tagValues());
    String key = sb.substring(start);
    sb.setLength(start);
    appendLine(sb, key, p.fieldNames(), p.fieldTypes(), p.fieldValues(), p.timeNs());
  }

  static void appendValue(StringBuilder sb, FieldType type, Object v) {
    switch (type) {
      case FLOAT:
        double d = (Double) v;
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
          sb.append((long) d);
        } else {
          sb.append(d);
        }
        break;
      case INTEGER:
        sb.append((long) (Long) v).append('i');
        break;
      case UINTEGER:
        sb.append(Long.toUnsignedString((Long) v)).append('u');
        break;
      case BOOLEAN:
        sb.append(((Boolean) v) ? 't' : 'f');
        break;
      case STRING:
        sb.append('"');
        String s = (String) v;
        for (int i = 0; i < s.length(); i++) {
          char c = s.charAt(i);
          if (c == '"' || c == '\\') {
            sb.append('\\');
          }
          sb.append(c);
        }
        sb.append('"');
        break;
      default:
        throw new IllegalStateException("unknown field type " + type);
    }
  }

  private static void escape(StringBuilder sb, String s, boolean measurement) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ',' || c == ' ' || (!measurement && c == '=') || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
  }
}
