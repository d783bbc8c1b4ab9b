package io.loadchaos.refcluster.influxql;

import io.loadchaos.refcluster.influxql.Token.Kind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits InfluxQL into tokens. Bind parameters ({@code $name}) become literal tokens here, from
 * the request's {@code params}: a value can only ever be a literal, never part of an identifier
 * or keyword, so parameters cannot change the statement's structure.
 */
final class Lexer {
  private static final String DURATION_UNITS = "ns|u|µ|ms|s|m|h|d|w";

  private final String text;
  private final Map<String, ?> params;
  private int pos;

  private Lexer(String text, Map<String, ?> params) {
    this.text = text;
    this.params = params;
  }

  static List<Token> tokenize(String text, Map<String, ?> params) {
    Lexer l = new Lexer(text, params == null ? Map.of() : params);
    List<Token> out = new ArrayList<>();
    Token t;
    do {
      t = l.next();
      out.add(t);
    } while (t.kind() != Kind.EOF);
    return out;
  }

  private Token next() {
    skipSpaceAndComments();
    if (pos >= text.length()) {
      return new Token(Kind.EOF, "", null, pos);
    }
    int start = pos;
    char c = text.charAt(pos);
    if (Character.isLetter(c) || c == '_') {
      while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
        pos++;
      }
      String word = text.substring(start, pos);
      if (word.equalsIgnoreCase("true") || word.equalsIgnoreCase("false")) {
        return new Token(Kind.BOOLEAN, word, Boolean.parseBoolean(word), start);
      }
      return new Token(Kind.IDENT, word, null, start);
    }
    if (Character.isDigit(c) || (c == '.' && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1)))) {
      return number(start);
    }
    switch (c) {
      case '"':
        return new Token(Kind.QUOTED_IDENT, quoted('"'), null, start);
      case '\'':
        String s = quoted('\'');
        return new Token(Kind.STRING, s, s, start);
      case '$':
        return parameter(start);
      default:
        return operator(start);
    }
  }

  private void skipSpaceAndComments() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (text.startsWith("--", pos)) {
        int nl = text.indexOf('\n', pos);
        pos = nl < 0 ? text.length() : nl + 1;
      } else if (text.startsWith("/*", pos)) {
        int end = text.indexOf("*/", pos + 2);
        if (end < 0) {
          throw new InfluxQlException("unterminated comment at char " + (pos + 1));
        }
        pos = end + 2;
      } else {
        return;
      }
    }
  }

  private Token number(int start) {
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    boolean decimal = false;
    if (pos < text.length() && text.charAt(pos) == '.' && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1))) {
      decimal = true;
      pos++;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
    }
    String digits = text.substring(start, pos);
    // a number directly followed by a unit is a duration literal (10m, 1h)
    int unitEnd = pos;
    while (unitEnd < text.length() && (Character.isLetter(text.charAt(unitEnd)))) {
      unitEnd++;
    }
    if (unitEnd > pos) {
      String unit = text.substring(pos, unitEnd);
      pos = unitEnd;
      if (!decimal && unit.matches(DURATION_UNITS)) {
        return new Token(Kind.DURATION, digits + unit, null, start);
      }
      throw new InfluxQlException("invalid number '" + digits + unit + "' at char " + (start + 1));
    }
    if (decimal) {
      return new Token(Kind.NUMBER, digits, Double.parseDouble(digits), start);
    }
    try {
      return new Token(Kind.NUMBER, digits, Long.parseLong(digits), start);
    } catch (NumberFormatException e) {
      throw new InfluxQlException("integer " + digits + " at char " + (start + 1) + " is out of range");
    }
  }

  /** A quoted string or identifier; InfluxQL escapes with a backslash. */
  private String quoted(char quote) {
    int start = pos;
    pos++;
    StringBuilder sb = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == quote) {
        return sb.toString();
      }
      if (c == '\\' && pos < text.length()) {
        char e = text.charAt(pos++);
        sb.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
      } else {
        sb.append(c);
      }
    }
    throw new InfluxQlException("unterminated " + (quote == '"' ? "quoted identifier" : "string") + " starting at char " + (start + 1));
  }

  private Token parameter(int start) {
    pos++;
    int nameStart = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    String name = text.substring(nameStart, pos);
    if (name.isEmpty()) {
      throw new InfluxQlException("expected a parameter name after '$' at char " + (start + 1));
    }
    if (!params.containsKey(name)) {
      throw new InfluxQlException("no value for query parameter $" + name + ": pass it in 'params'");
    }
    Object v = params.get(name);
    if (v instanceof String s) {
      return new Token(Kind.STRING, s, s, start);
    }
    if (v instanceof Boolean b) {
      return new Token(Kind.BOOLEAN, b.toString(), b, start);
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof BigInteger) {
      try {
        long l = v instanceof BigInteger bi ? bi.longValueExact() : ((Number) v).longValue();
        return new Token(Kind.NUMBER, Long.toString(l), l, start);
      } catch (ArithmeticException e) {
        throw new InfluxQlException("query parameter $" + name + " is out of the int64 range: " + v);
      }
    }
    if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
      double d = ((Number) v).doubleValue();
      return new Token(Kind.NUMBER, Double.toString(d), d, start);
    }
    throw new InfluxQlException("query parameter $" + name + " must be a string, number or boolean, got "
        + (v == null ? "null" : v.getClass().getSimpleName()));
  }

  private Token operator(int start) {
    for (String op : new String[] {"<=", ">=", "!=", "<>", "=~", "!~", "::"}) {
      if (text.startsWith(op, pos)) {
        pos += 2;
        return new Token(Kind.OPERATOR, op, null, start);
      }
    }
    char c = text.charAt(pos);
    if ("=<>*,().;+-/%".indexOf(c) < 0) {
      throw new InfluxQlException("unexpected character '" + c + "' at char " + (start + 1));
    }
    pos++;
    return new Token(Kind.OPERATOR, String.valueOf(c), null, start);
  }
}
