package io.loadchaos.refcluster.sql;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.UUID;

/**
 * The query_sql output formats of InfluxDB 3: json (array of row objects, nulls omitted), jsonl
 * (one object per line) and csv (header row). Timestamps print as UTC ISO-8601 without zone,
 * with as many fraction digits as needed (e.g. {@code 2024-01-01T00:00:00.000000001}).
 */
public enum ResultFormat {
  JSON("application/json"),
  JSONL("application/jsonl"),
  CSV("text/csv");

  private static final JsonFactory FACTORY = new JsonFactory();
  private final String contentType;

  ResultFormat(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  public static ResultFormat parse(String s) {
    if (s == null || s.isEmpty()) {
      return JSON;
    }
    switch (s.toLowerCase(Locale.ROOT)) {
      case "json":
        return JSON;
      case "jsonl":
        return JSONL;
      case "csv":
        return CSV;
      default:
        throw new QueryException(400, "invalid format '" + s + "': expected json, jsonl or csv");
    }
  }

  public byte[] write(ResultSet rs) throws SQLException, IOException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = md.getColumnLabel(i + 1);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (this == CSV) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < n; i++) {
        sb.append(i == 0 ? "" : ",").append(csv(names[i]));
      }
      sb.append('\n');
      while (rs.next()) {
        for (int i = 0; i < n; i++) {
          Object v = value(rs.getObject(i + 1));
          sb.append(i == 0 ? "" : ",").append(v == null ? "" : csv(v.toString()));
        }
        sb.append('\n');
      }
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
      return out.toByteArray();
    }
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.setRootValueSeparator(null); // jsonl: each line starts with its object, not with Jackson's default space
      if (this == JSON) {
        g.writeStartArray();
      }
      while (rs.next()) {
        g.writeStartObject();
        for (int i = 0; i < n; i++) {
          Object v = value(rs.getObject(i + 1));
          if (v == null) {
            continue;
          }
          g.writeFieldName(names[i]);
          if (v instanceof String s) {
            g.writeString(s);
          } else if (v instanceof Long l) {
            g.writeNumber(l);
          } else if (v instanceof Integer x) {
            g.writeNumber(x);
          } else if (v instanceof Short x) {
            g.writeNumber(x);
          } else if (v instanceof Byte x) {
            g.writeNumber(x);
          } else if (v instanceof Double d) {
            g.writeNumber(d);
          } else if (v instanceof Float f) {
            g.writeNumber(f);
          } else if (v instanceof BigInteger bi) {
            g.writeNumber(bi);
          } else if (v instanceof BigDecimal bd) {
            g.writeNumber(bd);
          } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
          } else {
            g.writeString(v.toString());
          }
        }
        g.writeEndObject();
        if (this == JSONL) {
          g.writeRaw('\n');
        }
      }
      if (this == JSON) {
        g.writeEndArray();
      }
    }
    return out.toByteArray();
  }

  /** Normalizes JDBC values: timestamps to ISO text, the rest as they are. */
  static Object value(Object v) {
    if (v instanceof Timestamp ts) {
      return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(ts.toLocalDateTime());
    }
    if (v instanceof TemporalAccessor ta && !(v instanceof Instant)) {
      return v.toString();
    }
    if (v instanceof Date || v instanceof Time || v instanceof UUID) {
      return v.toString();
    }
    return v;
  }

  private static String csv(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
