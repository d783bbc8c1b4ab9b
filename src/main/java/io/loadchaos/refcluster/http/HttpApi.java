package io.loadchaos.refcluster.http;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.loadchaos.refcluster.Node;
import io.loadchaos.refcluster.SlowWrite;
import io.loadchaos.refcluster.catalog.EnsureRequest;
import io.loadchaos.refcluster.catalog.ShardDef;
import io.loadchaos.refcluster.catalog.Sharding;
import io.loadchaos.refcluster.catalog.TableSnapshot;
import io.loadchaos.refcluster.lp.LineError;
import io.loadchaos.refcluster.lp.ParseResult;
import io.loadchaos.refcluster.lp.Point;
import io.loadchaos.refcluster.lp.Precision;
import io.loadchaos.refcluster.replication.ReplicaWrite;
import io.loadchaos.refcluster.replication.WriteCoordinator;
import io.loadchaos.refcluster.replication.WriteOutcome;
import io.loadchaos.refcluster.sql.QueryException;
import io.loadchaos.refcluster.sql.ResultFormat;
import io.loadchaos.refcluster.sql.SqlParameters;
import io.loadchaos.refcluster.storage.NodeStorage;
import io.loadchaos.refcluster.storage.ShardStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API: InfluxDB 3 write and query endpoints, health/ping/metrics, the cluster API
 * (nodes, shards, table sharding) and the internal node-to-node calls under {@code /internal/}.
 */
public final class HttpApi {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  /** InfluxDB 3's default --max-http-request-size. */
  private static final int MAX_WRITE_BYTES = 10 * 1024 * 1024;

  private final Node node;
  /**
   * Node-to-node calls run on their own threads and never wait for fsync on a thread: if they
   * shared the pool of client requests, coordinators on every node could fill all threads waiting
   * for replicas whose requests queue behind them (a distributed deadlock).
   */
  private final ExecutorService internal = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "internal-api");
    t.setDaemon(true);
    return t;
  });

  /** Client paths the slow-start defect refuses while the node warms up. */
  private static final Set<String> CLIENT_PATHS = Set.of("/api/v3/write_lp", "/api/v2/write", "/write", "/api/v3/query_sql",
      "/api/v3/query_influxql", "/query");

  /** Until when the slow-start defect refuses client calls ({@link Instant#MIN}: never). */
  private final Instant refuseClientsUntil;

  public HttpApi(Node node) {
    this(node, Instant.MIN);
  }

  public HttpApi(Node node, Instant refuseClientsUntil) {
    this.node = node;
    this.refuseClientsUntil = refuseClientsUntil;
  }

  public void register(ServerBuilder sb) {
    sb.service("/api/v3/write_lp", blocking(HttpMethod.POST, this::writeV3));
    sb.service("/api/v2/write", blocking(HttpMethod.POST, this::writeV2));
    sb.service("/write", blocking(HttpMethod.POST, this::writeV1));
    sb.service("/api/v3/query_sql", blocking(null, this::querySql));
    new InfluxQlApi(node).register(sb);
    sb.service("/health", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "OK"));
    sb.service("/ping", (ctx, req) -> Json.ok(Map.of("version", "loadchaos-refcluster", "revision", "0", "node_id", node.config().id(),
        "pid", ProcessHandle.current().pid())));
    sb.service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), node.metrics().scrape()));
    node.management().register(sb); // configure + cluster API, move and state-sync internals
    sb.service("/internal/write", offloaded(HttpMethod.POST, this::internalWrite, internal));
    sb.service("/internal/fragment", offloaded(HttpMethod.GET, this::internalFragment, internal));
    sb.service("/internal/catalog", offloaded(HttpMethod.GET, (ctx, req) -> Json.ok(node.catalog().catalog().all()), internal));
    sb.service("/internal/catalog/ensure", offloaded(HttpMethod.POST, this::internalEnsure, internal));
    sb.service("/internal/catalog/sharding", offloaded(HttpMethod.PUT, this::internalSharding, internal));
    sb.service("/internal/shard_counts", offloaded(HttpMethod.GET, this::shardCounts, internal));
    if (refuseClientsUntil.isAfter(Instant.now())) {
      sb.decorator((delegate, ctx, req) -> CLIENT_PATHS.contains(ctx.path()) && Instant.now().isBefore(refuseClientsUntil)
          ? Json.error(503, "node is starting (deliberate defect slow-start): serving clients from " + refuseClientsUntil)
          : delegate.serve(ctx, req));
    }
    String token = node.config().authToken();
    if (token != null) {
      sb.decorator((delegate, ctx, req) -> {
        String path = ctx.path();
        boolean grpc = req.headers().contentType() != null && req.headers().contentType().subtype().startsWith("grpc");
        // gRPC (Flight) checks the token itself, so it can answer with a proper gRPC status
        if (grpc || path.equals("/health") || path.equals("/ping") || authorized(req.headers().get("authorization"), ctx, token)) {
          return delegate.serve(ctx, req);
        }
        return Json.error(401, "unauthorized: missing or invalid token");
      });
    }
  }

  /** Whether an Authorization header value carries the token (Bearer or Token scheme). */
  public static boolean tokenMatches(String header, String token) {
    if (header != null) {
      String h = header.trim();
      for (String scheme : new String[] {"Bearer ", "Token "}) {
        if (h.regionMatches(true, 0, scheme, 0, scheme.length()) && h.substring(scheme.length()).trim().equals(token)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean authorized(String header, ServiceRequestContext ctx, String token) {
    if (tokenMatches(header, token)) {
      return true;
    }
    // the v1 API also accepts the token as the password parameter
    return token.equals(ctx.queryParam("p"));
  }

  /** A handler that runs off the event loop with the whole request body. */
  @FunctionalInterface
  interface Handler {
    HttpResponse handle(ServiceRequestContext ctx, AggregatedHttpRequest req) throws Exception;
  }

  static HttpService blocking(HttpMethod method, Handler h) {
    return (ctx, req) -> offloaded(method, h, ctx.blockingTaskExecutor()).serve(ctx, req);
  }

  private static HttpService offloaded(HttpMethod method, Handler h, Executor executor) {
    return (ctx, req) -> {
      if (method != null && req.method() != method) {
        return Json.error(405, "method " + req.method() + " not allowed on " + ctx.path() + ": use " + method);
      }
      return HttpResponse.of(req.aggregate().thenApplyAsync(agg -> {
        try {
          return h.handle(ctx, agg);
        } catch (ApiException e) {
          return Json.error(e.status, e.getMessage());
        } catch (QueryException e) {
          return Json.error(e.status(), e.getMessage());
        } catch (IllegalArgumentException e) {
          return Json.error(400, e.getMessage());
        } catch (Exception e) {
          log.error("{} {} failed", req.method(), ctx.path(), e);
          return Json.error(500, "internal error: " + e);
        }
      }, executor));
    };
  }

  // ---- writes ---------------------------------------------------------------------------------

  private HttpResponse writeV3(ServiceRequestContext ctx, AggregatedHttpRequest req) throws IOException {
    String db = required(ctx, "db");
    Precision p = Precision.parse(ctx.queryParam("precision"), Precision.AUTO);
    boolean acceptPartial = bool(ctx, "accept_partial", true);
    boolean noSync = bool(ctx, "no_sync", false);
    return write(db, req, p, acceptPartial, noSync, "write_lp");
  }

  private HttpResponse writeV2(ServiceRequestContext ctx, AggregatedHttpRequest req) throws IOException {
    String db = required(ctx, "bucket");
    Precision p = Precision.parse(ctx.queryParam("precision"), Precision.NANOSECOND);
    return write(db, req, p, true, false, "v2 write");
  }

  private HttpResponse writeV1(ServiceRequestContext ctx, AggregatedHttpRequest req) throws IOException {
    String db = required(ctx, "db");
    String rp = ctx.queryParam("rp");
    if (rp != null && !rp.isEmpty() && !rp.equals("autogen") && !rp.equals("default")) {
      db = db + "/" + rp;
    }
    Precision p = Precision.parse(ctx.queryParam("precision"), Precision.NANOSECOND);
    return write(db, req, p, true, false, "v1 write");
  }

  private HttpResponse write(String db, AggregatedHttpRequest req, Precision precision, boolean acceptPartial, boolean noSync,
      String endpoint) throws IOException {
    validateDbName(db);
    byte[] bytes = body(req);
    if (bytes.length > MAX_WRITE_BYTES) {
      node.metrics().writeFailures.increment();
      return Json.error(413, "request body of " + bytes.length + " bytes exceeds the maximum of " + MAX_WRITE_BYTES);
    }
    long now = System.currentTimeMillis() * 1_000_000L;
    // deliberate defect slow-write=F: the parse redoes its work, real CPU on the write path
    ParseResult parsed = SlowWrite.parse(bytes, precision, now, node.config().bugs().slowWrite());
    if (parsed.nonEmptyLines() == 0) {
      node.metrics().writeFailures.increment();
      return Json.error(400, "no lines in the request body: expected line protocol");
    }
    if (parsed.points().isEmpty()) {
      node.metrics().writeFailures.increment();
      return lineErrors("parsing failed for " + endpoint + " endpoint", parsed.errors());
    }
    WriteOutcome out = node.coordinator().write(db, parsed, acceptPartial, noSync);
    if (out.quorumFailed()) {
      node.metrics().writeFailures.increment();
      return Json.error(503, out.quorumError());
    }
    if (!out.lineErrors().isEmpty()) {
      node.metrics().writeFailures.increment();
      if (!acceptPartial || out.pointsAccepted() == 0) {
        return lineErrors("parsing failed for " + endpoint + " endpoint", out.lineErrors());
      }
      return lineErrors("partial write of line protocol occurred", out.lineErrors());
    }
    if (node.config().bugs().phantomWrite(bytes)) {
      // deliberate defect phantom-write: the batch is stored and replicated, but the client is told
      // nothing was written (a whole-batch parse error, not a partial write)
      node.metrics().writeFailures.increment();
      return lineErrors("parsing failed for " + endpoint + " endpoint",
          List.of(new LineError(parsed.lineNumberOf(0), parsed.lineText(0), "A generic parsing error occurred: TakeWhile1")));
    }
    node.metrics().writes.increment();
    return HttpResponse.of(HttpStatus.NO_CONTENT);
  }

  private static HttpResponse lineErrors(String message, List<LineError> errors) {
    List<Map<String, Object>> data = new ArrayList<>();
    for (LineError e : errors) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("original_line", e.originalLine());
      m.put("line_number", e.lineNumber());
      m.put("error_message", e.message());
      data.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("data", data);
    return Json.of(HttpStatus.BAD_REQUEST, body);
  }

  private static byte[] body(AggregatedHttpRequest req) throws IOException {
    byte[] raw = req.content().array();
    String enc = req.headers().get("content-encoding");
    if (enc != null && enc.toLowerCase(Locale.ROOT).contains("gzip")) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4);
        byte[] buf = new byte[65536];
        int n;
        while ((n = in.read(buf)) > 0) {
          out.write(buf, 0, n);
          if (out.size() > MAX_WRITE_BYTES) {
            break;
          }
        }
        return out.toByteArray();
      } catch (IOException e) {
        throw new ApiException(400, "request body is not valid gzip: " + e.getMessage());
      }
    }
    return raw;
  }

  private static void validateDbName(String db) {
    if (db.isEmpty() || db.length() > 64 || !db.matches("[A-Za-z0-9_\\-/]+")) {
      throw new ApiException(400, "invalid database name '" + db + "': expected 1-64 characters of letters, digits, '_', '-' or '/'");
    }
  }

  // ---- queries --------------------------------------------------------------------------------

  private HttpResponse querySql(ServiceRequestContext ctx, AggregatedHttpRequest req) throws Exception {
    Map<String, String> params = QueryRequest.params(ctx, req);
    String db = params.get("db");
    if (db == null || db.isEmpty()) {
      throw new ApiException(400, "missing 'db' parameter");
    }
    String q = params.get("q");
    ResultFormat format = ResultFormat.parse(params.get("format"));
    boolean local = "true".equalsIgnoreCase(params.get("local"));
    Long shard = null;
    if (params.get("shard") != null) {
      try {
        shard = Long.parseLong(params.get("shard"));
      } catch (NumberFormatException e) {
        throw new ApiException(400, "invalid 'shard' parameter '" + params.get("shard") + "': expected a shard id number");
      }
    }
    String sql = SqlParameters.bind(q, QueryRequest.bindings(params));
    byte[] out = node.queries().execute(db, sql, local, shard, format::write);
    return HttpResponse.of(HttpStatus.OK, MediaType.parse(format.contentType()), out);
  }

  // ---- cluster API ----------------------------------------------------------------------------

  // ---- internal node-to-node calls ------------------------------------------------------------

  private HttpResponse internalWrite(ServiceRequestContext ctx, AggregatedHttpRequest req) throws Exception {
    ReplicaWrite w = ReplicaWrite.decode(req.content().array());
    CompletableFuture<Void> redirected = node.management().redirectIfNotOwner(w);
    if (redirected != null) {
      // this node no longer owns the shard (moved away): the current owners get the write
      return HttpResponse.of(redirected.handle((v, ex) -> ex == null
          ? HttpResponse.of(HttpStatus.NO_CONTENT)
          : Json.error(503, "forwarding to the shard's current owners failed: " + ex)));
    }
    var cat = node.catalog();
    cat.catalog().learnShard(w.shard(), cat.defaults());
    List<Point> points = NodeStorage.parse(w.record());
    Map<String, String> cols = new HashMap<>();
    Point prev = null;
    for (Point p : points) {
      if (WriteCoordinator.sameColumns(p, prev)) {
        continue;
      }
      prev = p;
      for (String k : p.tagKeys()) {
        cols.putIfAbsent(k, TableSnapshot.TAG);
      }
      for (int i = 0; i < p.fieldNames().length; i++) {
        cols.putIfAbsent(p.fieldNames()[i], p.fieldTypes()[i].name());
      }
    }
    cat.catalog().learnColumns(w.shard().db(), w.shard().table(), cols, cat.defaults());
    CompletableFuture<Void> durable = node.storage().write(w.record(), points);
    if (bool(ctx, "no_sync", false)) {
      return HttpResponse.of(HttpStatus.NO_CONTENT);
    }
    // answer when the WAL record is fsynced, without holding a thread meanwhile
    return HttpResponse.of(durable.handle((v, ex) -> ex == null
        ? HttpResponse.of(HttpStatus.NO_CONTENT)
        : Json.error(500, "WAL append failed: " + ex)));
  }

  private HttpResponse internalFragment(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    long shard = Long.parseLong(required(ctx, "shard"));
    long min = Long.parseLong(required(ctx, "min"));
    long max = Long.parseLong(required(ctx, "max"));
    if (node.storage().shard(shard) == null && !ownsPerCatalog(shard)) {
      // a reader with a stale catalog asked a former owner: make it try the current owners
      return Json.error(404, "shard " + shard + " is not held by node " + node.config().id());
    }
    return chunked(MediaType.PLAIN_TEXT_UTF_8, node.queries().fragment(shard, min, max));
  }

  /** Chunk size of large bodies: see {@link #chunked}. */
  static final int BODY_CHUNK = 256 * 1024;

  /**
   * A large body as a stream of chunks. Sent in one piece, a fragment (often 10+ MB) is copied into
   * one direct buffer that stays until the reader has taken all of it; a few such responses to a
   * slow reader exhausted the node's direct memory. Chunks are copied one at a time, as the
   * connection takes them.
   */
  static HttpResponse chunked(MediaType type, byte[] body) {
    int n = Math.max(1, (body.length + BODY_CHUNK - 1) / BODY_CHUNK);
    HttpData[] parts = new HttpData[n];
    for (int i = 0; i < n; i++) {
      int from = i * BODY_CHUNK;
      parts[i] = HttpData.wrap(body, from, Math.min(BODY_CHUNK, body.length - from));
    }
    return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE, type), StreamMessage.of(parts));
  }

  private boolean ownsPerCatalog(long shardId) {
    for (TableSnapshot t : node.catalog().catalog().all()) {
      ShardDef s = t.shards().get(shardId);
      if (s != null) {
        return s.nodeIds().contains(node.config().id());
      }
    }
    return true; // unknown shard: an owner that has not learned it yet answers empty
  }

  private HttpResponse internalEnsure(ServiceRequestContext ctx, AggregatedHttpRequest req) throws IOException {
    if (!node.catalog().isMeta()) {
      throw new ApiException(421, "node " + node.config().id() + " is not the meta node");
    }
    EnsureRequest r = Json.MAPPER.readValue(req.content().array(), EnsureRequest.class);
    return Json.ok(node.catalog().ensure(r));
  }

  private HttpResponse internalSharding(ServiceRequestContext ctx, AggregatedHttpRequest req) throws IOException {
    Sharding s = Json.MAPPER.readValue(req.content().array(), Sharding.class);
    TableSnapshot t = node.catalog().catalog().setSharding(required(ctx, "db"), required(ctx, "table"), s);
    if (t == null) {
      throw new ApiException(404, "table not found: " + ctx.queryParam("db") + "." + ctx.queryParam("table"));
    }
    return Json.ok(Map.of("status", "updated"));
  }

  private HttpResponse shardCounts(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    return Json.ok(localCounts());
  }

  private Map<Long, Long> localCounts() {
    Map<Long, Long> out = new TreeMap<>();
    for (ShardStore s : node.storage().shards()) {
      out.put(s.shardId(), s.rowCount());
    }
    return out;
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static String required(ServiceRequestContext ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) {
      throw new ApiException(400, "missing '" + name + "' parameter");
    }
    return v;
  }

  private static boolean bool(ServiceRequestContext ctx, String name, boolean dflt) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw new ApiException(400, "invalid '" + name + "' parameter '" + v + "': expected true or false");
  }




}
