package io.loadchaos.refcluster.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlParametersTest {
  @Test
  void replacesPlaceholdersWithLiterals() {
    Map<String, Object> p = new HashMap<>(Map.of("h", "h7", "n", 3, "x", 1.5, "ok", true, "neg", -2));
    p.put("none", null);
    assertThat(SqlParameters.bind("SELECT * FROM cpu WHERE host = $h AND n > $n AND v < $x AND b = $ok AND c = $none AND d = 1-$neg", p))
        .isEqualTo("SELECT * FROM cpu WHERE host = 'h7' AND n > 3 AND v < 1.5 AND b = TRUE AND c = NULL AND d = 1-(-2)");
    assertThat(SqlParameters.bind("SELECT 1", null)).isEqualTo("SELECT 1");
  }

  @Test
  void leavesLiteralsIdentifiersAndCommentsAlone() {
    String sql = "SELECT '$h', \"$h\", E'it\\'s $h', $$ $h $$ -- $h\n /* $h */ FROM t WHERE a$h = $h";
    assertThat(SqlParameters.bind(sql, Map.of("h", "v")))
        .isEqualTo("SELECT '$h', \"$h\", E'it\\'s $h', $$ $h $$ -- $h\n /* $h */ FROM t WHERE a$h = 'v'");
  }

  @Test
  void aMissingValueIsA400NamingIt() {
    assertThatThrownBy(() -> SqlParameters.bind("SELECT * FROM cpu WHERE host = $host", Map.of("h", "x")))
        .isInstanceOf(QueryException.class).hasMessage("no value for query parameter $host: pass it in 'params'")
        .extracting(e -> ((QueryException) e).status()).isEqualTo(400);
    assertThatThrownBy(() -> SqlParameters.bind("SELECT $l", Map.of("l", List.of(1)))).hasMessageContaining("query parameter $l");
  }

  @Test
  void hostileValuesStayOneStringLiteral() throws Exception {
    String hostile = "x' OR '1'='1'; DROP TABLE t; --";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (host VARCHAR)");
      st.execute("INSERT INTO t VALUES ('a'), ('" + hostile.replace("'", "''") + "')");
      try (ResultSet rs = st.executeQuery(SqlParameters.bind("SELECT count(*) FROM t WHERE host = $h", Map.of("h", hostile)))) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
    }
  }
}
