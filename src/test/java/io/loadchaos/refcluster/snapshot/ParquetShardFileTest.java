package io.loadchaos.refcluster.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.refcluster.Bugs;
import io.loadchaos.refcluster.lp.FieldType;
import io.loadchaos.refcluster.lp.Point;
import io.loadchaos.refcluster.storage.NodeStorage;
import io.loadchaos.refcluster.storage.ShardStore;
import io.loadchaos.refcluster.wal.WalRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shard copy through Parquet and back is the same copy: every type exact, absent tags and fields stay absent. */
class ParquetShardFileTest {
  @TempDir Path dir;

  private static Point point(String[] tk, String[] tv, String[] fn, FieldType[] ft, Object[] fv, long t) {
    return new Point("m", tk, tv, fn, ft, fv, t);
  }

  /** Every row as text: series key, time, version and each field with its type (doubles as raw bits). */
  private static Map<String, String> rows(ShardStore s) {
    Map<String, String> out = new TreeMap<>();
    s.scan(Long.MIN_VALUE, Long.MAX_VALUE, (series, t, row) -> {
      StringBuilder sb = new StringBuilder("v" + row.version());
      for (int i = 0; i < row.names().length; i++) {
        Object v = row.values()[i];
        sb.append(' ').append(row.names()[i]).append(':').append(row.types()[i]).append('=')
            .append(v instanceof Double d ? Long.toHexString(Double.doubleToRawLongBits(d)) : v);
      }
      String[] sorted = sb.toString().split(" ");
      Arrays.sort(sorted, 1, sorted.length);
      out.put(series.key() + " @" + t, String.join(" ", sorted));
    });
    return out;
  }

  @Test
  void aRoundTripKeepsEveryRowExactly() throws Exception {
    String[] none = {};
    String[] host = {"host"};
    String[] hostRegion = {"host", "region"};
    try (NodeStorage a = new NodeStorage(dir.resolve("a"), true, n -> {}, Bugs.NONE)) {
      List<Point> batch = List.of(
          point(hostRegion, new String[] {"h1", "eu"}, new String[] {"f", "i", "u", "s", "b"},
              new FieldType[] {FieldType.FLOAT, FieldType.INTEGER, FieldType.UINTEGER, FieldType.STRING, FieldType.BOOLEAN},
              new Object[] {-0.0, Long.MIN_VALUE, -1L, "quote \" and 'x', comma", true}, 1),
          point(host, new String[] {"h2"}, new String[] {"f"}, new FieldType[] {FieldType.FLOAT}, new Object[] {Double.MIN_VALUE}, 2),
          point(none, none, new String[] {"i", "b"}, new FieldType[] {FieldType.INTEGER, FieldType.BOOLEAN},
              new Object[] {42L, false}, Long.MIN_VALUE + 1),
          point(host, new String[] {"h2"}, new String[] {"u"}, new FieldType[] {FieldType.UINTEGER}, new Object[] {Long.MAX_VALUE}, 3));
      a.writeHere(WalRecord.of(7, "db", "m", 5, batch), batch).get();
      // an overwrite at a higher version that adds a field: the merged row has both
      List<Point> later = List.of(point(host, new String[] {"h2"}, new String[] {"s"}, new FieldType[] {FieldType.STRING},
          new Object[] {"later"}, 2));
      a.writeHere(WalRecord.of(7, "db", "m", 9, later), later).get();

      Path file = dir.resolve("s.parquet");
      ParquetShardFile.Written w = ParquetShardFile.write(a.shard(7), file);
      assertThat(w.rows()).isEqualTo(4);
      assertThat(w.columns()).extracting(ParquetShardFile.Column::name).containsExactly("host", "region", "b", "f", "i", "s", "u");

      try (NodeStorage b = new NodeStorage(dir.resolve("b"), true, n -> {}, Bugs.NONE)) {
        long n = ParquetShardFile.read(file, w.columns(), (p, v) -> b.restoreRow(7, "db", "m", v, p));
        assertThat(n).isEqualTo(4);
        assertThat(rows(b.shard(7))).isEqualTo(rows(a.shard(7))).hasSize(4);
        assertThat(rows(b.shard(7)).get("m,host=h2 @2")).isEqualTo("v9 f:FLOAT=1 s:STRING=later");
      }

      // what another Parquet reader sees: typed columns, UBIGINT for unsigned, NULL where absent
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT typeof(max(u)), max(u)::VARCHAR, count(region), count(*) FILTER (WHERE b IS NULL)"
              + " FROM read_parquet('" + file + "')")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("UBIGINT");
        assertThat(rs.getString(2)).isEqualTo("18446744073709551615");
        assertThat(rs.getLong(3)).isEqualTo(1);
        assertThat(rs.getLong(4)).isEqualTo(2);
      }
    }
  }
}
