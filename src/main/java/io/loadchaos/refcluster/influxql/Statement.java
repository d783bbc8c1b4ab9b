package io.loadchaos.refcluster.influxql;

import java.util.List;

/** The InfluxQL statements the reference cluster understands. */
public sealed interface Statement {

  /** {@code SHOW DATABASES}. */
  record ShowDatabases() implements Statement {}

  /** {@code CREATE DATABASE name}. */
  record CreateDatabase(String name) implements Statement {}

  /**
   * {@code SELECT projections FROM measurement [WHERE ...] [GROUP BY tags] [ORDER BY time] [LIMIT n]}.
   * Time comparisons of the WHERE clause are folded into {@code timeRange}; the other
   * comparisons are in {@code conditions} (all ANDed). {@code groupByAllTags} is {@code GROUP BY *}.
   * {@code limit} 0 means none, as in InfluxDB 1.x.
   */
  record Select(List<Projection> projections, String measurement, TimeRange timeRange, List<Condition> conditions,
      List<String> groupBy, boolean groupByAllTags, boolean descending, long limit) implements Statement {

    public boolean isAggregate() {
      return projections.stream().anyMatch(p -> p instanceof Projection.Aggregate);
    }
  }

  /** Inclusive bounds in ns since the epoch; {@link Long#MIN_VALUE} / {@link Long#MAX_VALUE} when open. */
  record TimeRange(long min, long max) {
    public static final TimeRange ALL = new TimeRange(Long.MIN_VALUE, Long.MAX_VALUE);

    public boolean hasLowerBound() {
      return min != Long.MIN_VALUE;
    }

    public boolean hasUpperBound() {
      return max != Long.MAX_VALUE;
    }
  }

  /** {@code column op literal}; op is one of = != < <= > >=, the literal a String, Long, Double or Boolean. */
  record Condition(String column, String op, Object value) {}

  /** One item of the SELECT list. */
  sealed interface Projection {
    /** {@code *}: every tag and field. */
    record Wildcard() implements Projection {}

    /** A tag or field, optionally renamed. */
    record Column(String name, String alias) implements Projection {}

    /** {@code function(field)} or {@code function(*)}; {@code field} is "*" for the wildcard. */
    record Aggregate(String function, String field, String alias) implements Projection {}
  }
}
