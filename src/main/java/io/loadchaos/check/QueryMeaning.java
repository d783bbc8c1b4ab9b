package io.loadchaos.check;

import java.util.function.Consumer;

/**
 * What a query template asks, machine-readable, so its expected answer can be computed from the
 * generator and the history: the rows of {@code table} in {@code [fromNanos, toNanos)} whose tag
 * {@code equalKey} is {@code equalValue} (null: no filter), grouped by tag {@code groupBy} (null:
 * one group ""), aggregated as {@code count} and, when {@code sumField} is set, the sum of that
 * integer field. {@code limit > 0}: a {@code LIMIT} query whose row count is judged, not its values.
 */
public record QueryMeaning(String table, long fromNanos, long toNanos, String equalKey, String equalValue,
    String groupBy, String sumField, int limit) {

  public static final String COUNT_COLUMN = "n";
  public static final String SUM_COLUMN = "s";

  /** Every row of the table (no time range). */
  public static QueryMeaning all(String table) {
    return new QueryMeaning(table, Long.MIN_VALUE, Long.MAX_VALUE, null, null, null, null, 0);
  }

  public QueryMeaning between(long from, long toExclusive) {
    return new QueryMeaning(table, from, toExclusive, equalKey, equalValue, groupBy, sumField, limit);
  }

  public QueryMeaning where(String key, String value) {
    return new QueryMeaning(table, fromNanos, toNanos, key, value, groupBy, sumField, limit);
  }

  public QueryMeaning groupBy(String tag) {
    return new QueryMeaning(table, fromNanos, toNanos, equalKey, equalValue, tag, sumField, limit);
  }

  public QueryMeaning sum(String field) {
    return new QueryMeaning(table, fromNanos, toNanos, equalKey, equalValue, groupBy, field, limit);
  }

  public QueryMeaning limit(int rows) {
    return new QueryMeaning(table, fromNanos, toNanos, equalKey, equalValue, groupBy, sumField, rows);
  }

  public boolean grouped() {
    return groupBy != null;
  }

  /** Whether the point is one of the rows this query aggregates. */
  public boolean matches(QueryPoint p) {
    if (!p.table().equals(table)) return false;
    long ts = p.timestampNanos();
    if (ts < fromNanos || ts >= toNanos) return false;
    return equalKey == null || equalValue.equals(p.tag(equalKey));
  }

  /** The group the point falls in ("" when the query is not grouped). */
  public String group(QueryPoint p) {
    if (groupBy == null) return "";
    String v = p.tag(groupBy);
    return v == null ? "" : v;
  }

  /** "host=h7", or "the whole result" for an ungrouped query. */
  public String describeGroup(String group) {
    return groupBy == null ? "the whole result" : "group " + groupBy + "=" + group;
  }

  /** One written point as the query check needs it (the object may be reused after the call). */
  public interface QueryPoint {
    String table();

    long timestampNanos();

    /** The tag's value, or null when the point has no such tag. */
    String tag(String key);

    /** An integer field's value, or null when absent or not an integer. */
    Long integerField(String name);

    /**
     * True when the point repeats the (series, time) of an earlier point on purpose (an overwrite):
     * it is then one row with the earlier one if both were written, so it may add nothing to a count.
     */
    boolean repeatsKey();
  }

  /** The points of any batch, regenerated on demand (never stored). */
  @FunctionalInterface
  public interface Points {
    void forEachPoint(long batchId, Consumer<QueryPoint> visitor);
  }
}
