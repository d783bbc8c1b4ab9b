package io.loadchaos.refcluster.lp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * InfluxDB line protocol: {@code measurement[,tag=v...] field=v[,field=v...] [timestamp]}, with
 * backslash escapes (comma, space, equals; quote and backslash inside string fields), the i/u
 * integer suffixes, the boolean spellings and '#' comments. Every bad line yields a {@link
 * LineError} naming what was expected; good lines are kept (partial writes are the caller's choice).
 *
 * <p>Parses the UTF-8 request body directly: every delimiter is ASCII and UTF-8 never uses ASCII
 * bytes inside a multi-byte character, so the bytes can be scanned without decoding. Unescaped
 * measurement names, tag keys, tag values and field names are interned through a per-thread
 * {@link TokenCache} keyed by their bytes, so a batch of similar lines allocates almost nothing
 * but the points themselves; consecutive lines with the same tag keys, tag values or field layout
 * share those arrays.
 */
public final class LineProtocolParser {
  private static final int MAX_REPORTED_LINE = 1024;

  private LineProtocolParser() {}

  public static ParseResult parse(String body, Precision precision, long defaultTimeNs) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return parse(bytes, 0, bytes.length, precision, defaultTimeNs);
  }

  public static ParseResult parse(byte[] body, Precision precision, long defaultTimeNs) {
    return parse(body, 0, body.length, precision, defaultTimeNs);
  }

  /** Parses {@code body[off, off+len)} as UTF-8 line protocol. */
  public static ParseResult parse(byte[] body, int off, int len, Precision precision, long defaultTimeNs) {
    ParseResult result = new ParseResult();
    result.body(body);
    int limit = off + len;
    int lineNo = 0;
    int pos = off;
    Cursor cur = CURSORS.get();
    cur.startBody();
    try {
      while (pos <= limit) {
        int end = indexOfNewline(body, pos, limit);
        lineNo++;
        int lineEnd = end;
        if (lineEnd > pos && body[lineEnd - 1] == '\r') {
          lineEnd--;
        }
        int start = pos;
        while (start < lineEnd && (body[start] == ' ' || body[start] == '\t')) {
          start++;
        }
        if (start < lineEnd && body[start] != '#') {
          result.countLine();
          try {
            cur.reset(body, start, lineEnd);
            result.addPoint(parseLine(cur, precision, defaultTimeNs), lineNo, pos, lineEnd);
          } catch (LineException e) {
            result.addError(new LineError(lineNo, ParseResult.text(body, pos, lineEnd, MAX_REPORTED_LINE), e.getMessage()));
            cur.forgetPrevious();
          }
        }
        pos = end + 1;
      }
    } finally {
      cur.s = null;
    }
    return result;
  }

  private static int indexOfNewline(byte[] b, int from, int limit) {
    for (int i = from; i < limit; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return limit;
  }

  private static final ThreadLocal<Cursor> CURSORS = ThreadLocal.withInitial(Cursor::new);

  private static Point parseLine(Cursor c, Precision precision, long defaultTimeNs) {
    String measurement = c.readToken(true);
    if (measurement.isEmpty()) {
      throw new LineException("missing measurement name at start of line");
    }
    String[] tagKeys = NO_STRINGS;
    String[] tagValues = NO_STRINGS;
    if (c.peekByte() == ',') {
      String[] keys = c.tagKeys;
      String[] values = c.tagValues;
      int n = 0;
      while (c.peekByte() == ',') {
        c.pos++;
        String k = c.readToken(false);
        if (k.isEmpty()) {
          throw new LineException("empty tag key after ',' in measurement '" + measurement + "'");
        }
        if (c.peekByte() != '=') {
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
        if (n == keys.length) {
          keys = c.tagKeys = Arrays.copyOf(keys, n * 2);
          values = c.tagValues = Arrays.copyOf(values, n * 2);
        }
        keys[n] = k;
        values[n] = v;
        n++;
      }
      sortTags(keys, values, n);
      tagKeys = c.prevTagKeys != null && sameRefs(c.prevTagKeys, keys, n) ? c.prevTagKeys : Arrays.copyOf(keys, n);
      tagValues = c.prevTagValues != null && sameRefs(c.prevTagValues, values, n) ? c.prevTagValues : Arrays.copyOf(values, n);
    }
    if (c.peekByte() != ' ') {
      throw new LineException(
          c.atEnd()
              ? "line ends after the series key: expected a space and at least one field"
              : "expected a space after the series key, found '" + c.peekChar() + "'");
    }
    c.skipSpaces();
    String[] names = c.names;
    FieldType[] types = c.types;
    Object[] values = c.values;
    int n = 0;
    while (true) {
      String name = c.readToken(false);
      if (name.isEmpty()) {
        throw new LineException("expected a field name at column " + c.column());
      }
      if (c.peekByte() != '=') {
        throw new LineException("field '" + name + "': expected '=' followed by a value");
      }
      c.pos++;
      if (name.equals("time")) {
        throw new LineException("field name 'time' is reserved for the timestamp");
      }
      if (n == names.length) {
        names = c.names = Arrays.copyOf(names, n * 2);
        types = c.types = Arrays.copyOf(types, n * 2);
        values = c.values = Arrays.copyOf(values, n * 2);
      }
      parseFieldValue(c, name, types, values, n);
      int existing = indexOf(names, n, name);
      if (existing >= 0) {
        // a repeated field inside one line: the last value wins (and moves to the end)
        FieldType t = types[n];
        Object v = values[n];
        System.arraycopy(names, existing + 1, names, existing, n - existing - 1);
        System.arraycopy(types, existing + 1, types, existing, n - existing - 1);
        System.arraycopy(values, existing + 1, values, existing, n - existing - 1);
        n--;
        types[n] = t;
        values[n] = v;
      }
      names[n] = name;
      n++;
      if (c.peekByte() == ',') {
        c.pos++;
        continue;
      }
      break;
    }
    long timeNs = defaultTimeNs;
    if (!c.atEnd()) {
      if (c.peekByte() != ' ') {
        throw new LineException(
            "unexpected '" + c.peekChar() + "' after field '" + names[n - 1] + "': expected ',', a space or end of line");
      }
      c.skipSpaces();
      if (!c.atEnd()) {
        int tsStart = c.pos;
        while (!c.atEnd() && c.s[c.pos] != ' ') {
          c.pos++;
        }
        int tsEnd = c.pos;
        c.skipSpaces();
        if (!c.atEnd()) {
          throw new LineException("unexpected text after timestamp '" + c.text(tsStart, tsEnd) + "'");
        }
        long raw = parseDecimalLong(c.s, tsStart, tsEnd);
        if (raw == NOT_FAST) {
          String ts = c.text(tsStart, tsEnd);
          try {
            raw = Long.parseLong(ts);
          } catch (NumberFormatException e) {
            throw new LineException("invalid timestamp '" + ts + "': expected an integer");
          }
        }
        try {
          timeNs = precision.toNanos(raw);
        } catch (ArithmeticException e) {
          throw new LineException("timestamp '" + c.text(tsStart, tsEnd) + "' out of range for precision " + precision);
        }
      }
    }
    String[] fieldNames = c.prevNames != null && sameRefs(c.prevNames, names, n) ? c.prevNames : Arrays.copyOf(names, n);
    FieldType[] fieldTypes = c.prevTypes != null && sameRefs(c.prevTypes, types, n) ? c.prevTypes : Arrays.copyOf(types, n);
    Point p = new Point(measurement, tagKeys, tagValues, fieldNames, fieldTypes, Arrays.copyOf(values, n), timeNs);
    c.prevTagKeys = tagKeys.length == 0 ? null : tagKeys;
    c.prevTagValues = tagValues.length == 0 ? null : tagValues;
    c.prevNames = fieldNames;
    c.prevTypes = fieldTypes;
    return p;
  }

  private static boolean sameRefs(Object[] prev, Object[] cur, int n) {
    if (prev.length != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (prev[i] != cur[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(String[] names, int n, String name) {
    for (int i = 0; i < n; i++) {
      if (names[i] == name || names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static final Double ZERO = 0.0;
  private static final Double ONE = 1.0;

  private static void parseFieldValue(Cursor c, String name, FieldType[] types, Object[] values, int n) {
    if (c.atEnd()) {
      throw new LineException("field '" + name + "': missing value");
    }
    byte[] s = c.s;
    byte ch = s[c.pos];
    if (ch == '"') {
      c.pos++;
      int start = c.pos;
      boolean escaped = false;
      while (true) {
        if (c.atEnd()) {
          throw new LineException("field '" + name + "': unterminated string value");
        }
        byte x = s[c.pos];
        if (x == '\\' && c.pos + 1 < c.end) {
          byte nx = s[c.pos + 1];
          if (nx == '"' || nx == '\\') {
            escaped = true;
            c.pos += 2;
            continue;
          }
        }
        if (x == '"') {
          String v = escaped ? unescape(s, start, c.pos, STRING_ESCAPES) : new String(s, start, c.pos - start, StandardCharsets.UTF_8);
          c.pos++;
          types[n] = FieldType.STRING;
          values[n] = v;
          return;
        }
        c.pos++;
      }
    }
    int start = c.pos;
    int end = start;
    int limit = c.end;
    while (end < limit) {
      byte b = s[end];
      if (b == ',' || b == ' ') {
        break;
      }
      end++;
    }
    c.pos = end;
    if (end == start) {
      throw new LineException("field '" + name + "': missing value");
    }
    byte last = s[end - 1];
    if (last == 'i') {
      long v = parseDecimalLong(s, start, end - 1);
      if (v == NOT_FAST) {
        try {
          v = Long.parseLong(c.text(start, end - 1));
        } catch (NumberFormatException e) {
          throw new LineException("field '" + name + "': invalid integer value '" + c.text(start, end) + "'");
        }
      }
      values[n] = v;
      types[n] = FieldType.INTEGER;
      return;
    }
    if (last == 'u') {
      try {
        values[n] = Long.parseUnsignedLong(c.text(start, end - 1));
      } catch (NumberFormatException e) {
        throw new LineException("field '" + name + "': invalid unsigned integer value '" + c.text(start, end) + "'");
      }
      types[n] = FieldType.UINTEGER;
      return;
    }
    if (ch == 't' || ch == 'T' || ch == 'f' || ch == 'F') {
      Boolean b = parseBoolean(s, start, end);
      if (b == null) {
        throw new LineException("field '" + name + "': invalid value '" + c.text(start, end)
            + "': expected a number, 123i, 123u, a boolean or a \"string\"");
      }
      types[n] = FieldType.BOOLEAN;
      values[n] = b;
      return;
    }
    if (!(ch == '-' || ch == '+' || ch == '.' || (ch >= '0' && ch <= '9'))) {
      throw new LineException("field '" + name + "': invalid value '" + c.text(start, end)
          + "': expected a number, 123i, 123u, a boolean or a \"string\"");
    }
    double d = FastDoubleParser.parse(s, start, end);
    if (Double.isNaN(d)) {
      String text = c.text(start, end);
      try {
        d = Double.parseDouble(text);
      } catch (NumberFormatException e) {
        d = Double.NaN;
      }
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new LineException("field '" + name + "': invalid float value '" + text + "'");
      }
    }
    types[n] = FieldType.FLOAT;
    values[n] = d == 0.0 && Double.doubleToRawLongBits(d) == 0L ? ZERO : d == 1.0 ? ONE : Double.valueOf(d);
  }

  static final long NOT_FAST = Long.MIN_VALUE;

  /**
   * [-+]?[0-9]{1,19} as a long (no overflow); {@link #NOT_FAST} for anything else (longer, out of
   * range, empty, non-ASCII digits...), which the caller hands to Long.parseLong for its exact verdict.
   */
  static long parseDecimalLong(byte[] s, int start, int end) {
    int i = start;
    boolean negative = false;
    if (i < end && (s[i] == '-' || s[i] == '+')) {
      negative = s[i] == '-';
      i++;
    }
    int digits = end - i;
    if (digits <= 0 || digits > 19) {
      return NOT_FAST;
    }
    long v = 0;
    int last = digits == 19 ? end - 1 : end;
    for (; i < last; i++) {
      int d = s[i] - '0';
      if (d < 0 || d > 9) {
        return NOT_FAST;
      }
      v = v * 10 + d;
    }
    if (last != end) {
      // the 19th digit: accept it only when v * 10 + d cannot overflow
      int d = s[last] - '0';
      if (d < 0 || d > 9 || v > (Long.MAX_VALUE - d) / 10) {
        return NOT_FAST;
      }
      v = v * 10 + d;
    }
    return negative ? -v : v;
  }

  private static Boolean parseBoolean(byte[] s, int start, int end) {
    int len = end - start;
    if (len == 1) {
      byte ch = s[start];
      return ch == 't' || ch == 'T' ? Boolean.TRUE : ch == 'f' || ch == 'F' ? Boolean.FALSE : null;
    }
    for (byte[] t : TRUE) {
      if (t.length == len && Arrays.equals(s, start, end, t, 0, len)) {
        return Boolean.TRUE;
      }
    }
    for (byte[] f : FALSE) {
      if (f.length == len && Arrays.equals(s, start, end, f, 0, len)) {
        return Boolean.FALSE;
      }
    }
    return null;
  }

  private static final byte[][] TRUE = {bytes("true"), bytes("True"), bytes("TRUE")};
  private static final byte[][] FALSE = {bytes("false"), bytes("False"), bytes("FALSE")};

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static void sortTags(String[] keys, String[] values, int n) {
    for (int i = 1; i < n; i++) {
      if (keys[i - 1].compareTo(keys[i]) > 0) {
        // insertion sort: tag lists are short; stable like the index sort it replaces
        for (int a = 1; a < n; a++) {
          String k = keys[a];
          String v = values[a];
          int b = a - 1;
          while (b >= 0 && keys[b].compareTo(k) > 0) {
            keys[b + 1] = keys[b];
            values[b + 1] = values[b];
            b--;
          }
          keys[b + 1] = k;
          values[b + 1] = v;
        }
        break;
      }
    }
    for (int i = 1; i < n; i++) {
      if (keys[i - 1].equals(keys[i])) {
        throw new LineException("duplicate tag key '" + keys[i] + "'");
      }
    }
  }

  private static final String[] NO_STRINGS = new String[0];

  private static final int TOKEN_ESCAPES = 0;
  private static final int STRING_ESCAPES = 1;

  /** Removes the escaping backslashes of a token (before , space = \) or a string value (before " \). */
  private static String unescape(byte[] s, int start, int end, int kind) {
    byte[] out = new byte[end - start];
    int k = 0;
    for (int i = start; i < end; i++) {
      byte b = s[i];
      if (b == '\\' && i + 1 < end) {
        byte nx = s[i + 1];
        boolean esc = kind == STRING_ESCAPES ? nx == '"' || nx == '\\' : nx == ',' || nx == ' ' || nx == '=' || nx == '\\';
        if (esc) {
          out[k++] = nx;
          i++;
          continue;
        }
      }
      out[k++] = b;
    }
    return new String(out, 0, k, StandardCharsets.UTF_8);
  }

  /** Why one line was rejected. */
  static final class LineException extends RuntimeException {
    LineException(String message) {
      super(message, null, false, false);
    }
  }

  /** Position inside one line, plus per-thread scratch space reused for every line. */
  private static final class Cursor {
    String[] tagKeys = new String[8];
    String[] tagValues = new String[8];
    String[] names = new String[8];
    FieldType[] types = new FieldType[8];
    Object[] values = new Object[8];
    // the previous good line's arrays, shared by the next point when identical
    String[] prevTagKeys;
    String[] prevTagValues;
    String[] prevNames;
    FieldType[] prevTypes;
    final TokenCache tokens = new TokenCache();
    byte[] s;
    int pos;
    int end;
    int lineStart;

    void startBody() {
      forgetPrevious();
      tokens.startBody();
    }

    void forgetPrevious() {
      prevTagKeys = null;
      prevTagValues = null;
      prevNames = null;
      prevTypes = null;
    }

    void reset(byte[] s, int start, int end) {
      this.s = s;
      this.pos = start;
      this.end = end;
      this.lineStart = start;
    }

    boolean atEnd() {
      return pos >= end;
    }

    byte peekByte() {
      return pos < end ? s[pos] : 0;
    }

    /** The character at the cursor (decoded when it is not ASCII), for error messages. */
    char peekChar() {
      if (pos >= end) {
        return '\0';
      }
      byte b = s[pos];
      if (b >= 0) {
        return (char) b;
      }
      return new String(s, pos, Math.min(4, end - pos), StandardCharsets.UTF_8).charAt(0);
    }

    String text(int from, int to) {
      return new String(s, from, to - from, StandardCharsets.UTF_8);
    }

    /** 1-based column in characters, as the String parser counted it. */
    int column() {
      return new String(s, lineStart, pos - lineStart, StandardCharsets.UTF_8).length() + 1;
    }

    void skipSpaces() {
      while (pos < end && s[pos] == ' ') {
        pos++;
      }
    }

    /**
     * Reads an unquoted identifier up to an unescaped delimiter. The measurement stops at ',' or
     * ' '; keys and tag values also stop at '='. Backslash escapes those delimiters.
     */
    String readToken(boolean measurement) {
      byte[] s = this.s;
      int start = pos;
      int p = pos;
      int end = this.end;
      int h = 0;
      boolean escaped = false;
      while (p < end) {
        byte ch = s[p];
        if (ch == '\\' && p + 1 < end) {
          byte n = s[p + 1];
          if (n == ',' || n == ' ' || n == '=' || n == '\\') {
            escaped = true;
            p += 2;
            continue;
          }
        }
        if (ch == ',' || ch == ' ' || (ch == '=' && !measurement)) {
          break;
        }
        h = 31 * h + ch;
        p++;
      }
      pos = p;
      if (escaped) {
        return unescape(s, start, p, TOKEN_ESCAPES);
      }
      return tokens.get(s, start, p, h);
    }
  }
}
