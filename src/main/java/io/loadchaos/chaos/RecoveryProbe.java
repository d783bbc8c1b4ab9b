package io.loadchaos.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.history.FaultEvent.Measure;
import io.loadchaos.history.FaultEvent.NodeRecovery;
import io.loadchaos.history.History;
import io.loadchaos.target.ClusterHttp;
import io.loadchaos.target.ClusterTarget;
import io.loadchaos.target.DatabaseSetup;
import io.loadchaos.target.QueryApi;
import io.loadchaos.tls.CaTrust;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures how the node a fault hit comes back, with probe writes into a database of its own
 * ({@code <db>_probe}, table {@code loadchaos_probe}) that no check reads as dataset data:
 *
 * <ul>
 *   <li><b>serve</b>: from the moment the harness began to undo the fault until a probe write sent
 *       to that node's URL is acknowledged and a read sent to that node (node-local where the target
 *       has node-local reads) returns it;
 *   <li><b>catch-up</b>: until the node holds what it missed: the marker point written through a
 *       healthy node while the fault was in effect is in the node's own copy, and no peer still
 *       reports hints pending for it ({@code loadchaos_hints_pending{peer="<id>"}}).
 * </ul>
 *
 * Each measurement polls until it succeeds or its threshold has passed (beyond it the verdict is a
 * FAIL whatever the exact time), so the run's finish waits at most that long.
 */
public final class RecoveryProbe {
  static final String TABLE = "loadchaos_probe";
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  /** What the probes need from the run: credentials, the write endpoint and query API, thresholds. */
  public record Settings(String token, String endpoint, Optional<QueryApi> api, String whyNoQueries, Duration nodeRecovery,
      Duration catchUp) {
    public static Settings defaults() {
      return new Settings("", "v3", Optional.of(QueryApi.SQL), "", Duration.ofSeconds(60), Duration.ofSeconds(90));
    }
  }

  /** The marker of one fault, written through a node the fault did not hit; {@code written} false with the reason. */
  record Marker(boolean written, String detail) {}

  private final ClusterTarget target;
  private final History history;
  private final String db;
  private final Settings settings;
  private final HttpClient writes;
  private final ClusterHttp reads;
  private final AtomicLong seq = new AtomicLong();
  private String setupError;
  private boolean setUp;
  private boolean nodeLocal;
  private List<String> probeOwners = List.of();

  RecoveryProbe(ClusterTarget target, History history, String database, Settings settings) {
    this.target = target;
    this.history = history;
    this.db = database + "_probe";
    this.settings = settings;
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CALL_TIMEOUT);
    target.caCert().ifPresent(p -> b.sslContext(CaTrust.load(p).sslContext()));
    this.writes = b.build();
    this.reads = new ClusterHttp(settings.token(), CALL_TIMEOUT, target.caCert().orElse(null));
  }

  String database() {
    return db;
  }

  /** Faults whose nodes get a recovery measurement: the process and network faults. */
  static boolean measures(FaultSpec.Action a) {
    return switch (a) {
      case ADD_NODE, MOVE_SHARD, DECOMMISSION, NODE_STATUS -> false;
      default -> true;
    };
  }

  /**
   * Creates the probe database and table once (replicated on every node where the cluster API can
   * say so, so every node holds a copy to read locally); null when ready, else why not.
   */
  synchronized String setUp() {
    if (setUp) return setupError;
    setUp = true;
    String url = target.nodes().get(0).clientUrl();
    try {
      DatabaseSetup.ensure(target.http(), url, db);
      if (target.has(ClusterTarget.Capability.MANAGEMENT_API)) {
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("db", db);
        create.put("table", TABLE);
        create.put("tags", List.of("fault", "node", "kind"));
        create.put("fields", List.of(Map.of("name", "seq", "type", "int64")));
        target.http().send("POST", url + "/api/v3/configure/table", create);
        Map<String, Object> sharding = new LinkedHashMap<>();
        sharding.put("db_name", db);
        sharding.put("table_name", TABLE);
        sharding.put("shard_keys", List.of());
        sharding.put("num_hash_partitions", 1);
        sharding.put("replication_factor", target.nodes().size());
        ClusterHttp.Response r = target.http().send("PUT", url + "/api/v3/cluster/tables/sharding", sharding);
        if (r.status() != 200) log("probe table replication not set (HTTP " + r.status() + " " + r.body() + "): the default applies");
      }
      // a first point creates the table's shard, so its owners can be listed
      String first = write(url, line("setup", "setup", "all"));
      if (first != null) return setupError = "the first probe write to " + db + " failed: " + first;
      nodeLocal = settings.api().orElse(null) == QueryApi.SQL && target.has(ClusterTarget.Capability.NODE_LOCAL_READS);
      if (nodeLocal && target.has(ClusterTarget.Capability.SHARD_LISTING)) {
        probeOwners = owners(url);
      }
      return null;
    } catch (IOException e) {
      return setupError = "cannot create the probe database " + db + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return setupError = "interrupted while creating the probe database";
    }
  }

  private List<String> owners(String url) throws IOException, InterruptedException {
    List<String> all = null;
    for (JsonNode s : target.http().getJson(url + "/api/v3/cluster/shards" + ClusterHttp.query(Map.of("db", db, "table", TABLE)))) {
      List<String> these = new ArrayList<>();
      s.path("node_ids").forEach(n -> these.add(n.asText()));
      if (all == null) all = these;
      else all.retainAll(these);
    }
    return all == null ? List.of() : all;
  }

  /** Writes the fault's marker through the first node it did not hit that acknowledges it. */
  Marker marker(String faultKey, List<String> hit) {
    String err = setUp();
    if (err != null) return new Marker(false, err);
    List<String> tried = new ArrayList<>();
    for (ClusterTarget.Node n : target.nodes()) {
      if (hit.contains(n.id())) continue;
      String failed = write(n.clientUrl(), line(faultKey, "marker", "any"));
      if (failed == null) return new Marker(true, "marker written through node " + n.id() + " at +"
          + String.format(Locale.ROOT, "%.1f", history.nowMicros() / 1e6) + " s");
      tried.add("node " + n.id() + ": " + failed);
    }
    return new Marker(false, tried.isEmpty() ? "every node was hit: no healthy node to write the marker through"
        : "no healthy node acknowledged the marker (" + String.join("; ", tried) + ")");
  }

  /** Polls until node {@code id} serves and has caught up, or until the thresholds have passed. */
  NodeRecovery measure(String faultKey, String id, long healStartMicros, Marker marker) {
    String err = setUp();
    if (err != null) return new NodeRecovery(id, healStartMicros, Measure.error(err), Measure.error(err));
    if (settings.api().isEmpty()) {
      String why = "no query endpoint to read the probe back (" + settings.whyNoQueries() + ")";
      return new NodeRecovery(id, healStartMicros, Measure.notObservable(why), Measure.notObservable(why));
    }
    boolean local = nodeLocal && (probeOwners.isEmpty() || probeOwners.contains(id));
    boolean hints = target.has(ClusterTarget.Capability.HINT_METRICS) && target.nodes().size() > 1;
    boolean useMarker = marker.written() && local;
    String how = local ? "node-local read on node " + id : "read sent to node " + id
        + (nodeLocal ? " (it owns no copy of the probe table)" : " (the target has no node-local reads: another owner may answer it)");
    List<String> catchUpBy = new ArrayList<>();
    if (useMarker) catchUpBy.add("the marker written during the fault in node " + id + "'s own copy");
    if (hints) catchUpBy.add("no peer reporting hints pending for node " + id);
    Measure catchUpNa = null;
    if (catchUpBy.isEmpty()) {
      catchUpNa = Measure.notObservable("not observable: " + (target.has(ClusterTarget.Capability.HINT_METRICS) ? "" : "no hint metrics, ")
          + (local ? marker.written() ? "" : marker.detail() : "no node-local reads"));
    }
    String url = target.node(id).clientUrl();
    long serveDeadline = healStartMicros + settings.nodeRecovery().toNanos() / 1000;
    long catchUpDeadline = healStartMicros + settings.catchUp().toNanos() / 1000;
    Measure serve = null;
    Measure catchUp = catchUpNa;
    String lastServe = "no attempt yet";
    String lastCatchUp = "no look yet";
    // at least one look each, even when the heal itself outlasted the threshold (a slow start):
    // the verdict then has the time it really took
    boolean servedOnce = false;
    boolean lookedOnce = false;
    while (serve == null || catchUp == null) {
      long now = history.nowMicros();
      if (serve == null) {
        if (now > serveDeadline && servedOnce) {
          serve = Measure.notWithin("node " + id + " did not serve a probe write and " + how + " within "
              + settings.nodeRecovery().toSeconds() + " s of the heal (last: " + lastServe + ")");
        } else {
          servedOnce = true;
          String w = write(url, line(faultKey, "serve", id));
          if (w != null) lastServe = "write: " + w;
          else {
            long found = count(url, faultKey, "serve", id, local);
            if (found > 0) {
              serve = Measure.measured(seconds(healStartMicros), "probe write to node " + id + " acknowledged and read back by " + how);
            } else {
              lastServe = found == 0 ? "write acknowledged, not yet in the " + how : "read failed";
            }
          }
        }
      }
      if (catchUp == null) {
        if (now > catchUpDeadline && lookedOnce) {
          catchUp = Measure.notWithin("node " + id + " not caught up within " + settings.catchUp().toSeconds()
              + " s of the heal (last: " + lastCatchUp + ")");
        } else {
          lookedOnce = true;
          List<String> missing = new ArrayList<>();
          if (useMarker) {
            long m = count(url, faultKey, "marker", "any", true);
            if (m <= 0) missing.add(m == 0 ? "marker not in node " + id + "'s copy" : "node " + id + " did not answer the marker read");
          }
          if (hints) missing.addAll(pendingHints(id));
          if (missing.isEmpty()) catchUp = Measure.measured(seconds(healStartMicros), "caught up: " + String.join(" and ", catchUpBy));
          else lastCatchUp = String.join(", ", missing);
        }
      }
      if (serve == null || catchUp == null) {
        try {
          Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          Measure stop = Measure.error("interrupted before the measurement ended");
          return new NodeRecovery(id, healStartMicros, serve == null ? stop : serve, catchUp == null ? stop : catchUp);
        }
      }
    }
    return new NodeRecovery(id, healStartMicros, serve, catchUp);
  }

  private double seconds(long fromMicros) {
    return Math.max(0, history.nowMicros() - fromMicros) / 1e6;
  }

  /** What the other nodes still report pending for node {@code id}; empty when none. */
  private List<String> pendingHints(String id) {
    List<String> out = new ArrayList<>();
    String label = "peer=\"" + id + "\"";
    for (ClusterTarget.Node n : target.nodes()) {
      if (n.id().equals(id)) continue;
      try {
        double pending = 0;
        for (var e : reads.metrics(n.clientUrl()).entrySet()) {
          if (e.getKey().startsWith("loadchaos_hints_pending{") && e.getKey().contains(label)) pending += e.getValue();
        }
        if (pending > 0) out.add("node " + n.id() + " has " + (long) pending + " hints pending for node " + id);
      } catch (IOException e) {
        out.add("node " + n.id() + " /metrics unreadable");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        out.add("interrupted");
      }
    }
    return out;
  }

  private String line(String faultKey, String kind, String node) {
    long nanos = System.currentTimeMillis() * 1_000_000L + seq.incrementAndGet() % 1_000_000L;
    return TABLE + ",fault=" + faultKey + ",kind=" + kind + ",node=" + tag(node) + " seq=" + seq.get() + "i " + nanos;
  }

  /** Null when the write was acknowledged (2xx), else what happened. */
  private String write(String baseUrl, String lineProtocol) {
    String d = URLEncoder.encode(db, StandardCharsets.UTF_8);
    String path = switch (settings.endpoint()) {
      case "v2" -> "/api/v2/write?bucket=" + d + "&precision=ns";
      case "v1" -> "/write?db=" + d + "&precision=n";
      default -> "/api/v3/write_lp?db=" + d + "&precision=nanosecond";
    };
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(CALL_TIMEOUT)
        .header("Content-Type", "text/plain; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(lineProtocol));
    if (settings.token() != null && !settings.token().isBlank()) b.header("Authorization", "Bearer " + settings.token());
    try {
      HttpResponse<String> r = writes.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 == 2) return null;
      String body = r.body() == null ? "" : r.body().replaceAll("\\s+", " ");
      return "HTTP " + r.statusCode() + " " + (body.length() > 120 ? body.substring(0, 120) + "..." : body);
    } catch (HttpTimeoutException e) {
      return "no answer within " + CALL_TIMEOUT.toMillis() + " ms";
    } catch (IOException e) {
      return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Probe points of a fault and kind read through node {@code baseUrl} (its own copy when {@code local}); -1 on error. */
  private long count(String baseUrl, String faultKey, String kind, String node, boolean local) {
    QueryApi api = settings.api().orElseThrow();
    String q = "SELECT count(\"seq\") AS n FROM \"" + TABLE + "\" WHERE \"fault\" = '" + faultKey + "' AND \"kind\" = '" + kind
        + "' AND \"node\" = '" + tag(node) + "'";
    long[] n = {0};
    try {
      reads.query(baseUrl, api, db, q, local ? Map.of("local", "true") : Map.of(), row -> n[0] += row.path("n").asLong());
      return n[0];
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** A tag value safe in line protocol and in a quoted query literal. */
  static String tag(String s) {
    String t = s.replaceAll("[^A-Za-z0-9_.-]", "_");
    return t.isEmpty() ? "_" : t;
  }

  private static void log(String line) {
    System.out.println("[chaos] " + line);
  }
}
