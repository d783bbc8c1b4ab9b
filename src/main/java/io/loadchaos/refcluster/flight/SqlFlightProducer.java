package io.loadchaos.refcluster.flight;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadchaos.refcluster.influxql.InfluxQlPlanner;
import io.loadchaos.refcluster.sql.QueryEngine;
import io.loadchaos.refcluster.sql.QueryException;
import io.loadchaos.refcluster.sql.SqlParameters;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Arrow Flight {@code DoGet} as InfluxDB 3 serves it: the ticket is JSON
 * {@code {"database","sql_query","query_type":"sql"|"influxql","params":{...}}}; the result streams
 * as Arrow record batches.
 */
public final class SqlFlightProducer extends NoOpFlightProducer {
  private static final Logger log = LoggerFactory.getLogger(SqlFlightProducer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BATCH_ROWS = 4096;

  private final BufferAllocator allocator;
  private final QueryEngine engine;
  private final InfluxQlPlanner influxql;

  public SqlFlightProducer(BufferAllocator allocator, QueryEngine engine, InfluxQlPlanner influxql) {
    this.allocator = allocator;
    this.engine = engine;
    this.influxql = influxql;
  }

  @Override
  public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
    String db;
    String sql;
    try {
      JsonNode t = JSON.readTree(new String(ticket.getBytes(), StandardCharsets.UTF_8));
      db = text(t, "database");
      String query = text(t, "sql_query");
      Map<String, Object> params = params(t);
      String type = t.hasNonNull("query_type") ? t.get("query_type").asText() : "sql";
      if (type.equalsIgnoreCase("sql")) {
        sql = SqlParameters.bind(query, params);
      } else if (type.equalsIgnoreCase("influxql")) {
        sql = influxql.planSelect(db, query, params).sql();
      } else {
        throw new IllegalArgumentException("query_type '" + type + "' is not supported: use 'sql' or 'influxql'");
      }
    } catch (QueryException | IllegalArgumentException e) {
      listener.error(CallStatus.INVALID_ARGUMENT.withDescription(e.getMessage()).toRuntimeException());
      return;
    } catch (Exception e) {
      listener.error(CallStatus.INVALID_ARGUMENT.withDescription("invalid ticket: " + e.getMessage()).toRuntimeException());
      return;
    }
    try {
      engine.execute(db, sql, false, null, rs -> {
        stream(rs, listener);
        return null;
      });
      listener.completed();
    } catch (QueryException e) {
      log.warn("Flight query failed: {}", e.getMessage(), e.getCause());
      CallStatus status = e.status() == 404 ? CallStatus.NOT_FOUND
          : e.status() == 400 ? CallStatus.INVALID_ARGUMENT : CallStatus.UNAVAILABLE;
      listener.error(status.withDescription(e.getMessage()).toRuntimeException());
    } catch (RuntimeException e) {
      log.error("Flight query failed: {}", sql, e);
      listener.error(CallStatus.INTERNAL.withDescription(String.valueOf(e.getMessage())).toRuntimeException());
    }
  }

  /** The ticket's {@code params} (what influxdb3-java's {@code query(sql, Map)} sends); empty when absent. */
  private static Map<String, Object> params(JsonNode t) {
    JsonNode p = t.get("params");
    if (p == null || p.isNull()) {
      return Map.of();
    }
    if (!p.isObject()) {
      throw new IllegalArgumentException("'params' must be a JSON object of placeholder name to value");
    }
    return JSON.convertValue(p, new TypeReference<LinkedHashMap<String, Object>>() {});
  }

  private static String text(JsonNode t, String field) {
    JsonNode n = t.get(field);
    if (n == null || !n.isTextual() || n.asText().isEmpty()) {
      throw new IllegalArgumentException("missing '" + field + "'");
    }
    return n.asText();
  }

  private void stream(ResultSet rs, ServerStreamListener listener) throws Exception {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<Field> fields = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      fields.add(new Field(md.getColumnLabel(i), FieldType.nullable(arrowType(md, i)), null));
    }
    try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator)) {
      listener.start(root);
      boolean more = true;
      while (more) {
        root.allocateNew();
        int rows = 0;
        while (rows < BATCH_ROWS && (more = rs.next())) {
          for (int c = 0; c < n; c++) {
            set(root.getVector(c), rows, rs.getObject(c + 1));
          }
          rows++;
        }
        root.setRowCount(rows);
        if (rows > 0 || !more) {
          listener.putNext();
        }
      }
    }
  }

  private static ArrowType arrowType(ResultSetMetaData md, int i) throws Exception {
    String t = md.getColumnTypeName(i).toUpperCase(Locale.ROOT);
    if (t.startsWith("TIMESTAMP")) {
      return new ArrowType.Timestamp(TimeUnit.NANOSECOND, null);
    }
    switch (t) {
      case "BIGINT":
      case "INTEGER":
      case "SMALLINT":
      case "TINYINT":
      case "UINTEGER":
      case "USMALLINT":
      case "UTINYINT":
        return new ArrowType.Int(64, true);
      case "UBIGINT":
        return new ArrowType.Int(64, false);
      case "DOUBLE":
      case "FLOAT":
        return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case "BOOLEAN":
        return ArrowType.Bool.INSTANCE;
      case "HUGEINT":
        return new ArrowType.Decimal(38, 0, 128);
      default:
        if (t.startsWith("DECIMAL")) {
          return new ArrowType.Decimal(Math.min(38, Math.max(1, md.getPrecision(i))), md.getScale(i), 128);
        }
        return ArrowType.Utf8.INSTANCE;
    }
  }

  private static void set(FieldVector v, int row, Object o) {
    if (o == null) {
      v.setNull(row);
      return;
    }
    if (v instanceof TimeStampNanoVector ts) {
      Timestamp t = (Timestamp) o;
      ts.setSafe(row, t.toLocalDateTime().toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + t.getNanos());
    } else if (v instanceof BigIntVector b) {
      b.setSafe(row, ((Number) o).longValue());
    } else if (v instanceof UInt8Vector u) {
      u.setSafe(row, ((Number) o).longValue());
    } else if (v instanceof Float8Vector f) {
      f.setSafe(row, ((Number) o).doubleValue());
    } else if (v instanceof BitVector b) {
      b.setSafe(row, ((Boolean) o) ? 1 : 0);
    } else if (v instanceof DecimalVector d) {
      BigDecimal bd = o instanceof BigInteger bi ? new BigDecimal(bi) : (BigDecimal) o;
      d.setSafe(row, bd.setScale(d.getScale()));
    } else if (v instanceof VarCharVector s) {
      s.setSafe(row, String.valueOf(o).getBytes(StandardCharsets.UTF_8));
    } else {
      throw new IllegalStateException("unsupported vector " + v.getClass().getSimpleName());
    }
  }
}
