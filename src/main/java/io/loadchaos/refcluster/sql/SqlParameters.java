package io.loadchaos.refcluster.sql;

import java.util.Map;

/**
 * InfluxDB 3's query parameters: each {@code $name} placeholder of the SQL (outside string
 * literals, quoted identifiers and comments) is replaced by the SQL literal of its value, so a
 * value is always one literal whatever it contains ({@link SqlLiterals}).
 */
public final class SqlParameters {
  private SqlParameters() {}

  public static String bind(String sql, Map<String, ?> params) {
    if (sql == null || sql.indexOf('$') < 0) {
      return sql;
    }
    Map<String, ?> values = params == null ? Map.of() : params;
    StringBuilder out = new StringBuilder(sql.length() + 16);
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      int end;
      if (c == '\'') {
        end = quotedEnd(sql, i, '\'', isEscapeString(sql, i));
      } else if (c == '"') {
        end = quotedEnd(sql, i, '"', false);
      } else if (sql.startsWith("--", i)) {
        int nl = sql.indexOf('\n', i);
        end = nl < 0 ? n : nl + 1;
      } else if (sql.startsWith("/*", i)) {
        int close = sql.indexOf("*/", i + 2);
        end = close < 0 ? n : close + 2;
      } else if (sql.startsWith("$$", i)) {
        int close = sql.indexOf("$$", i + 2);
        end = close < 0 ? n : close + 2;
      } else if (c == '$' && (i == 0 || !isNameChar(sql.charAt(i - 1))) && i + 1 < n && isNameChar(sql.charAt(i + 1))) {
        int nameEnd = i + 1;
        while (nameEnd < n && isNameChar(sql.charAt(nameEnd))) {
          nameEnd++;
        }
        String name = sql.substring(i + 1, nameEnd);
        if (!values.containsKey(name)) {
          throw new QueryException(400, "no value for query parameter $" + name + ": pass it in 'params'");
        }
        try {
          out.append(SqlLiterals.of(values.get(name)));
        } catch (IllegalArgumentException e) {
          throw new QueryException(400, "query parameter $" + name + ": " + e.getMessage());
        }
        i = nameEnd;
        continue;
      } else {
        end = i + 1;
      }
      out.append(sql, i, end);
      i = end;
    }
    return out.toString();
  }

  /** Index just past the closing quote (doubled quotes stay inside; backslash escapes in E'...'). */
  private static int quotedEnd(String sql, int start, char quote, boolean backslashEscapes) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  /** {@code E'...'}: a string with C-style escapes. */
  private static boolean isEscapeString(String sql, int quote) {
    return quote > 0 && (sql.charAt(quote - 1) == 'E' || sql.charAt(quote - 1) == 'e') && (quote == 1 || !isNameChar(sql.charAt(quote - 2)));
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
