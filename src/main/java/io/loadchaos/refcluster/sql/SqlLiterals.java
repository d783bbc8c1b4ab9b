package io.loadchaos.refcluster.sql;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Renders values and names as DuckDB SQL text that can never escape their quotes. */
public final class SqlLiterals {
  private SqlLiterals() {}

  public static String string(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  public static String identifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /**
   * A string, number, boolean or null as a SQL literal. Negative numbers are parenthesized so that
   * a minus sign before the placeholder cannot turn into a {@code --} comment.
   */
  public static String of(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof String s) {
      return string(s);
    }
    if (v instanceof Boolean b) {
      return b ? "TRUE" : "FALSE";
    }
    String number;
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof BigInteger) {
      number = v.toString();
    } else if (v instanceof BigDecimal bd) {
      number = bd.toString();
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("value " + d + " has no SQL literal");
      }
      number = Double.toString(d);
    } else {
      throw new IllegalArgumentException("a " + v.getClass().getSimpleName() + " has no SQL literal: use a string, number or boolean");
    }
    return number.startsWith("-") ? "(" + number + ")" : number;
  }
}
