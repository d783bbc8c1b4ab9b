package io.loadchaos.refcluster.influxql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.refcluster.influxql.SqlTranslator.Translation;
import io.loadchaos.refcluster.influxql.Statement.Select;
import io.loadchaos.refcluster.lp.FieldType;
import io.loadchaos.refcluster.sql.QueryPlanner;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Translations run on a real DuckDB table shaped like the engine's (time TIMESTAMP_NS, tags VARCHAR, typed fields). */
class SqlTranslatorTest {
  private static final long T = 1_704_067_200_000_000_000L; // 2024-01-01T00:00:00Z
  private static final MeasurementSchema CPU = new MeasurementSchema("cpu", new TreeSet<>(List.of("host", "region")),
      new TreeMap<>(Map.of("usage", FieldType.FLOAT, "n", FieldType.INTEGER, "note", FieldType.STRING)));
  private Connection db;

  @BeforeEach
  void load() throws SQLException {
    db = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement st = db.createStatement()) {
      st.execute("SET TimeZone='UTC'");
      st.execute("CREATE TABLE cpu (time TIMESTAMP_NS NOT NULL, host VARCHAR, region VARCHAR, n BIGINT, note VARCHAR, usage DOUBLE)");
      // h1: usage 1, 3, 3 (the max twice), h2: usage 2 and a row with only a note; h3 has no region
      st.execute("INSERT INTO cpu VALUES "
          + "(make_timestamp_ns(" + T + "), 'h1', 'eu', 1, NULL, 1.0),"
          + "(make_timestamp_ns(" + (T + 1) + "), 'h1', 'eu', 2, NULL, 3.0),"
          + "(make_timestamp_ns(" + (T + 2) + "), 'h1', 'eu', 3, NULL, 3.0),"
          + "(make_timestamp_ns(" + (T + 3) + "), 'h2', 'us', 4, NULL, 2.0),"
          + "(make_timestamp_ns(" + (T + 4) + "), 'h2', 'us', NULL, 'hi', NULL),"
          + "(make_timestamp_ns(" + (T + 5) + "), 'h3', NULL, 5, NULL, 4.0)");
    }
  }

  @AfterEach
  void close() throws SQLException {
    db.close();
  }

  private Translation translate(String q) {
    return SqlTranslator.translate((Select) Parser.parse(q, Map.of()), CPU);
  }

  /** Rows as "label=value" lists; times as ns since the epoch. */
  private List<String> run(Translation t) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(t.sql())) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int c = 1; c <= md.getColumnCount(); c++) {
          Object v = rs.getObject(c);
          if (v instanceof Timestamp ts) {
            v = (ts.toLocalDateTime().toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + ts.getNanos() - T) + "ns";
          }
          row.add(md.getColumnLabel(c) + "=" + v);
        }
        rows.add(String.join(" ", row));
      }
    }
    return rows;
  }

  private List<String> run(String q) throws SQLException {
    return run(translate(q));
  }

  @Test
  void wildcardIsTimeThenEveryTagAndFieldSortedAndNeedsAFieldValue() throws SQLException {
    Translation t = translate("SELECT * FROM cpu WHERE host = 'h2'");
    assertThat(t.columns()).containsExactly("time", "host", "n", "note", "region", "usage");
    assertThat(run(t)).containsExactly(
        "iox::measurement=cpu time=3ns host=h2 n=4 note=null region=us usage=2.0",
        "iox::measurement=cpu time=4ns host=h2 n=null note=hi region=us usage=null");
    // selected fields: rows where at least one of them has a value
    assertThat(run("SELECT usage FROM cpu WHERE host = 'h2'")).containsExactly("iox::measurement=cpu time=3ns usage=2.0");
    assertThat(run("SELECT host FROM cpu")).isEmpty(); // tags alone select nothing, as in InfluxQL
  }

  @Test
  void timeRangeTagsOrderAndLimit() throws SQLException {
    assertThat(run("SELECT usage FROM cpu WHERE time >= " + (T + 1) + " AND time < '2024-01-01T00:00:00.000000004Z' ORDER BY time DESC LIMIT 2"))
        .containsExactly("iox::measurement=cpu time=3ns usage=2.0", "iox::measurement=cpu time=2ns usage=3.0");
    // a missing tag equals '' and != keeps rows without the tag
    assertThat(run("SELECT usage FROM cpu WHERE region = ''")).containsExactly("iox::measurement=cpu time=5ns usage=4.0");
    assertThat(run("SELECT usage FROM cpu WHERE region != 'eu'")).containsExactly("iox::measurement=cpu time=3ns usage=2.0",
        "iox::measurement=cpu time=5ns usage=4.0");
    assertThat(run("SELECT usage FROM cpu WHERE nosuch = 'x'")).isEmpty();
  }

  @Test
  void groupByTagGivesTagColumnsAfterTimeAndLimitsPerSeries() throws SQLException {
    Translation t = translate("SELECT usage, host FROM cpu WHERE host != 'h3' GROUP BY host LIMIT 1");
    assertThat(t.groupTags()).containsExactly("host");
    assertThat(t.columns()).containsExactly("time", "usage", "host");
    assertThat(run(t)).containsExactly("iox::measurement=cpu time=0ns host=h1 usage=1.0", "iox::measurement=cpu time=3ns host=h2 usage=2.0");
    assertThat(translate("SELECT * FROM cpu GROUP BY host").columns()).containsExactly("time", "n", "note", "region", "usage");
  }

  @Test
  void aggregatesHaveTheRangeStartAsTime() throws SQLException {
    assertThat(run("SELECT count(usage), sum(n), mean(usage) FROM cpu WHERE time >= " + (T + 1)))
        .containsExactly("iox::measurement=cpu time=1ns count=4 sum=14 mean=3.0");
    // no lower bound: epoch 0
    assertThat(run("SELECT count(usage) FROM cpu")).containsExactly("iox::measurement=cpu time=" + (-T) + "ns count=5");
    assertThat(run("SELECT count(*) AS c FROM cpu")).containsExactly("iox::measurement=cpu time=" + (-T) + "ns c_n=5 c_note=1 c_usage=5");
    assertThat(run("SELECT sum(*) FROM cpu")).containsExactly("iox::measurement=cpu time=" + (-T) + "ns sum_n=15 sum_usage=13.0");
    assertThat(run("SELECT mean(usage), mean(n) FROM cpu WHERE time >= " + T + " GROUP BY host")).containsExactly(
        "iox::measurement=cpu time=0ns host=h1 mean=2.3333333333333335 mean_1=2.0",
        "iox::measurement=cpu time=0ns host=h2 mean=2.0 mean_1=4.0",
        "iox::measurement=cpu time=0ns host=h3 mean=4.0 mean_1=5.0");
    // nothing in range: no row at all
    assertThat(run("SELECT count(usage) FROM cpu WHERE time > '2030-01-01T00:00:00Z'")).isEmpty();
  }

  @Test
  void aLoneMinOrMaxIsASelectorWithThePointsTime() throws SQLException {
    assertThat(run("SELECT max(usage) FROM cpu WHERE time >= " + T + " GROUP BY host")).containsExactly(
        "iox::measurement=cpu time=1ns host=h1 max=3.0", // the earliest of the two 3.0
        "iox::measurement=cpu time=3ns host=h2 max=2.0",
        "iox::measurement=cpu time=5ns host=h3 max=4.0");
    assertThat(run("SELECT min(n) FROM cpu")).containsExactly("iox::measurement=cpu time=0ns min=1");
    assertThat(run("SELECT min(n), max(n) FROM cpu WHERE time >= " + T)).containsExactly("iox::measurement=cpu time=0ns min=1 max=5");
  }

  @Test
  void aggregateErrorsNameTheProblem() {
    assertThatThrownBy(() -> translate("SELECT mean(note) FROM cpu")).hasMessage("mean(note) is not supported: note is a string field");
    assertThatThrownBy(() -> translate("SELECT count(host) FROM cpu")).hasMessageContaining("host is a tag");
    assertThatThrownBy(() -> translate("SELECT count(usage), usage FROM cpu")).hasMessageContaining("mixing aggregate and non-aggregate");
    assertThatThrownBy(() -> translate("SELECT usage FROM cpu GROUP BY usage")).hasMessageContaining("usage is a field");
    assertThatThrownBy(() -> translate("SELECT usage FROM cpu GROUP BY dc")).hasMessage("GROUP BY dc: measurement cpu has no tag dc");
    assertThatThrownBy(() -> translate("SELECT usage FROM cpu WHERE host = 1")).hasMessageContaining("tag host can only be compared with a string");
  }

  @Test
  void unknownMeasurementAnswersNothing() throws SQLException {
    Translation t = SqlTranslator.translate((Select) Parser.parse("SELECT * FROM nosuch", Map.of()), null);
    assertThat(run(t)).isEmpty();
  }

  @Test
  void translatedSqlKeepsShardPruning() {
    String sql = translate("SELECT usage FROM cpu WHERE time >= '2024-01-01T00:00:00Z' AND time < '2024-01-01T01:00:00Z' AND host = 'h1'").sql();
    assertThat(QueryPlanner.prunable(sql, 1)).as(sql).isTrue();
    assertThat(QueryPlanner.timeBounds(sql)).isEqualTo(new QueryPlanner.TimeBounds(T, T + 3_600_000_000_000L - 1));
    assertThat(QueryPlanner.partitions(sql, List.of("host"), 4)).hasSize(1);
    String agg = translate("SELECT count(usage) FROM cpu WHERE time >= '2024-01-01T00:00:00Z' GROUP BY host").sql();
    assertThat(QueryPlanner.prunable(agg, 1)).as(agg).isTrue();
    assertThat(QueryPlanner.timeBounds(agg).min()).isEqualTo(T);
  }

  @Test
  void timesPrintAsRfc3339Nano() {
    assertThat(Times.rfc3339Nano(T)).isEqualTo("2024-01-01T00:00:00Z");
    assertThat(Times.rfc3339Nano(T + 1)).isEqualTo("2024-01-01T00:00:00.000000001Z");
    assertThat(Times.rfc3339Nano(T + 120_000_000)).isEqualTo("2024-01-01T00:00:00.12Z");
    assertThat(Times.rfc3339Nano(-1)).isEqualTo("1969-12-31T23:59:59.999999999Z");
  }
}
