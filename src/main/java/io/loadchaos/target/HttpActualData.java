package io.loadchaos.target;

import io.loadchaos.check.ActualData;
import io.loadchaos.check.ExpectedData.Point;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads whole tables through the query endpoints of every node, in time windows rotated over the
 * nodes: window {@code i} through node {@code i mod N}, the same mapping in every pass. A node
 * answers from its own copy of the shards it owns first, so every node's copies are read by some
 * window; the replica check compares each shard's copies across all its owners. Windows hold at
 * most {@link #POINTS_PER_WINDOW} expected points and at least one slice goes to every node, so
 * neither side holds a whole table at once. SQL through a single node is one {@code SELECT *}.
 */
public final class HttpActualData implements ActualData {
  static final long POINTS_PER_WINDOW = 200_000;

  private final ClusterHttp http;
  private final List<String> baseUrls;
  private final String db;
  private final Map<String, List<String>> tagKeys;
  private final QueryApi api;

  public HttpActualData(ClusterHttp http, List<String> baseUrls, String db, Map<String, List<String>> tagKeys, QueryApi api) {
    if (baseUrls.isEmpty()) throw new IllegalArgumentException("read-back needs at least one node URL");
    this.http = http;
    this.baseUrls = List.copyOf(baseUrls);
    this.db = db;
    this.tagKeys = tagKeys;
    this.api = api;
  }

  /** What this reads, for verdicts: {@code /query (influxql v1) at http://..., http://... (...)}. */
  public String source() {
    String at = api.path() + " (" + api.label() + ") at " + String.join(", ", baseUrls);
    int n = baseUrls.size();
    return n == 1 ? at : at + ", time windows rotated over the " + n + " nodes (window i through node i mod " + n + ")";
  }

  /** InfluxDB 1.x JSON writes the float 1.0 as {@code 1}: the v1 path compares numbers by value only. */
  @Override
  public boolean exactNumericTypes() {
    return api != QueryApi.INFLUXQL_V1;
  }

  /** The windows of one table: enough that every node answers one slice of the expected points. */
  List<long[]> windows(Expected expected) {
    int n = baseUrls.size();
    if (api == QueryApi.SQL && n == 1) return List.<long[]>of(new long[] {Long.MIN_VALUE, Long.MAX_VALUE});
    long perNode = (expected.points() + n - 1) / n;
    return expected.windows(Math.max(1, Math.min(POINTS_PER_WINDOW, perNode)));
  }

  /** One window's query and the node it goes through. */
  public record Window(String baseUrl, String query) {}

  /** The queries a scan of {@code table} runs, in order: window {@code i} through node {@code i mod N}. */
  public List<Window> plan(String table, Expected expected) {
    List<long[]> windows = windows(expected);
    List<Window> out = new ArrayList<>(windows.size());
    for (int i = 0; i < windows.size(); i++) {
      long[] w = windows.get(i);
      String q = "SELECT * FROM " + quote(table) + (api == QueryApi.SQL ? sqlTimeRange(w[0], w[1]) : timeRange(w[0], w[1]));
      out.add(new Window(baseUrls.get(i % baseUrls.size()), q));
    }
    return out;
  }

  public QueryApi api() {
    return api;
  }

  public String database() {
    return db;
  }

  /**
   * Streams every row. Windows run {@link #PARALLEL} at a time at most (consecutive windows, so on
   * distinct nodes): a node's query, the transfer and the decoding overlap instead of taking turns.
   * {@code rows} is called by one thread at a time, in chunks of a window's rows.
   */
  @Override
  public void scan(String table, Expected expected, Consumer<Point> rows) throws Exception {
    List<String> tags = tagKeys.getOrDefault(table, List.of());
    List<Window> windows = plan(table, expected);
    int threads = Math.min(Math.min(PARALLEL, baseUrls.size()), windows.size());
    if (threads <= 1) {
      for (Window w : windows) read(table, tags, w, rows);
      return;
    }
    Object lock = new Object();
    AtomicInteger counter = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "read-back-scan-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Window w : windows) {
        done.add(pool.submit(() -> {
          List<Point> chunk = new ArrayList<>(CHUNK);
          Consumer<Point> deliver = chunk::add;
          read(table, tags, w, p -> {
            deliver.accept(p);
            if (chunk.size() >= CHUNK) flush(chunk, rows, lock);
          });
          flush(chunk, rows, lock);
          return null;
        }));
      }
      for (Future<?> f : done) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Exception x) throw x;
          throw e;
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static final int CHUNK = 4096;
  /** Windows read at once: the reference node runs up to 3 queries; more only adds memory. */
  static final int PARALLEL = 3;

  private static void flush(List<Point> chunk, Consumer<Point> rows, Object lock) {
    synchronized (lock) {
      for (Point p : chunk) rows.accept(p);
    }
    chunk.clear();
  }

  private void read(String table, List<String> tags, Window w, Consumer<Point> rows) throws Exception {
    String url = w.baseUrl();
    try {
      http.queryPoints(url, api, db, w.query(), Map.of(), table, tags, rows);
    } catch (ClusterHttp.HttpError e) {
      // a table nothing was ever stored in does not exist: that reads as empty (the endpoint
      // itself was probed before; an unknown route says "page not found" and is an error)
      if (tableMissing(e)) return;
      throw new IOException("through " + url + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException("through " + url + ": " + e.getMessage(), e);
    }
  }

  static boolean tableMissing(ClusterHttp.HttpError e) {
    String m = e.getMessage().toLowerCase(Locale.ROOT);
    if (m.contains("page not found") || m.contains("database not found")) return false;
    return e.status() == 404 || m.contains("table") && (m.contains("not found") || m.contains("does not exist"));
  }

  /** An InfluxQL time condition for {@code [from, to)}; the open ends are left out. */
  static String timeRange(long from, long to) {
    StringBuilder sb = new StringBuilder();
    if (from != Long.MIN_VALUE) sb.append(" WHERE time >= ").append(from);
    if (to != Long.MAX_VALUE) sb.append(sb.length() == 0 ? " WHERE " : " AND ").append("time < ").append(to);
    return sb.toString();
  }

  /** A SQL time condition for {@code [from, to)} with RFC 3339 literals; the open ends are left out. */
  static String sqlTimeRange(long from, long to) {
    StringBuilder sb = new StringBuilder();
    if (from != Long.MIN_VALUE) sb.append(" WHERE time >= '").append(iso(from)).append('\'');
    if (to != Long.MAX_VALUE) sb.append(sb.length() == 0 ? " WHERE " : " AND ").append("time < '").append(iso(to)).append('\'');
    return sb.toString();
  }

  private static String iso(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
  }

  public static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
