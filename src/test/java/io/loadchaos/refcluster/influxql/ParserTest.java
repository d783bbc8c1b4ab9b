package io.loadchaos.refcluster.influxql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.refcluster.influxql.Statement.Condition;
import io.loadchaos.refcluster.influxql.Statement.Projection;
import io.loadchaos.refcluster.influxql.Statement.Select;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParserTest {
  private static final long T = 1_704_067_200_000_000_000L; // 2024-01-01T00:00:00Z

  private static Select select(String q) {
    return (Select) Parser.parse(q, Map.of());
  }

  @Test
  void parsesTheSelectSubset() {
    Select s = select("select \"usage\" AS u, host, * FROM \"mydb\".\"autogen\".\"cpu\" "
        + "WHERE time >= '2024-01-01T00:00:00Z' AND (time < 1704067260000000000 AND host = 'h') AND usage > -1.5 "
        + "GROUP BY \"host\", region ORDER BY time DESC LIMIT 10;");
    assertThat(s.projections()).containsExactly(new Projection.Column("usage", "u"), new Projection.Column("host", null),
        new Projection.Wildcard());
    assertThat(s.measurement()).isEqualTo("cpu");
    assertThat(s.timeRange()).isEqualTo(new Statement.TimeRange(T, T + 60_000_000_000L - 1));
    assertThat(s.conditions()).containsExactly(new Condition("host", "=", "h"), new Condition("usage", ">", -1.5));
    assertThat(s.groupBy()).containsExactly("host", "region");
    assertThat(s.descending()).isTrue();
    assertThat(s.limit()).isEqualTo(10);
  }

  @Test
  void stringsEscapeWithBackslashAndTimesAcceptInfluxQlForms() {
    Select s = select("SELECT v FROM m WHERE host = 'it\\'s' AND time > '2024-01-01 00:00:00.5' AND time <= '2024-01-02'");
    assertThat(s.conditions()).containsExactly(new Condition("host", "=", "it's"));
    assertThat(s.timeRange().min()).isEqualTo(T + 500_000_000L + 1); // > t: the range starts one ns later
    assertThat(s.timeRange().max()).isEqualTo(T + 86_400_000_000_000L);
    assertThat(select("SELECT v FROM m WHERE time = '2024-01-01T01:00:00+01:00'").timeRange()).isEqualTo(new Statement.TimeRange(T, T));
  }

  @Test
  void parsesAggregatesAndOtherStatements() {
    Select s = select("SELECT COUNT(v), count(*), Mean(\"v\") AS avg, min(v), max(v), sum(n) FROM m GROUP BY *");
    assertThat(s.projections()).containsExactly(new Projection.Aggregate("count", "v", null), new Projection.Aggregate("count", "*", null),
        new Projection.Aggregate("mean", "v", "avg"), new Projection.Aggregate("min", "v", null), new Projection.Aggregate("max", "v", null),
        new Projection.Aggregate("sum", "n", null));
    assertThat(s.groupByAllTags()).isTrue();
    assertThat(Parser.parse("show databases", null)).isEqualTo(new Statement.ShowDatabases());
    assertThat(Parser.parse("CREATE DATABASE \"my-db\"", null)).isEqualTo(new Statement.CreateDatabase("my-db"));
  }

  @Test
  void bindParametersAreTakenFromParams() {
    Select s = (Select) Parser.parse("SELECT v FROM m WHERE host = $h AND v > $min AND ok = $b AND time >= $t",
        Map.of("h", "x' OR 1=1 --", "min", 2, "b", true, "t", "2024-01-01T00:00:00Z"));
    assertThat(s.conditions()).containsExactly(new Condition("host", "=", "x' OR 1=1 --"), new Condition("v", ">", 2L),
        new Condition("ok", "=", true));
    assertThat(s.timeRange().min()).isEqualTo(T);
    // a string value can never stand in for a name
    assertThatThrownBy(() -> Parser.parse("SELECT v FROM $m", Map.of("m", "cpu"))).hasMessageContaining("expected a measurement name");
    assertThatThrownBy(() -> Parser.parse("SELECT v FROM m WHERE host = $h", Map.of())).hasMessage(
        "no value for query parameter $h: pass it in 'params'");
    assertThatThrownBy(() -> Parser.parse("SELECT v FROM m WHERE host = $h", Map.of("h", List.of(1)))).hasMessageContaining(
        "must be a string, number or boolean");
  }

  @Test
  void everythingOutsideTheSubsetIsNamed() {
    Map<String, String> cases = Map.ofEntries(
        Map.entry("SELECT mean(v) FROM m GROUP BY time(1m)", "GROUP BY time() is not supported"),
        Map.entry("SELECT v FROM (SELECT v FROM m)", "subqueries are not supported"),
        Map.entry("SELECT median(v) FROM m", "function median() is not supported"),
        Map.entry("SELECT v FROM m WHERE host =~ /a.*/", "regular expressions are not supported"),
        Map.entry("SELECT v FROM /cp.*/", "regular expressions are not supported"),
        Map.entry("SELECT v FROM m; SELECT v FROM n", "multiple statements are not supported"),
        Map.entry("SHOW MEASUREMENTS", "SHOW MEASUREMENTS is not supported: only SHOW DATABASES"),
        Map.entry("SELECT v INTO n FROM m", "SELECT ... INTO is not supported"),
        Map.entry("SELECT v FROM m WHERE time > now() - 1h", "now() is not supported"),
        Map.entry("SELECT v FROM m WHERE host = 'a' OR host = 'b'", "OR is not supported"),
        Map.entry("SELECT v FROM m, n", "several measurements"),
        Map.entry("DROP DATABASE x", "DROP statements are not supported"),
        Map.entry("SELECT v * 2 FROM m", "arithmetic in SELECT is not supported"),
        Map.entry("SELECT count(distinct(v)) FROM m", "count(DISTINCT ...) is not supported"),
        Map.entry("SELECT mean(v) FROM m GROUP BY host fill(0)", "fill() is not supported"),
        Map.entry("SELECT v FROM m ORDER BY v", "only ORDER BY time"),
        Map.entry("SELECT v FROM m LIMIT 1 OFFSET 2", "OFFSET is not supported"),
        Map.entry("SELECT v FROM m WHERE time != 5", "time != is not supported"),
        Map.entry("SELECT v FROM m WHERE time > 'yesterday'", "invalid time literal 'yesterday'"),
        Map.entry("SELECT v::float FROM m", "type casts (::) are not supported"),
        Map.entry("SELECT FROM m", "syntax error at char 8: found FROM, expected a field, tag, * or function in SELECT"));
    cases.forEach((q, message) -> assertThatThrownBy(() -> Parser.parse(q, Map.of())).as(q)
        .isInstanceOf(InfluxQlException.class).hasMessageContaining(message));
  }
}
