package io.loadchaos.refcluster.influxql;

import io.loadchaos.refcluster.influxql.Statement.Condition;
import io.loadchaos.refcluster.influxql.Statement.Projection;
import io.loadchaos.refcluster.influxql.Statement.TimeRange;
import io.loadchaos.refcluster.influxql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses the InfluxQL subset the reference cluster serves (see docs/refcluster.md). Everything
 * else fails with an {@link InfluxQlException} that names what is not supported.
 */
public final class Parser {
  private static final Set<String> FUNCTIONS = Set.of("count", "sum", "mean", "min", "max");
  private static final Set<String> COMPARISONS = Set.of("=", "!=", "<>", "<", "<=", ">", ">=");
  private static final Set<String> ARITHMETIC = Set.of("+", "-", "*", "/", "%");

  private final List<Token> tokens;
  private int i;

  private Parser(List<Token> tokens) {
    this.tokens = tokens;
  }

  /** One statement; {@code $name} placeholders take their values from {@code params} (may be null). */
  public static Statement parse(String query, Map<String, ?> params) {
    if (query == null || query.isBlank()) {
      throw new InfluxQlException("empty query: pass one InfluxQL statement in 'q'");
    }
    Parser p = new Parser(Lexer.tokenize(query, params));
    Statement s = p.statement();
    p.end();
    return s;
  }

  private Statement statement() {
    Token t = peek();
    if (t.isKeyword("SELECT")) {
      return select();
    }
    if (t.isKeyword("SHOW")) {
      next();
      if (accept("DATABASES")) {
        return new Statement.ShowDatabases();
      }
      throw unsupported("SHOW " + peek().describe().toUpperCase(Locale.ROOT) + " is not supported: only SHOW DATABASES");
    }
    if (t.isKeyword("CREATE")) {
      next();
      if (!accept("DATABASE")) {
        throw unsupported("CREATE " + peek().describe().toUpperCase(Locale.ROOT) + " is not supported: only CREATE DATABASE");
      }
      String name = identifier("a database name");
      if (peek().isKeyword("WITH")) {
        throw unsupported("CREATE DATABASE ... WITH (retention policies) is not supported");
      }
      return new Statement.CreateDatabase(name);
    }
    if (t.kind() == Kind.IDENT && Keywords.isKeyword(t.text())) {
      throw unsupported(t.text().toUpperCase(Locale.ROOT) + " statements are not supported: only SELECT, SHOW DATABASES and CREATE DATABASE");
    }
    throw expected("SELECT, SHOW DATABASES or CREATE DATABASE");
  }

  private void end() {
    if (peek().isOperator(";")) {
      next();
      if (peek().kind() != Kind.EOF) {
        throw unsupported("multiple statements are not supported: send one statement per request");
      }
    }
    if (peek().kind() != Kind.EOF) {
      throw expected("end of statement");
    }
  }

  // ---- SELECT -------------------------------------------------------------------------------

  private Statement.Select select() {
    expectKeyword("SELECT");
    List<Projection> projections = new ArrayList<>();
    do {
      projections.add(projection());
    } while (acceptOperator(","));
    if (peek().isKeyword("INTO")) {
      throw unsupported("SELECT ... INTO is not supported");
    }
    expectKeyword("FROM");
    String measurement = measurement();
    TimeRange[] range = {TimeRange.ALL};
    List<Condition> conditions = new ArrayList<>();
    if (accept("WHERE")) {
      conjunction(range, conditions);
    }
    List<String> groupBy = new ArrayList<>();
    boolean allTags = false;
    if (accept("GROUP")) {
      expectKeyword("BY");
      do {
        if (acceptOperator("*")) {
          allTags = true;
          continue;
        }
        if (peek().kind() == Kind.IDENT && peek().text().equalsIgnoreCase("time") && peekAt(1).isOperator("(")) {
          throw unsupported("GROUP BY time() is not supported: only GROUP BY tags");
        }
        if (peek().isOperator("/")) {
          throw unsupported("regular expressions are not supported (GROUP BY /.../)");
        }
        groupBy.add(identifier("a tag name"));
      } while (acceptOperator(","));
    }
    if (peek().isKeyword("FILL")) {
      throw unsupported("fill() is not supported");
    }
    boolean descending = false;
    if (accept("ORDER")) {
      expectKeyword("BY");
      Token col = next();
      if (!col.isIdentifier() || !col.text().equalsIgnoreCase("time")) {
        throw unsupported("ORDER BY " + col.describe() + " is not supported: only ORDER BY time [ASC|DESC]");
      }
      if (accept("DESC")) {
        descending = true;
      } else {
        accept("ASC");
      }
    }
    long limit = 0;
    if (accept("LIMIT")) {
      Token n = next();
      if (n.kind() != Kind.NUMBER || !(n.value() instanceof Long l) || l < 0) {
        throw new InfluxQlException("LIMIT takes a non-negative integer, found " + n.describe());
      }
      limit = l;
    }
    for (String clause : List.of("OFFSET", "SLIMIT", "SOFFSET", "TZ")) {
      if (peek().isKeyword(clause)) {
        throw unsupported(clause + " is not supported");
      }
    }
    return new Statement.Select(List.copyOf(projections), measurement, range[0], List.copyOf(conditions), List.copyOf(groupBy),
        allTags, descending, limit);
  }

  private Projection projection() {
    if (acceptOperator("*")) {
      return new Projection.Wildcard();
    }
    Token t = peek();
    if (!t.isIdentifier() || (t.kind() == Kind.IDENT && Keywords.isKeyword(t.text()))) {
      if (t.isLiteral()) {
        throw unsupported("literals in SELECT are not supported: select fields, tags, * or count/sum/mean/min/max");
      }
      throw expected("a field, tag, * or function in SELECT");
    }
    Projection p;
    if (t.kind() == Kind.IDENT && peekAt(1).isOperator("(")) {
      p = aggregate();
    } else {
      next();
      if (peek().isOperator("::")) {
        throw unsupported("type casts (::) are not supported");
      }
      p = new Projection.Column(t.text(), alias());
    }
    if (peek().kind() == Kind.OPERATOR && ARITHMETIC.contains(peek().text())) {
      throw unsupported("arithmetic in SELECT is not supported");
    }
    return p;
  }

  private Projection aggregate() {
    String name = next().text().toLowerCase(Locale.ROOT);
    if (!FUNCTIONS.contains(name)) {
      throw unsupported("function " + name + "() is not supported: only count, sum, mean, min and max");
    }
    expectOperator("(");
    String field;
    if (acceptOperator("*")) {
      field = "*";
    } else if (peek().isKeyword("DISTINCT")) {
      throw unsupported(name + "(DISTINCT ...) is not supported");
    } else if (peek().isOperator("/")) {
      throw unsupported("regular expressions are not supported (" + name + "(/.../))");
    } else if (peek().kind() == Kind.IDENT && peekAt(1).isOperator("(")) {
      throw unsupported("nested functions are not supported: " + name + "(" + peek().text() + "(...))");
    } else {
      field = identifier("a field name in " + name + "()");
    }
    if (peek().isOperator(",")) {
      throw unsupported(name + "() takes exactly one argument");
    }
    expectOperator(")");
    return new Projection.Aggregate(name, field, alias());
  }

  private String alias() {
    return accept("AS") ? identifier("an alias after AS") : null;
  }

  /** {@code measurement}, {@code rp.measurement} or {@code db.rp.measurement}: the measurement counts. */
  private String measurement() {
    if (peek().isOperator("(")) {
      throw unsupported("subqueries are not supported");
    }
    if (peek().isOperator("/")) {
      throw unsupported("regular expressions are not supported (FROM /.../)");
    }
    String name = identifier("a measurement name");
    for (int parts = 1; parts < 3 && acceptOperator("."); parts++) {
      if (!peek().isOperator(".")) { // db..m names the default retention policy
        name = identifier("a measurement name");
      }
    }
    if (peek().isOperator(",")) {
      throw unsupported("selecting from several measurements is not supported");
    }
    return name;
  }

  // ---- WHERE --------------------------------------------------------------------------------

  private void conjunction(TimeRange[] range, List<Condition> out) {
    do {
      if (acceptOperator("(")) {
        conjunction(range, out);
        expectOperator(")");
      } else {
        comparison(range, out);
      }
      if (peek().isKeyword("OR")) {
        throw unsupported("OR is not supported in WHERE: only conditions joined by AND");
      }
    } while (accept("AND"));
  }

  private void comparison(TimeRange[] range, List<Condition> out) {
    Token left = peek();
    if (left.isLiteral()) {
      throw unsupported("a literal on the left of a comparison is not supported: write column op value");
    }
    String column = identifier("a tag, field or time in WHERE");
    if (peek().kind() == Kind.OPERATOR && ARITHMETIC.contains(peek().text())) {
      throw unsupported("arithmetic in WHERE is not supported");
    }
    Token op = next();
    if (op.isOperator("=~") || op.isOperator("!~")) {
      throw unsupported("regular expressions are not supported (" + op.text() + ")");
    }
    if (op.kind() != Kind.OPERATOR || !COMPARISONS.contains(op.text())) {
      i--;
      throw expected("a comparison operator (=, !=, <, <=, >, >=) after " + column);
    }
    Object value = literal(column);
    if (peek().kind() == Kind.OPERATOR && ARITHMETIC.contains(peek().text())) {
      throw unsupported("arithmetic in WHERE is not supported");
    }
    String o = op.text().equals("<>") ? "!=" : op.text();
    if (column.equalsIgnoreCase("time")) {
      range[0] = narrow(range[0], o, timeValue(value));
    } else {
      out.add(new Condition(column, o, value));
    }
  }

  private Object literal(String column) {
    Token t = peek();
    if (t.kind() == Kind.IDENT && t.text().equalsIgnoreCase("now") && peekAt(1).isOperator("(")) {
      throw unsupported("now() is not supported: use absolute time literals");
    }
    if (t.kind() == Kind.DURATION) {
      throw unsupported("duration literals (" + t.text() + ") are not supported");
    }
    if (t.isOperator("/")) {
      throw unsupported("regular expressions are not supported");
    }
    if (t.isOperator("-") && peekAt(1).kind() == Kind.NUMBER) {
      next();
      Object v = next().value();
      return v instanceof Long l ? (Object) (-l) : (Object) (-(Double) v);
    }
    if (t.isLiteral()) {
      return next().value();
    }
    if (t.isIdentifier()) {
      throw unsupported("comparing " + column + " with another column (" + t.describe() + ") is not supported");
    }
    throw expected("a value to compare " + column + " with");
  }

  private static long timeValue(Object v) {
    if (v instanceof String s) {
      return Times.parse(s);
    }
    if (v instanceof Long l) {
      return l;
    }
    throw new InfluxQlException("time must be compared with an RFC3339 string or an integer of nanoseconds, not " + v);
  }

  private static TimeRange narrow(TimeRange r, String op, long t) {
    switch (op) {
      case ">=":
        return new TimeRange(Math.max(r.min(), t), r.max());
      case ">":
        return new TimeRange(Math.max(r.min(), t == Long.MAX_VALUE ? t : t + 1), r.max());
      case "<=":
        return new TimeRange(r.min(), Math.min(r.max(), t));
      case "<":
        return new TimeRange(r.min(), Math.min(r.max(), t == Long.MIN_VALUE ? t : t - 1));
      case "=":
        return new TimeRange(Math.max(r.min(), t), Math.min(r.max(), t));
      default:
        throw unsupported("time " + op + " is not supported: use =, <, <=, >, >=");
    }
  }

  // ---- tokens -------------------------------------------------------------------------------

  private Token peek() {
    return tokens.get(i);
  }

  private Token peekAt(int ahead) {
    return tokens.get(Math.min(i + ahead, tokens.size() - 1));
  }

  private Token next() {
    Token t = tokens.get(i);
    if (t.kind() != Kind.EOF) {
      i++;
    }
    return t;
  }

  private boolean accept(String keyword) {
    if (peek().isKeyword(keyword)) {
      i++;
      return true;
    }
    return false;
  }

  private boolean acceptOperator(String op) {
    if (peek().isOperator(op)) {
      i++;
      return true;
    }
    return false;
  }

  private void expectKeyword(String keyword) {
    if (!accept(keyword)) {
      throw expected(keyword);
    }
  }

  private void expectOperator(String op) {
    if (!acceptOperator(op)) {
      throw expected("'" + op + "'");
    }
  }

  /** A bare (non-reserved) or double-quoted identifier. */
  private String identifier(String what) {
    Token t = peek();
    if (t.kind() == Kind.QUOTED_IDENT || (t.kind() == Kind.IDENT && !Keywords.isKeyword(t.text()))) {
      i++;
      return t.text();
    }
    throw expected(what);
  }

  private InfluxQlException expected(String what) {
    Token t = peek();
    return new InfluxQlException("syntax error at char " + (t.position() + 1) + ": found " + t.describe() + ", expected " + what);
  }

  private static InfluxQlException unsupported(String message) {
    return new InfluxQlException(message);
  }
}
