package io.loadchaos.refcluster.management;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.loadchaos.refcluster.Node;
import io.loadchaos.refcluster.NodeConfig;
import io.loadchaos.refcluster.catalog.ShardDef;
import io.loadchaos.refcluster.catalog.Sharding;
import io.loadchaos.refcluster.catalog.TableSnapshot;
import io.loadchaos.refcluster.etcdcatalog.CatalogConflictException;
import io.loadchaos.refcluster.etcdcatalog.CatalogUnavailableException;
import io.loadchaos.refcluster.etcdcatalog.KeySync;
import io.loadchaos.refcluster.lp.FieldType;
import io.loadchaos.refcluster.replication.PeerClient;
import io.loadchaos.refcluster.replication.ReplicaWrite;
import io.loadchaos.refcluster.storage.NodeStorage;
import io.loadchaos.refcluster.storage.ShardStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management HTTP API: InfluxDB 3's configure endpoints (database, table), the cluster API of
 * the contract (nodes, shards, moves, sharding, decommission) and the internal calls of state
 * sync and shard moves. Changes are made by the meta node; any other node forwards them there,
 * then pulls the new state so it reads its own change. Listings show the answering node's own
 * view (kept current by the meta node's pushes), with move histories from the meta node.
 */
final class ManagementApi {
  private static final Logger log = LoggerFactory.getLogger(ManagementApi.class);
  private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(30);
  private static final Map<String, FieldType> FIELD_TYPES = Map.of(
      "utf8", FieldType.STRING, "int64", FieldType.INTEGER, "uint64", FieldType.UINTEGER, "float64", FieldType.FLOAT, "bool", FieldType.BOOLEAN);

  private final Node node;
  private final InternalClient client;
  private final StateSync sync;
  private final SourceMigrations source;
  private final MoveCoordinator moves;
  private final PeerRoutes routes;

  /** The etcd catalog (null: the meta node holds it) and this node's keys in it. */
  private final KeySync keys;
  private final EtcdState etcd;

  ManagementApi(Node node, InternalClient client, StateSync sync, SourceMigrations source, MoveCoordinator moves, PeerRoutes routes,
      KeySync keys, EtcdState etcd) {
    this.node = node;
    this.keys = keys;
    this.etcd = etcd;
    this.client = client;
    this.sync = sync;
    this.source = source;
    this.moves = moves;
    this.routes = routes;
  }

  /** Thrown by handlers: answered with the status and {@code {"error": message}}. */
  static final class Failure extends RuntimeException {
    final int status;

    Failure(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  @FunctionalInterface
  interface Handler {
    HttpResponse handle(ServiceRequestContext ctx, AggregatedHttpRequest req) throws Exception;
  }

  void register(ServerBuilder sb) {
    sb.service("/api/v3/configure/database", route(Map.of(HttpMethod.POST, onMeta(this::createDatabase), HttpMethod.GET, this::listDatabases)));
    sb.service("/api/v3/configure/table", route(Map.of(HttpMethod.POST, onMeta(this::createTable))));
    sb.service("/api/v3/cluster/nodes", route(Map.of(HttpMethod.GET, this::listNodes, HttpMethod.POST, onMeta(this::addNode))));
    sb.service("/api/v3/cluster/nodes/{id}", route(Map.of(HttpMethod.DELETE, onMeta(this::deleteNode))));
    sb.service("/api/v3/cluster/nodes/{id}/status", route(Map.of(HttpMethod.PUT, onMeta(this::setStatus))));
    sb.service("/api/v3/cluster/nodes/{id}/decommission", route(Map.of(HttpMethod.POST, onMeta(this::decommission))));
    sb.service("/api/v3/cluster/shards", route(Map.of(HttpMethod.GET, this::listShards)));
    sb.service("/api/v3/cluster/shards/move", route(Map.of(HttpMethod.POST, onMeta(this::moveShard))));
    sb.service("/api/v3/cluster/tables/sharding", route(Map.of(HttpMethod.PUT, onMeta(this::setSharding))));
    sb.service("/internal/cluster_state", route(Map.of(HttpMethod.GET, (ctx, req) -> json(200, sync.snapshot()), HttpMethod.POST, this::adoptState)));
    sb.service("/internal/moves", route(Map.of(HttpMethod.GET, (ctx, req) -> json(200, moves == null ? Map.of() : moves.registry().all()))));
    sb.service("/internal/peer_route", route(Map.of(HttpMethod.POST, this::peerRoute)));
    for (String op : List.of("start", "catchup", "fence", "finish", "abort")) {
      sb.service("/internal/migration/" + op, route(Map.of(HttpMethod.POST, (ctx, req) -> migrationStep(op, ctx, req))));
    }
    sb.service("/internal/migration/ingest", route(Map.of(HttpMethod.POST, (ctx, req) -> {
      source.ingest(req.content().array());
      return HttpResponse.of(HttpStatus.NO_CONTENT);
    })));
    sb.service("/internal/migration/forwarded_write", route(Map.of(HttpMethod.POST, this::forwardedWrite)));
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private static HttpService route(Map<HttpMethod, Handler> handlers) {
    return (ctx, req) -> {
      Handler h = handlers.get(req.method());
      if (h == null) {
        return error(405, "method " + req.method() + " not allowed on " + ctx.path() + ": use " + handlers.keySet());
      }
      return HttpResponse.of(req.aggregate().thenApplyAsync(agg -> {
        try {
          return h.handle(ctx, agg);
        } catch (Failure e) {
          return error(e.status, e.getMessage());
        } catch (CatalogUnavailableException e) {
          return error(503, e.getMessage());
        } catch (CatalogConflictException e) {
          return error(409, e.getMessage());
        } catch (IllegalArgumentException e) {
          return error(400, e.getMessage());
        } catch (Exception e) {
          log.error("{} {} failed", req.method(), ctx.path(), e);
          return error(500, "internal error: " + e);
        }
      }, ctx.blockingTaskExecutor()));
    };
  }

  /** A change: made here on the meta node, else forwarded to it (then this node pulls the result). */
  private Handler onMeta(Handler local) {
    return (ctx, req) -> {
      if (keys != null) {
        // any node: one etcd transaction with a CAS on every key the change touches
        HttpResponse r = keys.change(() -> local.handle(ctx, req));
        sync.broadcast(); // committed: the members read etcd now rather than at their next poll
        return r;
      }
      if (sync.isMeta()) {
        return local.handle(ctx, req);
      }
      AggregatedHttpResponse r = forward(ctx, req);
      if (r.status().code() < 300) {
        try {
          sync.pull();
        } catch (Exception e) {
          log.debug("pull after a forwarded change failed: {}", e.toString());
        }
      }
      return r.toHttpResponse();
    };
  }

  private AggregatedHttpResponse forward(ServiceRequestContext ctx, AggregatedHttpRequest req) throws Exception {
    String pathAndQuery = ctx.path() + (ctx.query() == null ? "" : "?" + ctx.query());
    try {
      return client.call(sync.addressOf(node.config().metaNode()), req.method(), pathAndQuery, req.contentType(),
          req.content().isEmpty() ? null : req.content().array(), FORWARD_TIMEOUT).get(FORWARD_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new Failure(503, "meta node " + node.config().metaNode() + " unreachable: " + e.getCause());
    }
  }

  static HttpResponse error(int status, String message) {
    return json(status, Map.of("error", message));
  }

  static HttpResponse json(int status, Object body) {
    try {
      return HttpResponse.of(ResponseHeaders.of(HttpStatus.valueOf(status), "content-type", MediaType.JSON_UTF_8.toString()),
          HttpData.wrap(StateSync.JSON.writeValueAsBytes(body)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode body(AggregatedHttpRequest req, String expected) {
    JsonNode n;
    try {
      n = StateSync.JSON.readTree(req.contentUtf8());
    } catch (IOException e) {
      throw new Failure(400, "body is not JSON: expected " + expected);
    }
    if (n == null || !n.isObject()) {
      throw new Failure(400, "body must be a JSON object: " + expected);
    }
    return n;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !(v.isTextual() || v.isIntegralNumber()) || v.asText().isEmpty()) {
      throw new Failure(400, "missing or empty '" + field + "'");
    }
    return v.asText();
  }

  /** A node or shard id: digits only, else 400 naming the field. */
  private static String numericId(String value, String field) {
    if (value == null || !value.matches("[0-9]{1,18}")) {
      throw new Failure(400, "invalid " + field + " '" + value + "': expected a non-negative integer id");
    }
    return Long.toString(Long.parseLong(value));
  }

  private static Object idJson(String id) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      return id;
    }
  }

  private static void validateName(String what, String name) {
    if (name.isEmpty() || name.length() > 64 || !name.matches("[A-Za-z0-9_\\-/.]+")) {
      throw new Failure(400, "invalid " + what + " name '" + name + "': expected 1-64 characters of letters, digits, '_', '-', '.' or '/'");
    }
  }

  private void broadcast() {
    if (keys != null) {
      // inside a change: its own transaction publishes it (a sync here would publish it without the CAS)
      return;
    }
    List<String> took = sync.broadcast();
    log.debug("state pushed to {}", took);
  }

  // ---- configure API --------------------------------------------------------------------------

  private HttpResponse createDatabase(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    JsonNode n = body(req, "{\"db\":\"name\"}");
    String db = text(n, "db");
    validateName("database", db);
    if (!node.catalog().catalog().createDatabase(db)) {
      throw new Failure(409, "database already exists: " + db);
    }
    broadcast();
    return HttpResponse.of(HttpStatus.CREATED);
  }

  /**
   * CREATE DATABASE of InfluxQL: what POST /api/v3/configure/database does (made on the meta node,
   * forwarded there from any other), except that an existing database is no error.
   */
  void createDatabaseIfAbsent(String db) throws IOException, InterruptedException {
    try {
      validateName("database", db);
    } catch (Failure e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    if (keys != null) {
      try {
        keys.change(() -> node.catalog().catalog().createDatabase(db));
      } catch (IOException | InterruptedException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return;
    }
    if (sync.isMeta()) {
      if (node.catalog().catalog().createDatabase(db)) {
        broadcast();
      }
      return;
    }
    byte[] body = StateSync.JSON.writeValueAsBytes(Map.of("db", db));
    AggregatedHttpResponse r;
    try {
      r = client.call(sync.addressOf(node.config().metaNode()), HttpMethod.POST, "/api/v3/configure/database", MediaType.JSON, body,
          FORWARD_TIMEOUT).get(FORWARD_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("meta node " + node.config().metaNode() + " unreachable: " + e.getCause());
    }
    int status = r.status().code();
    if (status >= 300 && status != 409) {
      throw new IllegalStateException("meta node " + node.config().metaNode() + " answered HTTP " + status + ": " + r.contentUtf8());
    }
    try {
      sync.pull(); // so this node lists the database at once
    } catch (Exception e) {
      log.debug("pull after CREATE DATABASE failed: {}", e.toString());
    }
  }

  private HttpResponse listDatabases(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    List<Map<String, String>> out = new ArrayList<>();
    for (String db : node.catalog().catalog().databases()) {
      out.add(Map.of("iox::database", db));
    }
    return json(200, out);
  }

  private HttpResponse createTable(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    String expected = "{\"db\",\"table\",\"tags\":[...],\"fields\":[{\"name\",\"type\"}]}";
    JsonNode n = body(req, expected);
    String db = text(n, "db");
    String table = text(n, "table");
    validateName("table", table);
    Map<String, String> columns = new LinkedHashMap<>();
    JsonNode tags = n.get("tags");
    if (tags != null && !tags.isNull()) {
      if (!tags.isArray()) {
        throw new Failure(400, "'tags' must be an array of tag names");
      }
      for (JsonNode t : tags) {
        if (!t.isTextual() || t.asText().isEmpty()) {
          throw new Failure(400, "'tags' entries must be non-empty strings, got " + t);
        }
        columns.put(t.asText(), TableSnapshot.TAG);
      }
    }
    JsonNode fields = n.get("fields");
    if (fields != null && !fields.isNull()) {
      if (!fields.isArray()) {
        throw new Failure(400, "'fields' must be an array of {\"name\",\"type\"}");
      }
      for (JsonNode f : fields) {
        String name = f.isObject() ? f.path("name").asText("") : "";
        String type = f.isObject() ? f.path("type").asText("") : "";
        FieldType ft = FIELD_TYPES.get(type.toLowerCase(Locale.ROOT));
        if (name.isEmpty() || ft == null) {
          throw new Failure(400, "field " + f + ": expected {\"name\":..., \"type\": one of utf8, int64, uint64, float64, bool}");
        }
        if (columns.putIfAbsent(name, ft.name()) != null) {
          throw new Failure(400, "column '" + name + "' is given twice");
        }
      }
    }
    if (!node.catalog().catalog().hasDatabase(db)) {
      throw new Failure(404, "database not found: " + db);
    }
    if (node.catalog().catalog().createTable(db, table, columns, node.catalog().defaults()) == null) {
      throw new Failure(409, "table already exists: " + db + "." + table);
    }
    broadcast();
    return HttpResponse.of(HttpStatus.CREATED);
  }

  private HttpResponse setSharding(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    JsonNode n = body(req, "{\"db_name\",\"table_name\",\"shard_keys\",\"num_hash_partitions\",\"replication_factor\"}");
    String db = text(n, "db_name");
    String table = text(n, "table_name");
    JsonNode keysNode = n.get("shard_keys");
    if (keysNode == null || !keysNode.isArray()) {
      throw new Failure(400, "'shard_keys' must be an array of tag names");
    }
    List<String> keys = new ArrayList<>();
    for (JsonNode k : keysNode) {
      if (!k.isTextual() || k.asText().isEmpty()) {
        throw new Failure(400, "'shard_keys' entries must be non-empty tag names, got " + k);
      }
      keys.add(k.asText());
    }
    JsonNode parts = n.get("num_hash_partitions");
    if (parts == null || !parts.isIntegralNumber() || parts.asInt() < 1) {
      throw new Failure(400, "'num_hash_partitions' must be an integer >= 1");
    }
    JsonNode r = n.get("replication_factor");
    if (r != null && !r.isNull() && (!r.isIntegralNumber() || r.asInt() < 1)) {
      throw new Failure(400, "'replication_factor' must be an integer >= 1");
    }
    if (!node.catalog().catalog().hasDatabase(db)) {
      throw new Failure(404, "database not found: " + db);
    }
    TableSnapshot t = node.catalog().catalog().table(db, table);
    if (t == null) {
      throw new Failure(404, "table not found: " + db + "." + table);
    }
    int rf = r == null || r.isNull() ? t.sharding().replicationFactor() : r.asInt();
    int active = node.membership().activeIds().size();
    if (rf > active) {
      throw new Failure(400, "'replication_factor' " + rf + " exceeds the " + active + " Active nodes");
    }
    node.catalog().catalog().setSharding(db, table, new Sharding(t.sharding().shardDurationNs(), keys, parts.asInt(), rf));
    broadcast();
    return json(200, Map.of("status", "updated"));
  }

  // ---- nodes ----------------------------------------------------------------------------------

  private HttpResponse listNodes(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (NodeRecord n : node.membership().list()) {
      out.add(nodeJson(n));
    }
    return json(200, out);
  }

  private static Map<String, Object> nodeJson(NodeRecord n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", idJson(n.id()));
    m.put("rpc_address", n.rpcAddress());
    m.put("http_address", n.httpAddress());
    m.put("status", n.status());
    m.put("created_at", n.createdAt());
    m.put("updated_at", n.updatedAt());
    return m;
  }

  private HttpResponse addNode(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    JsonNode n = body(req, "{\"id\",\"rpc_address\",\"http_address\",\"status\"}");
    String id = numericId(text(n, "id"), "id");
    String rpc = text(n, "rpc_address");
    String http = n.hasNonNull("http_address") ? text(n, "http_address") : rpc;
    for (String[] a : new String[][] {{"rpc_address", rpc}, {"http_address", http}}) {
      try {
        NodeConfig.parseAddress(a[1], a[0]);
      } catch (IllegalArgumentException e) {
        throw new Failure(400, e.getMessage());
      }
    }
    String status = NodeRecord.ACTIVE;
    if (n.hasNonNull("status")) {
      status = NodeRecord.canonicalStatus(n.get("status").asText());
      if (status == null) {
        throw new Failure(400, "invalid 'status' '" + n.get("status").asText() + "': expected Active, Inactive, Draining or Decommissioned");
      }
    }
    String now = Instant.now().toString();
    NodeRecord rec = new NodeRecord(id, rpc, http, status, now, now);
    if (!node.membership().add(rec)) {
      if (node.config().bugs().duplicateNodeOk()) {
        // deliberate defect: the duplicate is ignored and reported as created
        return json(201, nodeJson(rec));
      }
      throw new Failure(409, "node " + id + " already exists");
    }
    sync.connectPeers();
    broadcast();
    return json(201, nodeJson(rec));
  }

  private HttpResponse deleteNode(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    String id = numericId(ctx.pathParam("id"), "node id");
    if (node.membership().get(id) == null) {
      throw new Failure(404, "node not found: " + id);
    }
    if (keys == null && id.equals(node.config().metaNode())) {
      throw new Failure(409, "node " + id + " is the meta node and cannot be deleted");
    }
    node.membership().remove(id);
    broadcast();
    return HttpResponse.of(HttpStatus.NO_CONTENT);
  }

  private HttpResponse setStatus(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    String id = numericId(ctx.pathParam("id"), "node id");
    JsonNode n = body(req, "{\"status\":\"Active|Inactive|Draining|Decommissioned\"}");
    String raw = text(n, "status");
    String status = NodeRecord.canonicalStatus(raw);
    if (status == null) {
      throw new Failure(400, "invalid 'status' '" + raw + "': expected Active, Inactive, Draining or Decommissioned");
    }
    if (node.membership().setStatus(id, status) == null) {
      throw new Failure(404, "node not found: " + id);
    }
    broadcast();
    return json(200, Map.of("status", "updated"));
  }

  private HttpResponse decommission(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    String id = numericId(ctx.pathParam("id"), "node id");
    NodeRecord rec = node.membership().get(id);
    if (rec == null) {
      throw new Failure(404, "node not found: " + id);
    }
    if (keys == null && id.equals(node.config().metaNode())) {
      throw new Failure(409, "node " + id + " is the meta node (it holds the catalog) and cannot be decommissioned");
    }
    if (rec.status().equals(NodeRecord.DECOMMISSIONED)) {
      throw new Failure(409, "node " + id + " is already decommissioned");
    }
    List<String> remaining = new ArrayList<>(node.membership().activeIds());
    remaining.remove(id);
    for (ShardDef s : MoveCoordinator.shardsOwnedBy(node.catalog().catalog(), id)) {
      List<String> candidates = new ArrayList<>(remaining);
      candidates.removeAll(s.nodeIds());
      if (candidates.isEmpty()) {
        throw new Failure(409, "the remaining Active nodes " + remaining + " cannot hold replication factor " + s.nodeIds().size()
            + " of " + s.describe() + " (owners " + s.nodeIds() + ")");
      }
    }
    node.membership().setStatus(id, NodeRecord.DRAINING);
    broadcast();
    moves.drain(id);
    return json(202, Map.of("status", NodeRecord.DRAINING, "node_id", idJson(id)));
  }

  // ---- shards ---------------------------------------------------------------------------------

  private HttpResponse listShards(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    String db = ctx.queryParam("db");
    if (db == null || db.isEmpty()) {
      throw new Failure(400, "missing 'db' parameter");
    }
    String table = ctx.queryParam("table");
    if (!node.catalog().catalog().hasDatabase(db)) {
      throw new Failure(404, "database not found: " + db);
    }
    List<TableSnapshot> tables;
    if (table != null && !table.isEmpty()) {
      TableSnapshot t = node.catalog().catalog().table(db, table);
      if (t == null) {
        throw new Failure(404, "table not found: " + db + "." + table);
      }
      tables = List.of(t);
    } else {
      tables = node.catalog().catalog().tables(db);
    }
    Map<String, Map<Long, Long>> counts = rowCounts();
    Map<Long, MoveRegistry.Entry> moveInfo = moveInfo();
    String since = node.startedAt().toString();
    List<Map<String, Object>> out = new ArrayList<>();
    for (TableSnapshot t : tables) {
      for (ShardDef s : t.shardList()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("db", s.db());
        m.put("table", s.table());
        m.put("time_start", rfc3339(s.timeStart()));
        m.put("time_end", rfc3339(s.timeEnd()));
        m.put("time_start_ns", s.timeStart());
        m.put("time_end_ns", s.timeEnd());
        m.put("hash_partition", s.partition());
        m.put("num_hash_partitions", s.numHashPartitions());
        m.put("shard_keys", s.shardKeys());
        List<Object> ids = new ArrayList<>();
        s.nodeIds().forEach(id -> ids.add(idJson(id)));
        m.put("node_ids", ids);
        m.put("status", s.status());
        Map<String, Long> rc = new TreeMap<>();
        for (String owner : s.nodeIds()) {
          Map<Long, Long> c = counts.get(owner);
          if (c != null) {
            rc.put(owner, c.getOrDefault(s.id(), 0L));
          }
        }
        m.put("row_counts", rc);
        MoveRegistry.Entry e = moveInfo.get(s.id());
        if (e != null) {
          m.put("history", e.history());
          if (e.move() != null) {
            m.put("move", Map.of("source", idJson(e.move().source()), "target", idJson(e.move().target()), "state", e.move().state(),
                "attempts", e.move().attempts(), "source_copy", "Present"));
          }
          if (e.lastMove() != null) {
            m.put("last_move", e.lastMove());
          }
        } else {
          m.put("history", List.of(new MoveRegistry.Transition(s.status(), since)));
        }
        out.add(m);
      }
    }
    return json(200, out);
  }

  /** Move histories: the meta node's registry (asked over the network elsewhere; empty if unreachable). */
  private Map<Long, MoveRegistry.Entry> moveInfo() {
    if (etcd != null) {
      return etcd.allMoves();
    }
    if (moves != null) {
      return moves.registry().all();
    }
    try {
      AggregatedHttpResponse r = client.call(sync.addressOf(node.config().metaNode()), HttpMethod.GET, "/internal/moves", null, null,
          Duration.ofMillis(1_500)).get(2, TimeUnit.SECONDS);
      if (r.status().code() == 200) {
        return StateSync.JSON.readValue(r.content().array(), new TypeReference<Map<Long, MoveRegistry.Entry>>() {});
      }
    } catch (Exception e) {
      log.debug("move histories unavailable from the meta node: {}", e.toString());
    }
    return Map.of();
  }

  /** Rows per shard on every reachable member (unreachable ones are left out). */
  private Map<String, Map<Long, Long>> rowCounts() {
    Map<String, Map<Long, Long>> counts = new TreeMap<>();
    Map<Long, Long> mine = new TreeMap<>();
    for (ShardStore s : node.storage().shards()) {
      mine.put(s.shardId(), s.rowCount());
    }
    counts.put(node.config().id(), mine);
    Map<String, CompletableFuture<Map<Long, Long>>> remote = new HashMap<>();
    for (PeerClient p : node.peers().values()) {
      NodeRecord rec = node.membership().get(p.peerId());
      if (rec != null && !rec.status().equals(NodeRecord.DECOMMISSIONED)) {
        remote.put(p.peerId(), p.shardCounts());
      }
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
    for (Map.Entry<String, CompletableFuture<Map<Long, Long>>> e : remote.entrySet()) {
      try {
        counts.put(e.getKey(), e.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (Exception ex) {
        // unreachable member: its counts are left out
      }
    }
    return counts;
  }

  private HttpResponse moveShard(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    JsonNode n = body(req, "{\"db_name\",\"table_name\",\"shard_id_str\",\"target_node_id_str\"}");
    String db = text(n, "db_name");
    String table = text(n, "table_name");
    long shardId = Long.parseLong(numericId(text(n, "shard_id_str"), "shard_id_str"));
    String target = numericId(text(n, "target_node_id_str"), "target_node_id_str");
    String source = n.hasNonNull("source_node_id_str") ? numericId(text(n, "source_node_id_str"), "source_node_id_str") : null;
    if (!node.catalog().catalog().hasDatabase(db)) {
      throw new Failure(404, "database not found: " + db);
    }
    TableSnapshot t = node.catalog().catalog().table(db, table);
    if (t == null) {
      throw new Failure(404, "table not found: " + db + "." + table);
    }
    ShardDef s = t.shards().get(shardId);
    if (s == null) {
      throw new Failure(404, "shard " + shardId + " not found in " + db + "." + table);
    }
    NodeRecord tn = node.membership().get(target);
    if (tn == null) {
      throw new Failure(404, "target node not found: " + target);
    }
    if (s.nodeIds().contains(target)) {
      throw new Failure(409, "node " + target + " already owns shard " + shardId + " (owners " + s.nodeIds() + ")");
    }
    if (!tn.active()) {
      throw new Failure(409, "target node " + target + " is " + tn.status() + ", not Active");
    }
    if (moves.moving(shardId)) {
      throw new Failure(409, "shard " + shardId + " is already moving");
    }
    if (source == null) {
      source = busiestOwner(s);
    } else if (!s.nodeIds().contains(source)) {
      throw new Failure(409, "node " + source + " does not own shard " + shardId + " (owners " + s.nodeIds() + ")");
    }
    if (keys != null) {
      // of two moves of one shard asked of two nodes, one claims the shard's move key first; the other gets 409
      MoveRegistry.Move claim = new MoveRegistry.Move(shardId, db, table, source, target, MoveState.Stable.name(), false, 0, null,
          Instant.now().toString());
      keys.claim(EtcdState.moveKey(shardId), EtcdState.claimValue(node.config().id(), claim), "a move of shard " + shardId,
          EtcdState::moveFree);
    }
    if (moves.start(s, source, target) == null) {
      throw new Failure(409, "shard " + shardId + " is already moving");
    }
    return json(202, Map.of("status", "accepted", "shard_id", shardId, "source_node_id", idJson(source), "target_node_id", idJson(target)));
  }

  /** The owner to move away from when the caller names none: the one owning the most shards. */
  private String busiestOwner(ShardDef s) {
    Map<String, Integer> load = new HashMap<>();
    for (TableSnapshot t : node.catalog().catalog().all()) {
      for (ShardDef x : t.shards().values()) {
        x.nodeIds().forEach(o -> load.merge(o, 1, Integer::sum));
      }
    }
    String best = s.nodeIds().get(0);
    for (String o : s.nodeIds()) {
      if (load.getOrDefault(o, 0) > load.getOrDefault(best, 0)) {
        best = o;
      }
    }
    return best;
  }

  // ---- internal -------------------------------------------------------------------------------

  private HttpResponse adoptState(ServiceRequestContext ctx, AggregatedHttpRequest req) throws IOException {
    if (sync.etcdCatalog()) {
      sync.refreshFromEtcd();
      return HttpResponse.of(HttpStatus.NO_CONTENT);
    }
    if (sync.isMeta()) {
      throw new Failure(409, "node " + node.config().id() + " is the meta node: its state is authoritative");
    }
    sync.adopt(StateSync.JSON.readValue(req.content().array(), ClusterState.class));
    return HttpResponse.of(HttpStatus.NO_CONTENT);
  }

  private HttpResponse peerRoute(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    JsonNode n = body(req, "{\"id\",\"address\"}");
    String id = numericId(text(n, "id"), "id");
    String address = text(n, "address");
    NodeConfig.parseAddress(address, "address");
    routes.put(id, address);
    sync.connectPeers();
    return HttpResponse.of(HttpStatus.NO_CONTENT);
  }

  private HttpResponse migrationStep(String op, ServiceRequestContext ctx, AggregatedHttpRequest req) throws Exception {
    long shard = Long.parseLong(numericId(ctx.queryParam("shard"), "shard"));
    String target = ctx.queryParam("target");
    long n = switch (op) {
      case "start" -> source.start(shard, numericId(target, "target"));
      case "catchup" -> source.catchUp(shard);
      case "fence" -> source.fence(shard);
      case "finish" -> source.finish(shard, StateSync.JSON.readValue(req.content().array(), ShardDef.class));
      case "abort" -> {
        source.abort(shard);
        yield 0;
      }
      default -> throw new Failure(404, "no migration step " + op);
    };
    return json(200, Map.of("shard", shard, "step", op, "records", n));
  }

  private HttpResponse forwardedWrite(ServiceRequestContext ctx, AggregatedHttpRequest req) throws Exception {
    ReplicaWrite w = ReplicaWrite.decode(req.content().array());
    node.catalog().catalog().learnShard(w.shard(), node.catalog().defaults());
    node.storage().write(w.record(), NodeStorage.parse(w.record())).get(30, TimeUnit.SECONDS);
    return HttpResponse.of(HttpStatus.NO_CONTENT);
  }

  private static String rfc3339(long ns) {
    return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L)).toString();
  }
}
