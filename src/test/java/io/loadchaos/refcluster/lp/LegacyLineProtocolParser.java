package io.loadchaos.refcluster.lp;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * InfluxDB line protocol: {@code measurement[,tag=v...] field=v[,field=v...] [timestamp]}, with
 * backslash escapes (comma, space, equals; quote and backslash inside string fields), the i/u
 * integer suffixes, the boolean spellings and '#' comments. Every bad line yields a {@link
 * LineError} naming what was expected; good lines are kept (partial writes are the caller's choice).
 */
/** The String-based parser before the byte[] rewrite, kept as the reference for parity tests. */
final class LegacyLineProtocolParser {
  private static final int MAX_REPORTED_LINE = 1024;

  private LegacyLineProtocolParser() {}

  static ParseResult parse(String body, Precision precision, long defaultTimeNs) {
    ParseResult result = new ParseResult();
    
    int len = body.length();
    int lineNo = 0;
    int pos = 0;
    Cursor cur = new Cursor();
    while (pos <= len) {
      int end = body.indexOf('\n', pos);
      if (end < 0) {
        end = len;
      }
      lineNo++;
      int lineEnd = end;
      if (lineEnd > pos && body.charAt(lineEnd - 1) == '\r') {
        lineEnd--;
      }
      int start = pos;
      while (start < lineEnd && (body.charAt(start) == ' ' || body.charAt(start) == '\t')) {
        start++;
      }
      if (start < lineEnd && body.charAt(start) != '#') {
        result.countLine();
        try {
          cur.reset(body, start, lineEnd);
          result.addPoint(parseLine(cur, precision, defaultTimeNs), lineNo, pos, lineEnd);
        } catch (LineException e) {
          String original = body.substring(pos, Math.min(lineEnd, pos + MAX_REPORTED_LINE));
          result.addError(new LineError(lineNo, original, e.getMessage()));
        }
      }
      pos = end + 1;
    }
    return result;
  }

  private static Point parseLine(Cursor c, Precision precision, long defaultTimeNs) {
    String measurement = c.readToken(true);
    if (measurement.isEmpty()) {
      throw new LineException("missing measurement name at start of line");
    }
    String[] tagKeys = NO_STRINGS;
    String[] tagValues = NO_STRINGS;
    if (c.peek() == ',') {
      ArrayList<String> keys = c.tagKeys;
      ArrayList<String> values = c.tagValues;
      keys.clear();
      values.clear();
      while (c.peek() == ',') {
        c.pos++;
        String k = c.readToken(false);
        if (k.isEmpty()) {
          throw new LineException("empty tag key after ',' in measurement '" + measurement + "'");
        }
        if (c.peek() != '=') {
          throw new LineException("tag '" + k + "': expected '=' followed by a value");
        }
        c.pos++;
        String v = c.readToken(false);
        if (v.isEmpty()) {
          throw new LineException("tag '" + k + "': empty value");
        }
        if (k.equals("time")) {
          throw new LineException("tag key 'time' is reserved for the timestamp");
        }
        keys.add(k);
        values.add(v);
      }
      tagKeys = keys.toArray(NO_STRINGS);
      tagValues = values.toArray(NO_STRINGS);
      sortTags(tagKeys, tagValues);
    }
    if (c.peek() != ' ') {
      throw new LineException(
          c.atEnd()
              ? "line ends after the series key: expected a space and at least one field"
              : "expected a space after the series key, found '" + c.peek() + "'");
    }
    c.skipSpaces();
    ArrayList<String> names = c.names;
    ArrayList<FieldType> types = c.types;
    ArrayList<Object> values = c.values;
    names.clear();
    types.clear();
    values.clear();
    while (true) {
      String name = c.readToken(false);
      if (name.isEmpty()) {
        throw new LineException("expected a field name at column " + c.column());
      }
      if (c.peek() != '=') {
        throw new LineException("field '" + name + "': expected '=' followed by a value");
      }
      c.pos++;
      if (name.equals("time")) {
        throw new LineException("field name 'time' is reserved for the timestamp");
      }
      int existing = names.indexOf(name);
      parseFieldValue(c, name, types, values);
      if (existing >= 0) {
        // a repeated field inside one line: the last value wins
        names.remove(existing);
        types.remove(existing);
        values.remove(existing);
      }
      names.add(name);
      if (c.peek() == ',') {
        c.pos++;
        continue;
      }
      break;
    }
    long timeNs = defaultTimeNs;
    if (!c.atEnd()) {
      if (c.peek() != ' ') {
        throw new LineException(
            "unexpected '" + c.peek() + "' after field '" + names.get(names.size() - 1) + "': expected ',', a space or end of line");
      }
      c.skipSpaces();
      if (!c.atEnd()) {
        int tsStart = c.pos;
        while (!c.atEnd() && c.peek() != ' ') {
          c.pos++;
        }
        String ts = c.s.substring(tsStart, c.pos);
        c.skipSpaces();
        if (!c.atEnd()) {
          throw new LineException("unexpected text after timestamp '" + ts + "'");
        }
        long raw;
        try {
          raw = Long.parseLong(ts);
        } catch (NumberFormatException e) {
          throw new LineException("invalid timestamp '" + ts + "': expected an integer");
        }
        try {
          timeNs = precision.toNanos(raw);
        } catch (ArithmeticException e) {
          throw new LineException("timestamp '" + ts + "' out of range for precision " + precision);
        }
      }
    }
    return new Point(
        measurement,
        tagKeys,
        tagValues,
        names.toArray(NO_STRINGS),
        types.toArray(NO_TYPES),
        values.toArray(),
        timeNs);
  }

  private static void parseFieldValue(
      Cursor c, String name, ArrayList<FieldType> types, ArrayList<Object> values) {
    if (c.atEnd()) {
      throw new LineException("field '" + name + "': missing value");
    }
    char ch = c.peek();
    if (ch == '"') {
      c.pos++;
      StringBuilder sb = null;
      int start = c.pos;
      while (true) {
        if (c.atEnd()) {
          throw new LineException("field '" + name + "': unterminated string value");
        }
        char x = c.s.charAt(c.pos);
        if (x == '\\' && c.pos + 1 < c.end) {
          char n = c.s.charAt(c.pos + 1);
          if (n == '"' || n == '\\') {
            if (sb == null) {
              sb = new StringBuilder();
            }
            sb.append(c.s, start, c.pos).append(n);
            c.pos += 2;
            start = c.pos;
            continue;
          }
        }
        if (x == '"') {
          String v = sb == null ? c.s.substring(start, c.pos) : sb.append(c.s, start, c.pos).toString();
          c.pos++;
          types.add(FieldType.STRING);
          values.add(v);
          return;
        }
        c.pos++;
      }
    }
    int start = c.pos;
    while (!c.atEnd() && c.peek() != ',' && c.peek() != ' ') {
      c.pos++;
    }
    int end = c.pos;
    if (end == start) {
      throw new LineException("field '" + name + "': missing value");
    }
    String s = c.s;
    char last = s.charAt(end - 1);
    try {
      if (last == 'i') {
        values.add(Long.parseLong(s, start, end - 1, 10));
        types.add(FieldType.INTEGER);
        return;
      }
      if (last == 'u') {
        values.add(Long.parseUnsignedLong(s, start, end - 1, 10));
        types.add(FieldType.UINTEGER);
        return;
      }
    } catch (NumberFormatException e) {
      throw new LineException(
          "field '" + name + "': invalid " + (last == 'i' ? "integer" : "unsigned integer") + " value '" + s.substring(start, end) + "'");
    }
    char first = s.charAt(start);
    if (first == 't' || first == 'T' || first == 'f' || first == 'F') {
      Boolean b = parseBoolean(s, start, end);
      if (b == null) {
        throw new LineException("field '" + name + "': invalid value '" + s.substring(start, end)
            + "': expected a number, 123i, 123u, a boolean or a \"string\"");
      }
      types.add(FieldType.BOOLEAN);
      values.add(b);
      return;
    }
    if (!(first == '-' || first == '+' || first == '.' || (first >= '0' && first <= '9'))) {
      throw new LineException("field '" + name + "': invalid value '" + s.substring(start, end)
          + "': expected a number, 123i, 123u, a boolean or a \"string\"");
    }
    double d = fastDecimal(s, start, end);
    if (Double.isNaN(d)) {
      try {
        d = Double.parseDouble(s.substring(start, end));
      } catch (NumberFormatException e) {
        d = Double.NaN;
      }
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new LineException("field '" + name + "': invalid float value '" + s.substring(start, end) + "'");
      }
    }
    types.add(FieldType.FLOAT);
    values.add(d);
  }

  private static Boolean parseBoolean(String s, int start, int end) {
    int len = end - start;
    if (len == 1) {
      char ch = s.charAt(start);
      return ch == 't' || ch == 'T' ? Boolean.TRUE : ch == 'f' || ch == 'F' ? Boolean.FALSE : null;
    }
    for (String t : TRUE) {
      if (t.length() == len && s.regionMatches(start, t, 0, len)) {
        return Boolean.TRUE;
      }
    }
    for (String f : FALSE) {
      if (f.length() == len && s.regionMatches(start, f, 0, len)) {
        return Boolean.FALSE;
      }
    }
    return null;
  }

  private static final String[] TRUE = {"true", "True", "TRUE"};
  private static final String[] FALSE = {"false", "False", "FALSE"};
  private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
      1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

  /**
   * Exact fast path for plain decimals ([-+]digits[.digits], at most 15 significant digits): an
   * integer below 2^53 divided by an exact power of ten is correctly rounded. NaN means "use
   * Double.parseDouble" (exponents, long mantissas, anything unusual).
   */
  static double fastDecimal(String s, int start, int end) {
    int i = start;
    boolean negative = false;
    char ch = s.charAt(i);
    if (ch == '-' || ch == '+') {
      negative = ch == '-';
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int fraction = -1;
    for (; i < end; i++) {
      ch = s.charAt(i);
      if (ch >= '0' && ch <= '9') {
        mantissa = mantissa * 10 + (ch - '0');
        if (mantissa != 0) {
          digits++;
        }
        if (fraction >= 0) {
          fraction++;
        }
      } else if (ch == '.' && fraction < 0) {
        fraction = 0;
      } else {
        return Double.NaN;
      }
    }
    if (digits > 15 || (fraction < 0 && i == start) || fraction > 22 || end - start - (negative || s.charAt(start) == '+' ? 1 : 0) == (fraction >= 0 ? 1 : 0)) {
      return Double.NaN;
    }
    double v = fraction > 0 ? mantissa / POW10[fraction] : (double) mantissa;
    return negative ? -v : v;
  }

  private static void sortTags(String[] keys, String[] values) {
    for (int i = 1; i < keys.length; i++) {
      if (keys[i - 1].compareTo(keys[i]) > 0) {
        Integer[] idx = new Integer[keys.length];
        for (int j = 0; j < idx.length; j++) {
          idx[j] = j;
        }
        Arrays.sort(idx, (a, b) -> keys[a].compareTo(keys[b]));
        String[] k2 = new String[keys.length];
        String[] v2 = new String[keys.length];
        for (int j = 0; j < idx.length; j++) {
          k2[j] = keys[idx[j]];
          v2[j] = values[idx[j]];
        }
        System.arraycopy(k2, 0, keys, 0, keys.length);
        System.arraycopy(v2, 0, values, 0, values.length);
        break;
      }
    }
    for (int i = 1; i < keys.length; i++) {
      if (keys[i - 1].equals(keys[i])) {
        throw new LineException("duplicate tag key '" + keys[i] + "'");
      }
    }
  }

  private static final String[] NO_STRINGS = new String[0];
  private static final FieldType[] NO_TYPES = new FieldType[0];

  /** Why one line was rejected. */
  static final class LineException extends RuntimeException {
    LineException(String message) {
      super(message, null, false, false);
    }
  }

  /** Position inside one line. */
  private static final class Cursor {
    // scratch lists reused for every line of a request
    final ArrayList<String> tagKeys = new ArrayList<>(8);
    final ArrayList<String> tagValues = new ArrayList<>(8);
    final ArrayList<String> names = new ArrayList<>(8);
    final ArrayList<FieldType> types = new ArrayList<>(8);
    final ArrayList<Object> values = new ArrayList<>(8);
    String s;
    int pos;
    int end;
    int lineStart;

    void reset(String s, int start, int end) {
      this.s = s;
      this.pos = start;
      this.end = end;
      this.lineStart = start;
    }

    boolean atEnd() {
      return pos >= end;
    }

    char peek() {
      return pos < end ? s.charAt(pos) : '\0';
    }

    int column() {
      return pos - lineStart + 1;
    }

    void skipSpaces() {
      while (pos < end && s.charAt(pos) == ' ') {
        pos++;
      }
    }

    /**
     * Reads an unquoted identifier up to an unescaped delimiter. The measurement stops at ',' or
     * ' '; keys and tag values also stop at '='. Backslash escapes those delimiters.
     */
    String readToken(boolean measurement) {
      int start = pos;
      StringBuilder sb = null;
      while (pos < end) {
        char ch = s.charAt(pos);
        if (ch == '\\' && pos + 1 < end) {
          char n = s.charAt(pos + 1);
          if (n == ',' || n == ' ' || n == '=' || n == '\\') {
            if (sb == null) {
              sb = new StringBuilder();
            }
            sb.append(s, start, pos).append(n);
            pos += 2;
            start = pos;
            continue;
          }
        }
        if (ch == ',' || ch == ' ' || (!measurement && ch == '=')) {
          break;
        }
        pos++;
      }
      return sb == null ? s.substring(start, pos) : sb.append(s, start, pos).toString();
    }
  }
}
