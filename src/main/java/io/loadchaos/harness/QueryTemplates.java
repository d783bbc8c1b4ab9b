package io.loadchaos.harness;

import io.loadchaos.check.ExpectedData;
import io.loadchaos.target.HttpActualData;
import io.loadchaos.target.QueryApi;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query mix of strategy section 3, built from the dataset: one time shard, all shards, a
 * shard-key equality and an aggregate across hash partitions. Each comes with a check of the
 * result's shape that holds whatever else is being written meanwhile.
 */
public final class QueryTemplates {

  /**
   * A query in the language of {@code api} and what its result must satisfy; {@code check}
   * returns null when the result is right.
   */
  public record Template(String name, QueryApi api, String text, ResultCheck check) {}

  @FunctionalInterface
  public interface ResultCheck {
    String problem(List<String> columns, List<Object[]> rows);
  }

  private QueryTemplates() {}

  /** SQL templates over the dataset's first table, anchored on one real point of batch (0, 0). */
  public static List<Template> of(ExpectedData expected, String table, String shardKey, long firstBatchId) {
    return of(expected, table, shardKey, firstBatchId, QueryApi.SQL);
  }

  /**
   * The templates in the language of {@code api}. InfluxQL has no {@code count(*)} of rows, so it
   * counts the sample point's first field; its results are checked without their time column, and
   * an aggregate over no rows answers no row at all (SQL answers one row with 0).
   */
  public static List<Template> of(ExpectedData expected, String table, String shardKey, long firstBatchId, QueryApi api) {
    ExpectedData.Point[] sample = new ExpectedData.Point[1];
    expected.forEachPoint(firstBatchId, p -> {
      if (sample[0] == null && p.table().equals(table)) sample[0] = p;
    });
    if (sample[0] == null) throw new IllegalStateException("batch 0 of the dataset has no point in table " + table);
    String value = sample[0].tag(shardKey)
        .orElseThrow(() -> new IllegalArgumentException("series " + sample[0].seriesKey() + " has no tag " + shardKey));
    String t = HttpActualData.quote(table);
    String k = HttpActualData.quote(shardKey);
    long ts = sample[0].timestampNanos();
    String from = iso(ts - ts % 60_000_000_000L);
    String to = iso(ts - ts % 60_000_000_000L + 60_000_000_000L);
    List<Template> out = new ArrayList<>();
    ResultCheck limit10 = (cols, rows) -> rows.size() <= 10 ? null : "LIMIT 10 returned " + rows.size() + " rows";
    if (api.influxql()) {
      String field = HttpActualData.quote(new TreeSet<>(sample[0].fields().keySet()).first());
      String literal = "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
      ResultCheck count = (cols, rows) -> rows.isEmpty() ? null : oneCountRow(cols, rows);
      out.add(new Template("one-shard", api, "SELECT count(" + field + ") AS n FROM " + t + " WHERE time >= '" + from
          + "' AND time < '" + to + "'", count));
      out.add(new Template("all-shards", api, "SELECT count(" + field + ") AS n FROM " + t, count));
      out.add(new Template("shard-key-equality", api, "SELECT count(" + field + ") AS n FROM " + t + " WHERE " + k + " = "
          + literal + " GROUP BY " + k, (cols, rows) -> onlyValue(rows, value)));
      out.add(new Template("across-partitions", api, "SELECT count(" + field + ") AS n FROM " + t + " GROUP BY " + k,
          (cols, rows) -> uniqueFirstColumn(rows)));
      out.add(new Template("latest-rows", api, "SELECT * FROM " + t + " ORDER BY time DESC LIMIT 10", limit10));
      return out;
    }
    out.add(new Template("one-shard", api, "SELECT count(*) AS n FROM " + t + " WHERE time >= '" + from + "' AND time < '" + to + "'",
        QueryTemplates::oneCountRow));
    out.add(new Template("all-shards", api, "SELECT count(*) AS n FROM " + t, QueryTemplates::oneCountRow));
    out.add(new Template("shard-key-equality", api, "SELECT " + k + ", count(*) AS n FROM " + t + " WHERE " + k + " = '"
        + value.replace("'", "''") + "' GROUP BY " + k, (cols, rows) -> onlyValue(rows, value)));
    out.add(new Template("across-partitions", api, "SELECT " + k + ", count(*) AS n FROM " + t + " GROUP BY " + k,
        (cols, rows) -> uniqueFirstColumn(rows)));
    out.add(new Template("latest-rows", api, "SELECT * FROM " + t + " ORDER BY time DESC LIMIT 10", limit10));
    return out;
  }

  static String iso(long nanos) {
    return java.time.Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
        .toString();
  }

  static String oneCountRow(List<String> cols, List<Object[]> rows) {
    if (rows.size() != 1) return "expected exactly one row, got " + rows.size();
    Object n = rows.get(0)[0];
    if (!(n instanceof Number num) || num.longValue() < 0) return "count is not a non-negative number: " + n;
    return null;
  }

  static String onlyValue(List<Object[]> rows, String value) {
    if (rows.size() > 1) return "equality on the shard key returned " + rows.size() + " groups";
    for (Object[] r : rows) {
      if (!Objects.equals(String.valueOf(r[0]), value)) return "row for '" + r[0] + "' leaked into a filter on '" + value + "'";
    }
    return null;
  }

  static String uniqueFirstColumn(List<Object[]> rows) {
    Set<String> seen = new HashSet<>();
    for (Object[] r : rows) {
      if (!seen.add(String.valueOf(r[0]))) return "group '" + r[0] + "' returned twice: partitions not merged";
    }
    return rows.isEmpty() ? "no groups at all" : null;
  }
}
