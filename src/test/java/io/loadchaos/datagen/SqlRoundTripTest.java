package io.loadchaos.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The numbers as printed in line protocol are parsed by a real SQL engine (DuckDB, in process) to
 * exactly the values the generator reports, so a read-back comparison can use equality.
 */
class SqlRoundTripTest {

  @Test
  void duckDbParsesEveryPrintedValueToTheGeneratedValue() throws Exception {
    var table = TableSpec.of("t", List.of(TagSpec.sequential("s", 1000)), List.of(
        FieldSpec.FloatField.random("wide", -1e6, 1e6, 6),
        FieldSpec.FloatField.random("tiny", -0.001, 0.001, 9),
        new FieldSpec.FloatField("wave", FieldSpec.FloatPattern.SINE, -40, 40, 3, Duration.ofMinutes(7)),
        FieldSpec.IntegerField.random("i", Long.MIN_VALUE / 2, Long.MAX_VALUE / 2),
        new FieldSpec.UnsignedField("u", 0, Long.MAX_VALUE)));
    var spec = DatasetSpec.of("sql", "us", TimeSpec.inOrder(Duration.ofHours(-1), Duration.ofSeconds(1)), 5_000L,
        List.of(table));
    var gen = TestData.gen(spec, 99, 1, 5_000);
    String[] lines = new String(gen.batch(0, 0), StandardCharsets.UTF_8).split("\n");
    var points = TestData.points(gen, 0, 0);
    assertThat(lines).hasSize(points.size());

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE t (n INTEGER, wide DOUBLE, tiny DOUBLE, wave DOUBLE, i BIGINT, u UBIGINT, ts BIGINT)");
      }
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO t VALUES (?, CAST(? AS DOUBLE), CAST(? AS DOUBLE), "
          + "CAST(? AS DOUBLE), CAST(? AS BIGINT), CAST(? AS UBIGINT), CAST(? AS BIGINT))")) {
        for (int n = 0; n < lines.length; n++) {
          String[] parts = lines[n].split(" ");
          String[] fields = parts[1].split(",");
          ins.setInt(1, n);
          for (int f = 0; f < 5; f++) {
            String token = fields[f].substring(fields[f].indexOf('=') + 1);
            ins.setString(f + 2, f >= 3 ? token.substring(0, token.length() - 1) : token);
          }
          ins.setString(7, parts[2]);
          ins.addBatch();
        }
        ins.executeBatch();
      }
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT n, wide, tiny, wave, i, CAST(u AS VARCHAR), ts FROM t ORDER BY n")) {
        int n = 0;
        while (rs.next()) {
          var want = points.get(n);
          assertThat(rs.getInt(1)).isEqualTo(n);
          assertThat(rs.getDouble(2)).isEqualTo(want.fields().get("wide"));
          assertThat(rs.getDouble(3)).isEqualTo(want.fields().get("tiny"));
          assertThat(rs.getDouble(4)).isEqualTo(want.fields().get("wave"));
          assertThat(rs.getLong(5)).isEqualTo(want.fields().get("i"));
          assertThat(new BigInteger(rs.getString(6))).isEqualTo(BigInteger.valueOf((Long) want.fields().get("u")));
          assertThat(rs.getLong(7) * 1000).isEqualTo(want.nanos());
          n++;
        }
        assertThat(n).isEqualTo(5_000);
      }
    }
  }
}
