package io.loadchaos.harness;

import io.loadchaos.check.QueryCorrectnessCheck;
import io.loadchaos.check.QueryMeaning;
import io.loadchaos.datagen.DatasetSpec;
import io.loadchaos.datagen.FieldSpec;
import io.loadchaos.datagen.TableSpec;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.QueryLedger;
import io.loadchaos.target.ClusterHttp;
import io.loadchaos.target.HttpActualData;
import io.loadchaos.target.QueryApi;
import io.loadchaos.target.QueryResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The query mix of docs/scenarios.md section 3, built from the dataset: one time shard, all shards, a
 * shard-key equality, an aggregate across hash partitions, the latest rows, and (where the dataset
 * has an integer field) a grouped integer sum. Each template carries its {@link QueryMeaning}, from
 * which the query check computes the answer the history allows.
 */
public final class QueryTemplates {

  /** A query in the language of {@code api} and what it asks. */
  public record Template(String name, QueryApi api, String text, QueryMeaning meaning) {}

  /** Integer fields whose values stay below this are summed: a sum over millions of points fits a long. */
  static final long SUMMABLE = 1L << 40;

  private QueryTemplates() {}

  /**
   * The templates over {@code table} (anchored on the first point of batch {@code firstBatchId} in
   * that table) in the language of {@code api}. InfluxQL has no {@code count(*)} of rows, so it
   * counts a field every point has; its results carry group tags as columns and no time column
   * ({@link io.loadchaos.target.QueryResult}), and an aggregate over no rows answers no row at all.
   */
  public static List<Template> of(DatasetSpec dataset, QueryMeaning.Points points, String table, String shardKey,
      long firstBatchId, QueryApi api) {
    String[] value = new String[1];
    long[] ts = new long[1];
    points.forEachPoint(firstBatchId, p -> {
      if (value[0] == null && p.table().equals(table)) {
        value[0] = p.tag(shardKey);
        ts[0] = p.timestampNanos();
        if (value[0] == null) throw new IllegalArgumentException("table " + table + " has no tag " + shardKey);
      }
    });
    if (value[0] == null) throw new IllegalStateException("batch 0 of the dataset has no point in table " + table);
    TableSpec spec = dataset.tables().stream().filter(t -> t.name().equals(table)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the dataset has no table " + table));
    String t = HttpActualData.quote(table);
    String k = HttpActualData.quote(shardKey);
    long from = ts[0] - Math.floorMod(ts[0], 60_000_000_000L);
    long to = from + 60_000_000_000L;
    String range = " WHERE time >= '" + iso(from) + "' AND time < '" + iso(to) + "'";
    QueryMeaning all = QueryMeaning.all(table);
    List<Template> out = new ArrayList<>();
    // every generated point has every field, so InfluxQL's count(field) counts rows like count(*)
    String count = api.influxql() ? "count(" + HttpActualData.quote(spec.fields().get(0).name()) + ")" : "count(*)";
    String literal = api.influxql() ? "'" + value[0].replace("\\", "\\\\").replace("'", "\\'") + "'"
        : "'" + value[0].replace("'", "''") + "'";
    String group = api.influxql() ? "" : k + ", ";
    out.add(new Template("one-shard", api, "SELECT " + count + " AS n FROM " + t + range, all.between(from, to)));
    out.add(new Template("all-shards", api, "SELECT " + count + " AS n FROM " + t, all));
    out.add(new Template("shard-key-equality", api, "SELECT " + group + count + " AS n FROM " + t + " WHERE " + k + " = "
        + literal + " GROUP BY " + k, all.where(shardKey, value[0]).groupBy(shardKey)));
    out.add(new Template("across-partitions", api, "SELECT " + group + count + " AS n FROM " + t + " GROUP BY " + k,
        all.groupBy(shardKey)));
    out.add(new Template("latest-rows", api, "SELECT * FROM " + t + " ORDER BY time DESC LIMIT 10", all.limit(10)));
    integerSum(dataset, api).ifPresent(out::add);
    return out;
  }

  /** A grouped count and sum over the first table with a summable integer field, if any. */
  private static Optional<Template> integerSum(DatasetSpec dataset, QueryApi api) {
    for (TableSpec ts : dataset.tables()) {
      if (ts.tags().isEmpty()) continue;
      for (FieldSpec f : ts.fields()) {
        if (!(f instanceof FieldSpec.IntegerField i) || Math.max(Math.abs(i.min()), Math.abs(i.max())) >= SUMMABLE) continue;
        String key = ts.shardKeys().isEmpty() ? ts.tags().get(0).name() : ts.shardKeys().get(0);
        String t = HttpActualData.quote(ts.name());
        String k = HttpActualData.quote(key);
        String field = HttpActualData.quote(f.name());
        String text = api.influxql()
            ? "SELECT count(" + field + ") AS n, sum(" + field + ") AS s FROM " + t + " GROUP BY " + k
            : "SELECT " + k + ", count(*) AS n, sum(" + field + ") AS s FROM " + t + " GROUP BY " + k;
        return Optional.of(new Template("integer-sum", api, text, QueryMeaning.all(ts.name()).groupBy(key).sum(f.name())));
      }
    }
    return Optional.empty();
  }

  /** Template name -> meaning, for the query check. */
  public static Map<String, QueryMeaning> meanings(List<Template> templates) {
    Map<String, QueryMeaning> out = new LinkedHashMap<>();
    templates.forEach(t -> out.put(t.name(), t.meaning()));
    return out;
  }

  /** The path and parameters of one template over HTTP (JSON answers; InfluxQL v1 with epoch ns). */
  public static String httpPath(Template t, String db) {
    return t.api().path() + ClusterHttp.query(t.api() == QueryApi.INFLUXQL_V1
        ? Map.of("db", db, "q", t.text(), "epoch", "ns")
        : Map.of("db", db, "q", t.text(), "format", "json"));
  }

  /** A result as the ledger keeps it: the template's groups, or why they cannot be read. */
  public static QueryLedger.Answer answer(Template t, OpKind kind, int node, String nodeId, long startMicros,
      long endMicros, QueryResult result, boolean finalRound) {
    QueryCorrectnessCheck.Parsed p = QueryCorrectnessCheck.parse(t.meaning(), result.columns(), result.rows());
    return QueryLedger.Answer.of(t.name(), kind, node, nodeId, startMicros, endMicros, p.problem(), p.groups(), finalRound);
  }

  static String iso(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
  }
}
