package io.loadchaos.refcluster.sql;

import io.loadchaos.refcluster.Bugs;
import io.loadchaos.refcluster.NodeMetrics;
import io.loadchaos.refcluster.catalog.CatalogService;
import io.loadchaos.refcluster.catalog.ShardDef;
import io.loadchaos.refcluster.catalog.TableSnapshot;
import io.loadchaos.refcluster.lp.FieldType;
import io.loadchaos.refcluster.lp.LineProtocolParser;
import io.loadchaos.refcluster.lp.LineProtocolWriter;
import io.loadchaos.refcluster.lp.ParseResult;
import io.loadchaos.refcluster.lp.Point;
import io.loadchaos.refcluster.lp.Precision;
import io.loadchaos.refcluster.replication.PeerClient;
import io.loadchaos.refcluster.storage.NodeStorage;
import io.loadchaos.refcluster.storage.Row;
import io.loadchaos.refcluster.storage.ShardStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Distributed SQL: the receiving node picks the shards a query needs ({@link QueryPlanner}),
 * reads each from one owner (itself first), loads the rows into a fresh in-memory DuckDB (one
 * table per measurement: {@code time TIMESTAMP_NS}, tags VARCHAR, fields typed) and runs the
 * user's SQL there. A needed shard with no reachable owner fails the query, naming the shard.
 */
public final class QueryEngine {
  private static final long FRAGMENT_TIMEOUT_SECONDS = 60;
  private static final Pattern GROUP_BY = Pattern.compile("(?i)\\bgroup\\s+by\\b");
  static final int MAX_CONCURRENT = 3;
  private static final long QUEUE_WAIT_SECONDS = 30;
  private final Semaphore slots = new Semaphore(MAX_CONCURRENT, true);

  private final String selfId;
  private final CatalogService catalog;
  private final NodeStorage storage;
  private final Map<String, PeerClient> peers;
  private final NodeMetrics metrics;
  private final Bugs bugs;

  public QueryEngine(String selfId, CatalogService catalog, NodeStorage storage, Map<String, PeerClient> peers, NodeMetrics metrics,
      Bugs bugs) {
    this.selfId = selfId;
    this.catalog = catalog;
    this.storage = storage;
    this.peers = peers;
    this.metrics = metrics;
    this.bugs = bugs;
  }

  /** Consumes the result while the DuckDB connection is still open. */
  @FunctionalInterface
  public interface ResultHandler<T> {
    T handle(ResultSet rs) throws Exception;
  }

  /**
   * Runs {@code sql} over database {@code db}. {@code local} reads only this node's own copies
   * (no fan-out); {@code shardId} (nullable) restricts a local read to one shard.
   */
  public <T> T execute(String db, String sql, boolean local, Long shardId, ResultHandler<T> handler) {
    if (sql == null || sql.isBlank()) {
      throw new QueryException(400, "missing query: pass the SQL in 'q'");
    }
    // a query materialises every row it needs in this JVM: bound how many run at once so a burst
    // of queries over large tables queues (or gets a 503) instead of exhausting the heap
    boolean admitted;
    try {
      admitted = slots.tryAcquire(QUEUE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueryException(503, "interrupted while waiting for a query slot");
    }
    if (!admitted) {
      throw new QueryException(503, "too many concurrent queries: " + MAX_CONCURRENT + " running, waited " + QUEUE_WAIT_SECONDS + " s for a slot");
    }
    try {
      return executeAdmitted(db, sql, local, shardId, handler);
    } finally {
      slots.release();
    }
  }

  private <T> T executeAdmitted(String db, String sql, boolean local, Long shardId, ResultHandler<T> handler) {
    if (!catalog.catalog().hasDatabase(db)) {
      throw new QueryException(404, "database not found: " + db);
    }
    metrics.queries.increment();
    List<TableSnapshot> tables = QueryPlanner.referencedTables(sql, catalog.catalog().tables(db));
    // deliberate defect no-pruning: every shard is read whatever the WHERE clause
    boolean prune = !bugs.noPruning() && QueryPlanner.prunable(sql, tables.size());
    QueryPlanner.TimeBounds bounds = prune ? QueryPlanner.timeBounds(sql) : QueryPlanner.TimeBounds.ALL;
    Map<String, List<Fragment>> fragments = new TreeMap<>();
    for (TableSnapshot t : tables) {
      List<Fragment> list = new ArrayList<>();
      if (local) {
        for (ShardStore s : storage.shards()) {
          if (s.db().equals(db) && s.table().equals(t.table()) && (shardId == null || s.shardId() == shardId)) {
            metrics.queryFragments.increment();
            list.add(Fragment.local(s));
          }
        }
      } else {
        List<ShardDef> shards = prune ? prune(sql, t, bounds) : t.shardList();
        for (ShardDef s : shards) {
          list.add(fetch(s, bounds));
          if (bugs.mergeDuplicates() && s.nodeIds().size() > 1) {
            list.add(hedge(s, bounds));
          }
        }
      }
      fragments.put(t.table(), list);
    }
    try (Connection conn = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement st = conn.createStatement()) {
        st.execute("SET threads=1");
        st.execute("SET memory_limit='256MB'");
        st.execute("SET TimeZone='UTC'");
      }
      // deliberate defect wrong-aggregate: a GROUP BY query loses one row of its first table
      boolean dropRow = bugs.wrongAggregate() && GROUP_BY.matcher(sql).find();
      for (TableSnapshot t : tables) {
        load(conn, t, fragments.get(t.table()), bounds, dropRow);
        dropRow = false;
      }
      try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        return handler.handle(rs);
      }
    } catch (QueryException e) {
      throw e;
    } catch (SQLException e) {
      throw new QueryException(400, "query failed: " + e.getMessage(), e);
    } catch (Exception e) {
      throw new QueryException(500, "query failed: " + e, e);
    }
  }

  /** The shards a query needs, or the wrong ones under a deliberate pruning defect. */
  private List<ShardDef> prune(String sql, TableSnapshot t, QueryPlanner.TimeBounds bounds) {
    List<ShardDef> shards = new ArrayList<>(QueryPlanner.prune(sql, t, bounds));
    if (bugs.pruneOffByOne()) {
      shards.removeIf(s -> s.timeStart() == bounds.min());
    }
    if (bugs.pruneWrongPartition()) {
      List<ShardDef> wrong = new ArrayList<>();
      for (ShardDef s : t.shardList()) {
        Set<Integer> parts = QueryPlanner.partitions(sql, s.shardKeys(), s.numHashPartitions());
        boolean inTime = s.timeEnd() > bounds.min() && s.timeStart() <= bounds.max();
        if (inTime && (parts == null ? shards.contains(s) : parts.contains((s.partition() + s.numHashPartitions() - 1) % s.numHashPartitions()))) {
          wrong.add(s);
        }
      }
      shards = wrong;
    }
    return shards;
  }

  /** Rows of one shard: this node's copy, or line protocol fetched from an owner. */
  private record Fragment(ShardStore localCopy, CompletableFuture<byte[]> remote) {
    static Fragment local(ShardStore s) {
      return new Fragment(s, null);
    }
  }

  private Fragment fetch(ShardDef s, QueryPlanner.TimeBounds bounds) {
    if (s.nodeIds().contains(selfId)) {
      ShardStore mine = storage.shard(s.id());
      metrics.queryFragments.increment();
      return mine == null ? new Fragment(null, CompletableFuture.completedFuture(new byte[0])) : Fragment.local(mine);
    }
    List<PeerClient> order = new ArrayList<>();
    List<PeerClient> suspected = new ArrayList<>();
    for (String owner : s.nodeIds()) {
      PeerClient p = peers.get(owner);
      if (p != null) {
        (p.health().suspected() ? suspected : order).add(p);
      }
    }
    order.addAll(suspected);
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    tryOwners(s, bounds, order, 0, new ArrayList<>(), result);
    return new Fragment(null, result);
  }

  /**
   * The deliberate {@code merge-duplicates} defect: a hedged second read of a replicated shard from
   * another owner than the one {@link #fetch} reads first, whose rows are loaded as well instead of
   * being discarded. A failed hedge adds nothing.
   */
  private Fragment hedge(ShardDef s, QueryPlanner.TimeBounds bounds) {
    List<PeerClient> healthy = new ArrayList<>();
    for (String owner : s.nodeIds()) {
      PeerClient p = peers.get(owner);
      if (p != null && !p.health().suspected()) {
        healthy.add(p);
      }
    }
    // fetch reads this node's copy when it owns the shard, else the first healthy peer
    int skip = s.nodeIds().contains(selfId) ? 0 : 1;
    if (healthy.size() <= skip) {
      return new Fragment(null, CompletableFuture.completedFuture(new byte[0]));
    }
    metrics.queryFragments.increment();
    return new Fragment(null, healthy.get(skip).fragment(s.id(), bounds.min(), bounds.max()).exceptionally(ex -> new byte[0]));
  }

  private void tryOwners(ShardDef s, QueryPlanner.TimeBounds b, List<PeerClient> order, int i, List<String> errors,
      CompletableFuture<byte[]> result) {
    if (i >= order.size() && bugs.partialResults()) {
      // deliberate defect: the unreachable shard is silently left out of the answer
      result.complete(new byte[0]);
      return;
    }
    if (i >= order.size()) {
      result.completeExceptionally(new QueryException(503,
          s.describe() + ": no reachable owner among " + s.nodeIds() + (errors.isEmpty() ? "" : " (" + String.join("; ", errors) + ")")));
      return;
    }
    PeerClient p = order.get(i);
    p.fragment(s.id(), b.min(), b.max()).whenComplete((bytes, ex) -> {
      if (ex == null) {
        p.health().ok();
        result.complete(bytes);
      } else {
        p.health().failed();
        errors.add("node " + p.peerId() + ": " + rootMessage(ex));
        tryOwners(s, b, order, i + 1, errors, result);
      }
    });
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
  }

  /**
   * Loads a table's fragments into the query's DuckDB table: this node's copies first, then each
   * peer's fragment parsed and appended on its own, so at most one fragment's points are decoded
   * at a time (decoding every fragment before appending ran a 2 GB node out of heap on a query
   * over ~10M points). Columns come from the catalog; one a fragment brings that the catalog does
   * not know yet is added with ALTER TABLE.
   */
  private void load(Connection conn, TableSnapshot t, List<Fragment> fragments, QueryPlanner.TimeBounds b, boolean dropFirstRow)
      throws Exception {
    Columns cols = new Columns(t.columns());
    try (Statement st = conn.createStatement()) {
      st.execute(cols.ddl(t.table()));
    }
    DuckDBAppender app = ((DuckDBConnection) conn).createAppender(DuckDBConnection.DEFAULT_SCHEMA, t.table());
    try {
      for (Fragment f : fragments) {
        if (f.localCopy() != null) {
          Object[] vals = new Object[cols.count()];
          FieldType[] types = cols.types();
          DuckDBAppender local = app;
          SQLException[] failure = new SQLException[1];
          f.localCopy().scan(b.min(), b.max(), (series, time, row) -> {
            if (failure[0] != null) {
              return;
            }
            try {
              fill(vals, cols.index, series.tagKeys(), series.tagValues(), row.names(), row.values());
              append(local, time, vals, types);
            } catch (SQLException e) {
              failure[0] = e;
            }
          });
          if (failure[0] != null) {
            throw failure[0];
          }
        }
      }
      for (Fragment f : fragments) {
        if (f.remote() == null) {
          continue;
        }
        List<Point> points = remotePoints(t, f);
        Map<String, String> added = cols.missing(points);
        if (!added.isEmpty()) {
          // an open appender does not see a changed schema: close, alter, reopen
          app.close();
          try (Statement st = conn.createStatement()) {
            for (Map.Entry<String, String> c : added.entrySet()) {
              st.execute(cols.add(t.table(), c.getKey(), c.getValue()));
            }
          }
          app = ((DuckDBConnection) conn).createAppender(DuckDBConnection.DEFAULT_SCHEMA, t.table());
        }
        Object[] vals = new Object[cols.count()];
        FieldType[] types = cols.types();
        for (Point p : points) {
          fill(vals, cols.index, p.tagKeys(), p.tagValues(), p.fieldNames(), p.fieldValues());
          append(app, p.timeNs(), vals, types);
        }
      }
    } finally {
      app.close();
    }
    if (dropFirstRow) {
      // the first row in (tags in name order, time) order: one row of one group, the same every time
      StringBuilder order = new StringBuilder();
      for (String tag : new TreeMap<>(cols.tags).keySet()) {
        order.append(quote(tag)).append(" NULLS FIRST, ");
      }
      order.append("time");
      try (Statement st = conn.createStatement()) {
        st.execute("DELETE FROM " + quote(t.table()) + " WHERE rowid = (SELECT rowid FROM " + quote(t.table()) + " ORDER BY " + order + " LIMIT 1)");
      }
    }
  }

  private static List<Point> remotePoints(TableSnapshot t, Fragment f) throws Exception {
    byte[] bytes;
    try {
      bytes = f.remote().get(FRAGMENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof QueryException q) {
        throw q;
      }
      throw new QueryException(503, "reading a fragment of table " + t.table() + " failed: " + rootMessage(e));
    }
    ParseResult pr = LineProtocolParser.parse(new String(bytes, StandardCharsets.UTF_8), Precision.NANOSECOND, 0);
    return pr.points();
  }

  /**
   * The query table's columns: time, then tags and fields in name order as the catalog knows them,
   * then any a fragment added (their column numbers in {@link #index}).
   */
  private static final class Columns {
    final Map<String, Integer> index = new HashMap<>();
    final Map<String, String> tags = new HashMap<>();
    private final List<FieldType> types = new ArrayList<>();
    private final List<String> order = new ArrayList<>();
    private final Map<String, String> declared = new HashMap<>();

    Columns(Map<String, String> catalog) {
      types.add(null); // column 0 is time
      TreeMap<String, String> sorted = new TreeMap<>(catalog);
      sorted.forEach((k, v) -> {
        if (v.equals(TableSnapshot.TAG)) {
          put(k, v);
        }
      });
      sorted.forEach((k, v) -> {
        if (!v.equals(TableSnapshot.TAG)) {
          put(k, v);
        }
      });
    }

    private void put(String name, String type) {
      index.put(name, types.size());
      types.add(type.equals(TableSnapshot.TAG) ? null : FieldType.valueOf(type));
      order.add(name);
      declared.put(name, type);
      if (type.equals(TableSnapshot.TAG)) {
        tags.put(name, type);
      }
    }

    int count() {
      return types.size();
    }

    FieldType[] types() {
      return types.toArray(new FieldType[0]);
    }

    String ddl(String table) {
      StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(quote(table)).append(" (time TIMESTAMP_NS NOT NULL");
      for (String c : order) {
        ddl.append(", ").append(quote(c)).append(' ').append(sqlType(declared.get(c)));
      }
      return ddl.append(')').toString();
    }

    /** Columns of these points that the table lacks, tags before fields, first type seen wins. */
    Map<String, String> missing(List<Point> points) {
      Map<String, String> tagsAdded = new TreeMap<>();
      Map<String, String> fieldsAdded = new TreeMap<>();
      for (Point p : points) {
        for (String k : p.tagKeys()) {
          if (!index.containsKey(k)) {
            tagsAdded.putIfAbsent(k, TableSnapshot.TAG);
          }
        }
        for (int i = 0; i < p.fieldNames().length; i++) {
          if (!index.containsKey(p.fieldNames()[i])) {
            fieldsAdded.putIfAbsent(p.fieldNames()[i], p.fieldTypes()[i].name());
          }
        }
      }
      Map<String, String> all = new LinkedHashMap<>(tagsAdded);
      fieldsAdded.forEach(all::putIfAbsent);
      return all;
    }

    String add(String table, String name, String type) {
      put(name, type);
      return "ALTER TABLE " + quote(table) + " ADD COLUMN " + quote(name) + " " + sqlType(type);
    }

    private static String sqlType(String type) {
      return type.equals(TableSnapshot.TAG) ? "VARCHAR" : FieldType.valueOf(type).sqlType();
    }
  }

  private static void fill(Object[] vals, Map<String, Integer> index, String[] tagKeys, String[] tagValues, String[] names, Object[] values) {
    Arrays.fill(vals, null);
    for (int i = 0; i < tagKeys.length; i++) {
      Integer c = index.get(tagKeys[i]);
      if (c != null) {
        vals[c] = tagValues[i];
      }
    }
    for (int i = 0; i < names.length; i++) {
      Integer c = index.get(names[i]);
      if (c != null) {
        vals[c] = values[i];
      }
    }
  }

  private static void append(DuckDBAppender app, long time, Object[] vals, FieldType[] types) throws SQLException {
    app.beginRow();
    app.appendEpochNanos(time);
    for (int c = 1; c < vals.length; c++) {
      Object v = vals[c];
      FieldType t = types[c];
      if (v == null) {
        app.appendNull();
      } else if (t == null) {
        app.append(v instanceof String s ? s : String.valueOf(v));
      } else if (t == FieldType.FLOAT && v instanceof Double d) {
        app.append((double) d);
      } else if ((t == FieldType.INTEGER || t == FieldType.UINTEGER) && v instanceof Long l) {
        app.append((long) l);
      } else if (t == FieldType.BOOLEAN && v instanceof Boolean bo) {
        app.append((boolean) bo);
      } else if (t == FieldType.STRING && v instanceof String s) {
        app.append(s);
      } else {
        app.appendNull();
      }
    }
    app.endRow();
  }

  static String quote(String ident) {
    return '"' + ident.replace("\"", "\"\"") + '"';
  }

  /** Serves a peer's fragment request: this node's rows of one shard as canonical line protocol. */
  public byte[] fragment(long shardId, long minTime, long maxTime) {
    metrics.queryFragments.increment();
    ShardStore s = storage.shard(shardId);
    if (s == null) {
      return new byte[0];
    }
    StringBuilder sb = new StringBuilder();
    s.scan(minTime, maxTime, (series, time, row) -> appendRow(sb, series.key(), time, row));
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void appendRow(StringBuilder sb, String seriesKey, long time, Row row) {
    LineProtocolWriter.appendLine(sb, seriesKey, row.names(), row.types(), row.values(), time);
  }
}
