package io.loadchaos.refcluster.snapshot;

import io.loadchaos.refcluster.lp.FieldType;
import io.loadchaos.refcluster.lp.Point;
import io.loadchaos.refcluster.storage.Row;
import io.loadchaos.refcluster.storage.Series;
import io.loadchaos.refcluster.storage.ShardStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * One shard copy as a Parquet file, written and read with DuckDB ({@code COPY ... (FORMAT parquet)},
 * {@code read_parquet}). Columns: {@code time} (BIGINT ns), {@code _version}, {@code _measurement},
 * one VARCHAR per tag key and one per field in its type (UINTEGER as UBIGINT); an absent tag or
 * field is NULL. The index keeps which column is what, so a name clash only renames a column.
 */
public final class ParquetShardFile {
  private static final String TIME = "time";
  private static final String VERSION = "_version";
  private static final String MEASUREMENT = "_measurement";
  /** 2^64: moves an unsigned 64-bit value between its signed bits (Java) and UBIGINT (Parquet). */
  private static final String TWO_64 = "18446744073709551616::HUGEINT";

  private ParquetShardFile() {}

  /** A tag or field column: {@code kind} "tag" or "field", {@code key} the tag key or field name, {@code type} a field's type. */
  public record Column(String name, String kind, String key, FieldType type) {}

  /** What {@link #write} wrote. */
  public record Written(long rows, List<Column> columns) {}

  private record Captured(Series series, long time, Row row) {}

  /** Writes every row of {@code shard} as it is now to {@code file}. */
  public static Written write(ShardStore shard, Path file) throws IOException {
    List<Captured> rows = new ArrayList<>();
    shard.scan(Long.MIN_VALUE, Long.MAX_VALUE, (s, t, r) -> rows.add(new Captured(s, t, r)));
    // tags sorted by key (points want them so), fields by name: the same columns whatever the scan order
    TreeSet<String> tagKeys = new TreeSet<>();
    Map<String, FieldType> fieldTypes = new TreeMap<>();
    Map<String, Set<FieldType>> clashes = new LinkedHashMap<>();
    for (Captured c : rows) {
      tagKeys.addAll(List.of(c.series.tagKeys()));
      for (int i = 0; i < c.row.names().length; i++) {
        fieldTypes.putIfAbsent(c.row.names()[i] + "\u0000" + c.row.types()[i], c.row.types()[i]);
        clashes.computeIfAbsent(c.row.names()[i], k -> new HashSet<>()).add(c.row.types()[i]);
      }
    }
    Set<String> used = new HashSet<>(List.of(TIME, VERSION, MEASUREMENT));
    List<Column> columns = new ArrayList<>();
    Map<String, Integer> tagIndex = new LinkedHashMap<>();
    for (String k : tagKeys) {
      tagIndex.put(k, columns.size());
      columns.add(new Column(unique(k, used), "tag", k, null));
    }
    Map<String, Integer> fieldIndex = new LinkedHashMap<>();
    for (Map.Entry<String, FieldType> f : fieldTypes.entrySet()) {
      String name = f.getKey().substring(0, f.getKey().indexOf('\u0000'));
      // a field seen in two types (a table keeps one, so only after a defect) gets one column per type
      String base = clashes.get(name).size() > 1 ? name + "_" + f.getValue().name().toLowerCase() : name;
      fieldIndex.put(f.getKey(), columns.size());
      columns.add(new Column(unique(base, used), "field", name, f.getValue()));
    }
    Files.deleteIfExists(file);
    try (Connection conn = DriverManager.getConnection("jdbc:duckdb:"); Statement st = conn.createStatement()) {
      StringBuilder ddl = new StringBuilder("CREATE TABLE snap (time BIGINT, _version BIGINT, _measurement VARCHAR");
      for (Column c : columns) {
        // UINTEGER is staged as its signed bits and turned into UBIGINT by the COPY below
        String type = c.type == null ? "VARCHAR" : c.type == FieldType.UINTEGER ? "BIGINT" : c.type.sqlType();
        ddl.append(", ").append(quote(c.name)).append(' ').append(type);
      }
      st.execute(ddl.append(')').toString());
      try (DuckDBAppender app = ((DuckDBConnection) conn).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "snap")) {
        Object[] cells = new Object[columns.size()];
        for (Captured c : rows) {
          Arrays.fill(cells, null);
          String[] tk = c.series.tagKeys();
          String[] tv = c.series.tagValues();
          for (int i = 0; i < tk.length; i++) {
            cells[tagIndex.get(tk[i])] = tv[i];
          }
          for (int i = 0; i < c.row.names().length; i++) {
            cells[fieldIndex.get(c.row.names()[i] + "\u0000" + c.row.types()[i])] = c.row.values()[i];
          }
          app.beginRow();
          app.append(c.time);
          app.append(c.row.version());
          app.append(c.series.measurement());
          for (Object v : cells) {
            if (v == null) {
              app.appendNull();
            } else if (v instanceof Double d) {
              app.append(d.doubleValue());
            } else if (v instanceof Long l) {
              app.append(l.longValue());
            } else if (v instanceof Boolean b) {
              app.append(b.booleanValue());
            } else {
              app.append(v.toString());
            }
          }
          app.endRow();
        }
      }
      StringBuilder select = new StringBuilder("SELECT time, _version, _measurement");
      for (Column c : columns) {
        String q = quote(c.name);
        select.append(", ").append(c.type == FieldType.UINTEGER
            ? "CAST(CASE WHEN " + q + " < 0 THEN " + q + "::HUGEINT + " + TWO_64 + " ELSE " + q + "::HUGEINT END AS UBIGINT) AS " + q
            : q);
      }
      st.execute("COPY (" + select + " FROM snap ORDER BY _measurement, time) TO " + literal(file.toAbsolutePath().toString())
          + " (FORMAT parquet)");
    } catch (SQLException e) {
      throw new IOException("writing the Parquet snapshot of shard " + shard.shardId() + " to " + file + ": " + e.getMessage(), e);
    }
    return new Written(rows.size(), columns);
  }

  /** Receives each row read back: its point (tags sorted) and version. */
  @FunctionalInterface
  public interface RowSink {
    void accept(Point point, long version);
  }

  /** Reads a file {@link #write} wrote; returns the number of rows. */
  public static long read(Path file, List<Column> columns, RowSink sink) throws IOException {
    StringBuilder select = new StringBuilder("SELECT time, _version, _measurement");
    for (Column c : columns) {
      String q = quote(c.name);
      select.append(", ").append(c.type == FieldType.UINTEGER
          ? "CAST(CASE WHEN " + q + " >= 9223372036854775808 THEN " + q + "::HUGEINT - " + TWO_64 + " ELSE " + q + "::HUGEINT END AS BIGINT)"
          : q);
    }
    select.append(" FROM read_parquet(").append(literal(file.toAbsolutePath().toString())).append(')');
    long n = 0;
    try (Connection conn = DriverManager.getConnection("jdbc:duckdb:"); Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(select.toString())) {
      int tags = 0;
      for (Column c : columns) {
        if (c.type == null) {
          tags++;
        }
      }
      while (rs.next()) {
        long time = rs.getLong(1);
        long version = rs.getLong(2);
        String measurement = rs.getString(3);
        List<String> tk = new ArrayList<>(tags);
        List<String> tv = new ArrayList<>(tags);
        List<String> fn = new ArrayList<>();
        List<FieldType> ft = new ArrayList<>();
        List<Object> fv = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
          Column c = columns.get(i);
          int col = i + 4;
          if (c.type == null) {
            String v = rs.getString(col);
            if (v != null) {
              tk.add(c.key);
              tv.add(v);
            }
            continue;
          }
          Object v = switch (c.type) {
            case FLOAT -> rs.getDouble(col);
            case INTEGER, UINTEGER -> rs.getLong(col);
            case BOOLEAN -> rs.getBoolean(col);
            case STRING -> rs.getString(col);
          };
          if (!rs.wasNull() && v != null) {
            fn.add(c.key);
            ft.add(c.type);
            fv.add(v);
          }
        }
        sink.accept(new Point(measurement, tk.toArray(String[]::new), tv.toArray(String[]::new), fn.toArray(String[]::new),
            ft.toArray(FieldType[]::new), fv.toArray(), time), version);
        n++;
      }
    } catch (SQLException e) {
      throw new IOException("reading the Parquet snapshot " + file + ": " + e.getMessage(), e);
    }
    return n;
  }

  private static String unique(String base, Set<String> used) {
    String name = base;
    for (int i = 2; !used.add(name); i++) {
      name = base + "_" + i;
    }
    return name;
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  static String literal(String s) {
    return '\'' + s.replace("'", "''") + '\'';
  }
}
