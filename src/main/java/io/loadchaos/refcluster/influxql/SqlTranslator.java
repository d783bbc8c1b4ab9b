package io.loadchaos.refcluster.influxql;

import static io.loadchaos.refcluster.sql.SqlLiterals.identifier;
import static io.loadchaos.refcluster.sql.SqlLiterals.string;

import io.loadchaos.refcluster.influxql.Statement.Condition;
import io.loadchaos.refcluster.influxql.Statement.Projection;
import io.loadchaos.refcluster.influxql.Statement.Select;
import io.loadchaos.refcluster.lp.FieldType;
import io.loadchaos.refcluster.sql.SqlLiterals;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Translates an InfluxQL SELECT into one DuckDB SQL SELECT over the measurement's table, so the
 * node's distributed SQL engine (shard pruning included) answers it. The SQL's columns are
 * {@code iox::measurement, time, <group tags>, <selected columns>}: the rows of InfluxDB 3's
 * {@code query_influxql}; {@link Translation} tells how they make InfluxDB 1.x series.
 *
 * <p>InfluxQL semantics kept: {@code *} is time + every tag and field (sorted by name, minus the
 * GROUP BY tags); raw rows need at least one selected field that is not null; an aggregate row's
 * time is the start of the queried range (epoch 0 without a lower bound), except for a lone
 * {@code min}/{@code max}, which is a selector and carries the time of its point (the earliest
 * on ties); groups without any value give no row; LIMIT applies per series.
 */
public final class SqlTranslator {
  public static final String MEASUREMENT_COLUMN = "iox::measurement";
  private static final String TIME = "time";

  private SqlTranslator() {}

  /**
   * The SQL to run, the measurement, the GROUP BY tags (sorted) and the columns of a 1.x series:
   * {@code time} then the selected columns, each a column label of the SQL result.
   */
  public record Translation(String sql, String measurement, List<String> groupTags, List<String> columns) {}

  /** {@code schema} null: the measurement does not exist (the answer is empty, as in InfluxDB). */
  public static Translation translate(Select s, MeasurementSchema schema) {
    if (schema == null) {
      String sql = "SELECT " + string(s.measurement()) + " AS " + identifier(MEASUREMENT_COLUMN)
          + ", CAST(NULL AS TIMESTAMP_NS) AS " + identifier(TIME) + " LIMIT 0";
      return new Translation(sql, s.measurement(), List.of(), List.of(TIME));
    }
    List<String> groupTags = groupTags(s, schema);
    Query q = new Query(s, schema, groupTags);
    return s.isAggregate() ? q.aggregate() : q.raw();
  }

  private static List<String> groupTags(Select s, MeasurementSchema schema) {
    SortedSet<String> tags = new TreeSet<>();
    if (s.groupByAllTags()) {
      tags.addAll(schema.tags());
    }
    for (String t : s.groupBy()) {
      if (schema.isField(t)) {
        throw new InfluxQlException("GROUP BY " + t + ": " + t + " is a field of " + schema.name() + ", only tags can be grouped by");
      }
      if (!schema.isTag(t)) {
        throw new InfluxQlException("GROUP BY " + t + ": measurement " + schema.name() + " has no tag " + t);
      }
      tags.add(t);
    }
    return List.copyOf(tags);
  }

  /** One translation in progress: the SQL columns by label, then the clauses. */
  private static final class Query {
    private final Select s;
    private final MeasurementSchema schema;
    private final List<String> groupTags;
    private final Map<String, String> columns = new LinkedHashMap<>();
    private final List<String> seriesColumns = new ArrayList<>(List.of(TIME));

    Query(Select s, MeasurementSchema schema, List<String> groupTags) {
      this.s = s;
      this.schema = schema;
      this.groupTags = groupTags;
      columns.put(MEASUREMENT_COLUMN, string(schema.name()));
    }

    Translation raw() {
      columns.put(TIME, identifier(TIME));
      groupTags.forEach(t -> columns.put(t, identifier(t)));
      List<String> fields = new ArrayList<>();
      for (Projection p : s.projections()) {
        if (p instanceof Projection.Wildcard) {
          SortedSet<String> all = new TreeSet<>(schema.tags());
          all.addAll(schema.fields().keySet());
          all.removeAll(groupTags);
          for (String name : all) {
            select(name, name, fields);
          }
        } else if (p instanceof Projection.Column c && !c.name().equalsIgnoreCase(TIME)) {
          select(c.name(), c.alias() == null ? c.name() : c.alias(), fields);
        }
      }
      List<String> where = where();
      where.add(anyHasValue(fields)); // InfluxQL returns a row only where a selected field has a value
      StringBuilder sql = select().append(" WHERE ").append(String.join(" AND ", where));
      String timeOrder = identifier(TIME) + (s.descending() ? " DESC" : "");
      if (s.limit() > 0 && !groupTags.isEmpty()) {
        sql.append(" QUALIFY row_number() OVER (PARTITION BY ").append(list(groupTags)).append(" ORDER BY ").append(timeOrder)
            .append(") <= ").append(s.limit());
      }
      // series by tag values, then time; the other tags break ties so that answers are repeatable
      List<String> order = new ArrayList<>(groupTags.stream().map(SqlLiterals::identifier).toList());
      order.add(timeOrder);
      schema.tags().stream().filter(t -> !groupTags.contains(t)).map(SqlLiterals::identifier).forEach(order::add);
      sql.append(" ORDER BY ").append(String.join(", ", order));
      if (s.limit() > 0 && groupTags.isEmpty()) {
        sql.append(" LIMIT ").append(s.limit());
      }
      return translation(sql);
    }

    private void select(String column, String name, List<String> fields) {
      if (schema.isField(column) && !fields.contains(column)) {
        fields.add(column);
      }
      String expr = schema.isTag(column) || schema.isField(column) ? identifier(column) : "NULL";
      seriesColumns.add(add(name, expr));
    }

    /** One aggregate column: {@code function(field)} named {@code name}. */
    private record Item(String function, String field, String name) {}

    Translation aggregate() {
      List<Item> items = new ArrayList<>();
      for (Projection p : s.projections()) {
        if (!(p instanceof Projection.Aggregate a)) {
          throw new InfluxQlException("mixing aggregate and non-aggregate columns is not supported: select only count/sum/mean/min/max");
        }
        if (a.field().equals("*")) {
          for (Map.Entry<String, FieldType> f : schema.fields().entrySet()) {
            if (a.function().equals("count") || numeric(f.getValue())) {
              items.add(new Item(a.function(), f.getKey(), (a.alias() == null ? a.function() : a.alias()) + "_" + f.getKey()));
            }
          }
        } else {
          if (schema.isTag(a.field())) {
            throw new InfluxQlException(a.function() + "(" + a.field() + "): " + a.field() + " is a tag, functions take fields");
          }
          items.add(new Item(a.function(), a.field(), a.alias() == null ? a.function() : a.alias()));
        }
      }
      Item first = items.isEmpty() ? null : items.get(0);
      boolean loneSelector = items.size() == 1 && schema.isField(first.field())
          && (first.function().equals("min") || first.function().equals("max"));
      long rangeStart = s.timeRange().hasLowerBound() ? s.timeRange().min() : 0;
      columns.put(TIME, loneSelector ? selectorTime(first) : "CAST(" + Times.sqlLiteral(rangeStart) + " AS TIMESTAMP_NS)");
      groupTags.forEach(t -> columns.put(t, identifier(t)));
      List<String> counted = new ArrayList<>();
      for (Item item : items) {
        seriesColumns.add(add(item.name(), aggregateExpr(item.function(), item.field())));
        if (schema.isField(item.field()) && !counted.contains(item.field())) {
          counted.add(item.field());
        }
      }
      StringBuilder sql = select();
      List<String> where = where();
      if (!where.isEmpty()) {
        sql.append(" WHERE ").append(String.join(" AND ", where));
      }
      if (!groupTags.isEmpty()) {
        sql.append(" GROUP BY ").append(list(groupTags));
      }
      // like InfluxDB, a group (or the whole range) with no value of the fields has no row at all
      sql.append(" HAVING ").append(counted.isEmpty() ? "FALSE" : "greatest(" + list(counted, "count(", ")") + ") > 0");
      if (!groupTags.isEmpty()) {
        sql.append(" ORDER BY ").append(list(groupTags));
      }
      return translation(sql);
    }

    private String aggregateExpr(String function, String field) {
      FieldType type = schema.fields().get(field);
      if (type == null) {
        return "CAST(NULL AS DOUBLE)"; // unknown field: no values (the HAVING drops the row)
      }
      String f = identifier(field);
      if (function.equals("count")) {
        return "count(" + f + ")";
      }
      if (!numeric(type)) {
        throw new InfluxQlException(function + "(" + field + ") is not supported: " + field + " is a " + type.name().toLowerCase(Locale.ROOT) + " field");
      }
      switch (function) {
        case "sum":
          // DuckDB sums integers as HUGEINT; InfluxQL's sum of an integer field is an integer
          return type == FieldType.FLOAT ? "sum(" + f + ")" : "CAST(sum(" + f + ") AS " + type.sqlType() + ")";
        case "mean":
          return "avg(" + f + ")";
        default:
          return function + "(" + f + ")";
      }
    }

    /** The time of the selected point; the earliest one when several have the value. */
    private static String selectorTime(Item item) {
      String f = identifier(item.field());
      String t = identifier(TIME);
      // the (value, time) pair orders ties by time; FILTER: a pair with a null value is still a pair
      String filter = " FILTER (WHERE " + f + " IS DISTINCT FROM NULL)";
      return item.function().equals("min")
          ? "arg_min(" + t + ", (" + f + ", epoch_ns(" + t + ")))" + filter
          : "arg_max(" + t + ", (" + f + ", -epoch_ns(" + t + ")))" + filter;
    }

    private static boolean numeric(FieldType t) {
      return t == FieldType.FLOAT || t == FieldType.INTEGER || t == FieldType.UINTEGER;
    }

    /** Adds a SQL column, renaming a clash {@code name_1}, {@code name_2} as InfluxQL does; the label used. */
    private String add(String name, String expr) {
      String label = name;
      for (int n = 1; columns.containsKey(label) && !columns.get(label).equals(expr); n++) {
        label = name + "_" + n;
      }
      columns.put(label, expr);
      return label;
    }

    private List<String> where() {
      List<String> out = new ArrayList<>();
      if (s.timeRange().hasLowerBound()) {
        out.add(identifier(TIME) + " >= " + Times.sqlLiteral(s.timeRange().min()));
      }
      if (s.timeRange().hasUpperBound()) {
        out.add(identifier(TIME) + " <= " + Times.sqlLiteral(s.timeRange().max()));
      }
      for (Condition c : s.conditions()) {
        out.add(condition(c));
      }
      return out;
    }

    private String condition(Condition c) {
      String col = identifier(c.column());
      if (schema.isTag(c.column())) {
        if (!(c.value() instanceof String v)) {
          throw new InfluxQlException("tag " + c.column() + " can only be compared with a string, not " + c.value());
        }
        // InfluxQL: a missing tag equals ''; = 'v' stays a plain equality so shard keys still prune
        if (v.isEmpty() && (c.op().equals("=") || c.op().equals("!="))) {
          return c.op().equals("=") ? "coalesce(" + col + ", '') = ''" : col + " <> ''";
        }
        if (c.op().equals("!=")) {
          return col + " IS DISTINCT FROM " + string(v);
        }
        return col + " " + c.op() + " " + string(v);
      }
      if (schema.isField(c.column())) {
        return col + " " + (c.op().equals("!=") ? "<>" : c.op()) + " " + SqlLiterals.of(c.value());
      }
      return "FALSE"; // a column the measurement does not have matches nothing
    }

    private StringBuilder select() {
      StringBuilder sql = new StringBuilder("SELECT ");
      boolean first = true;
      for (Map.Entry<String, String> c : columns.entrySet()) {
        sql.append(first ? "" : ", ").append(c.getValue());
        if (!c.getValue().equals(identifier(c.getKey()))) {
          sql.append(" AS ").append(identifier(c.getKey()));
        }
        first = false;
      }
      return sql.append(" FROM ").append(identifier(schema.name()));
    }

    private Translation translation(StringBuilder sql) {
      return new Translation(sql.toString(), schema.name(), groupTags, List.copyOf(seriesColumns));
    }

    /** True where one of the fields is not null; written without OR/NOT, which would turn shard pruning off. */
    private static String anyHasValue(List<String> fields) {
      return fields.isEmpty() ? "FALSE" : "(" + String.join(" AND ", fields.stream().map(f -> identifier(f) + " IS NULL").toList()) + ") = false";
    }

    private static String list(List<String> names) {
      return list(names, "", "");
    }

    /** {@code "a", "b"}, each wrapped in before/after. */
    private static String list(List<String> names, String before, String after) {
      return String.join(", ", names.stream().map(n -> before + identifier(n) + after).toList());
    }
  }
}
