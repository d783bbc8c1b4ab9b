package io.loadchaos.refcluster.influxql;

/**
 * One InfluxQL token. {@code text} is the identifier or operator as written (unquoted for quoted
 * identifiers); {@code value} holds a literal's value (String, Long, Double or Boolean).
 */
record Token(Kind kind, String text, Object value, int position) {
  enum Kind {
    IDENT,
    QUOTED_IDENT,
    STRING,
    NUMBER,
    BOOLEAN,
    DURATION,
    OPERATOR,
    EOF
  }

  boolean isKeyword(String keyword) {
    return kind == Kind.IDENT && text.equalsIgnoreCase(keyword);
  }

  boolean isOperator(String op) {
    return kind == Kind.OPERATOR && text.equals(op);
  }

  boolean isIdentifier() {
    return kind == Kind.IDENT || kind == Kind.QUOTED_IDENT;
  }

  boolean isLiteral() {
    return kind == Kind.STRING || kind == Kind.NUMBER || kind == Kind.BOOLEAN;
  }

  /** How the token reads in an error message. */
  String describe() {
    switch (kind) {
      case EOF:
        return "end of statement";
      case STRING:
        return "string '" + value + "'";
      case QUOTED_IDENT:
        return "\"" + text + "\"";
      default:
        return text;
    }
  }
}
