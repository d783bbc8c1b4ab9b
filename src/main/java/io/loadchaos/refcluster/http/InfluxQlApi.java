package io.loadchaos.refcluster.http;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.loadchaos.refcluster.Node;
import io.loadchaos.refcluster.influxql.InfluxQlException;
import io.loadchaos.refcluster.influxql.InfluxQlPlanner;
import io.loadchaos.refcluster.influxql.Parser;
import io.loadchaos.refcluster.influxql.SqlTranslator.Translation;
import io.loadchaos.refcluster.influxql.Statement;
import io.loadchaos.refcluster.sql.QueryException;
import io.loadchaos.refcluster.sql.ResultFormat;
import java.util.List;
import java.util.Map;

/**
 * InfluxQL over HTTP: InfluxDB 3's {@code /api/v3/query_influxql} (rows, like query_sql) and
 * InfluxDB 1.x's {@code /query} (series). Both translate to SQL and run on the node's engine.
 */
final class InfluxQlApi {
  /** InfluxDB 1.x's default chunk size. */
  private static final int DEFAULT_CHUNK_SIZE = 10_000;

  private final Node node;
  private final InfluxQlPlanner planner;

  InfluxQlApi(Node node) {
    this.node = node;
    this.planner = new InfluxQlPlanner(node.catalog());
  }

  void register(ServerBuilder sb) {
    sb.service("/api/v3/query_influxql", HttpApi.blocking(null, this::queryV3));
    sb.service("/query", HttpApi.blocking(null, this::queryV1));
  }

  private HttpResponse queryV3(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    Map<String, String> params = QueryRequest.params(ctx, req);
    String db = params.get("db");
    if (db == null || db.isEmpty()) {
      throw new ApiException(400, "missing 'db' parameter");
    }
    ResultFormat format = ResultFormat.parse(params.get("format"));
    Translation t = planner.planSelect(db, params.get("q"), QueryRequest.bindings(params));
    byte[] out = node.queries().execute(db, t.sql(), false, null, format::write);
    return HttpResponse.of(HttpStatus.OK, MediaType.parse(format.contentType()), out);
  }

  /**
   * 1.x answers: a statement that cannot be parsed (or is outside the subset) is a 400
   * {@code {"error"}}; one that fails while running is a 200 with the error in its result, as
   * 1.x does, except when the cluster cannot answer (5xx, e.g. a shard without a reachable
   * owner): that keeps its status so a failure never looks like an answer.
   */
  private HttpResponse queryV1(ServiceRequestContext ctx, AggregatedHttpRequest req) throws Exception {
    Map<String, String> params = QueryRequest.params(ctx, req);
    String q = params.get("q");
    if (q == null || q.isBlank()) {
      return Json.error(400, "missing required parameter \"q\"");
    }
    Long epoch = V1Response.epochDivisor(params.get("epoch"));
    int chunkSize = "true".equalsIgnoreCase(params.get("chunked")) ? chunkSize(params.get("chunk_size")) : 0;
    Statement statement;
    try {
      statement = Parser.parse(q, QueryRequest.bindings(params));
    } catch (InfluxQlException e) {
      return Json.error(400, "error parsing query: " + e.getMessage());
    }
    if (statement instanceof Statement.ShowDatabases) {
      List<List<Object>> names = node.catalog().catalog().databases().stream().map(db -> List.<Object>of(db)).toList();
      return ok(List.of(new V1Response.Series("databases", null, List.of("name"), names)), chunkSize);
    }
    if (statement instanceof Statement.CreateDatabase create) {
      try {
        node.management().createDatabaseIfAbsent(create.name());
      } catch (IllegalStateException e) {
        return Json.error(503, e.getMessage());
      }
      return ok(List.of(), chunkSize);
    }
    Statement.Select select = (Statement.Select) statement;
    String db = params.get("db");
    if (db == null || db.isEmpty()) {
      return json(V1Response.statementError("database name required"));
    }
    try {
      Translation t = planner.plan(db, select);
      List<V1Response.Series> series = node.queries().execute(db, t.sql(), false, null, rs -> V1Response.read(rs, t, epoch));
      return ok(series, chunkSize);
    } catch (InfluxQlException e) {
      return Json.error(400, "error parsing query: " + e.getMessage());
    } catch (QueryException e) {
      return e.status() >= 500 ? Json.error(e.status(), e.getMessage()) : json(V1Response.statementError(e.getMessage()));
    }
  }

  private static int chunkSize(String value) {
    if (value == null || value.isEmpty()) {
      return DEFAULT_CHUNK_SIZE;
    }
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(400, "invalid 'chunk_size' parameter '" + value + "': expected a positive integer");
  }

  private static HttpResponse ok(List<V1Response.Series> series, int chunkSize) {
    return json(chunkSize > 0 ? V1Response.chunked(series, chunkSize) : V1Response.json(series));
  }

  private static HttpResponse json(byte[] body) {
    return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, body);
  }
}
