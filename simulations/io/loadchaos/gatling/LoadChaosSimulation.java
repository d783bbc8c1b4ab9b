package io.loadchaos.gatling;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.check.Verdict;
import io.loadchaos.config.Knobs;
import io.loadchaos.config.RunConfig;
import io.loadchaos.datagen.BatchId;
import io.loadchaos.harness.FlightQueries;
import io.loadchaos.harness.QueryTemplates;
import io.loadchaos.harness.Run;
import io.loadchaos.harness.RunSpec;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import io.loadchaos.history.QueryLedger;
import io.loadchaos.report.GatlingReports;
import io.loadchaos.target.ClusterTarget;
import io.loadchaos.target.QueryApi;
import io.loadchaos.target.QueryResult;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Base of every loadchaos simulation: starts the run (cluster, generator, history, chaos) in the
 * constructor, offers the write, query and verdict chains, and turns verdicts into named Gatling
 * requests after the load so that a failed verdict fails Maven with the HTML report written.
 */
public abstract class LoadChaosSimulation extends Simulation {

  protected final Run run;
  protected final RunConfig cfg;
  private final VerdictBoard board = new VerdictBoard();
  private final Thread shutdownHook;
  private final AtomicLong nextBatch = new AtomicLong();
  private final List<QueryTemplates.Template> templates;
  private FlightQueries flight;

  protected LoadChaosSimulation(RunSpec spec, FaultTimeline faults) {
    Run started;
    try {
      started = Run.start(spec, faults);
    } catch (RuntimeException e) {
      board.close();
      throw cannotStart(e);
    }
    this.run = started;
    this.cfg = run.config();
    try {
      // before Gatling builds any TLS context: its HTTP client then trusts the run's CA only
      run.target().caCert().ifPresent(ca -> GatlingTrust.trustOnly(ca, run.runDir().resolve("tls")));
    } catch (RuntimeException e) {
      run.close();
      board.close();
      throw e;
    }
    // Ctrl-C or a JVM exit mid-run: heal every fault and stop every process the run started
    this.shutdownHook = new Thread(run::close, "loadchaos-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    this.templates = run.queryTemplates();
  }

  /**
   * Bad knobs, a bad cluster file, a node that does not start: one readable message and exit code
   * 1, instead of the message buried in Gatling's stack trace of the simulation's constructor.
   * Nothing is running yet (Run.start stops what it started before it throws).
   */
  private static RuntimeException cannotStart(RuntimeException e) {
    System.err.println("\n[loadchaos] the run cannot start:\n" + e.getMessage() + "\n");
    System.err.flush();
    System.out.flush();
    // Gatling's own code for a failed run (2 would read as "assertions failed")
    System.exit(1);
    return e;
  }

  protected Duration duration() {
    return cfg.get(Knobs.DURATION);
  }

  /** HTTP protocol: warm-up against the local verdict board, never the internet. */
  protected HttpProtocolBuilder protocol() {
    HttpProtocolBuilder p = http.warmUp(board.url() + "/ping").contentTypeHeader("text/plain; charset=utf-8")
        .acceptHeader("application/json");
    String token = cfg.get(Knobs.TOKEN);
    return token.isEmpty() ? p : p.authorizationHeader("Bearer " + token);
  }

  // ---- writes ----

  private String writePath() {
    String db = enc(run.database());
    String p = run.dataset().precision();
    return switch (cfg.get(Knobs.ENDPOINT)) {
      case "v2" -> "/api/v2/write?bucket=" + db + "&precision=" + p;
      case "v1" -> "/write?db=" + db + "&precision=" + switch (p) {
        case "ns" -> "n";
        case "us" -> "u";
        default -> p;
      };
      default -> "/api/v3/write_lp?db=" + db + "&precision=" + switch (p) {
        case "s" -> "second";
        case "ms" -> "millisecond";
        case "us" -> "microsecond";
        default -> "nanosecond";
      } + "&accept_partial=" + cfg.get(Knobs.ACCEPT_PARTIAL) + "&no_sync=" + cfg.get(Knobs.NO_SYNC);
    };
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Batches in (writer, seq) order, each first sent to the node the selection policy picks. */
  protected Iterator<Map<String, Object>> batches() {
    int nodes = run.target().nodes().size();
    int writers = cfg.get(Knobs.WRITERS);
    boolean pinned = cfg.get(Knobs.NODE_SELECTION).equals("pinned");
    long perWriter = run.generator().batchesPerWriter();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return nextBatch.get() / writers < perWriter;
      }

      @Override
      public Map<String, Object> next() {
        // with a bounded volume some writers may own fewer batches: skip their empty slots
        long i;
        int writer;
        long seq;
        do {
          i = nextBatch.getAndIncrement();
          writer = (int) (i % writers);
          seq = i / writers;
        } while (seq < perWriter && seq >= run.generator().batchCount(writer));
        if (seq >= perWriter) throw new NoSuchElementException("the dataset's volume is exhausted");
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("batchId", BatchId.of(writer, seq));
        rec.put("firstNode", (int) (pinned ? writer % nodes : i % nodes));
        rec.put("body", run.generator().batch(writer, seq));
        rec.put("points", run.generator().pointsInBatch(writer, seq));
        return rec;
      }
    };
  }

  /**
   * One batch: feed, then up to {@code writeAttempts} attempts, each on the next node, each
   * recorded in the history as invoke + outcome (ok / fail / info).
   */
  protected ChainBuilder write() {
    List<ClusterTarget.Node> nodes = run.target().nodes();
    String path = writePath();
    HttpRequestActionBuilder post = http("write " + cfg.get(Knobs.ENDPOINT)).post("#{url}")
        .body(ByteArrayBody("#{body}"))
        .check(status().saveAs("status"), bodyString().saveAs("respBody"), status().is(204));
    if (cfg.get(Knobs.GZIP)) post = post.header("Content-Encoding", "gzip").processRequestBody(gzipBody);
    return feed(batches())
        .tryMax(cfg.get(Knobs.WRITE_ATTEMPTS)).on(
            exec(s -> {
              s = completePending(s).markAsSucceeded();
              int attempt = s.contains("attempt") ? s.getInt("attempt") + 1 : 0;
              int node = (s.getInt("firstNode") + attempt) % nodes.size();
              return s.set("attempt", attempt).set("url", nodes.get(node).clientUrl() + path)
                  .set("op", run.history().invoke(OpKind.WRITE, s.getLong("batchId"), node, s.getInt("points")));
            })
            .exec(post)
            .exec(this::completePending))
        .exec(s -> completePending(s).remove("attempt").remove("body").markAsSucceeded());
  }

  /** Records the outcome of the attempt in flight, if any (also when Gatling cut the block short). */
  private Session completePending(Session s) {
    if (!s.contains("op")) return s;
    int status = s.contains("status") ? s.getInt("status") : -1;
    String body = s.contains("respBody") ? s.getString("respBody") : null;
    Outcome o = Outcome.ofWrite(status, body);
    run.history().complete(s.getInt("op"), o, status);
    // Gatling's Session carries no exception text, so "no response" has no body to show
    run.rejections().record(status, o, body);
    Session cleared = s.remove("op").remove("status").remove("respBody");
    return o == Outcome.OK ? cleared : cleared.markAsFailed();
  }

  /** The write population of the configured injection model, bounded by the duration. */
  protected PopulationBuilder writers() {
    if (cfg.get(Knobs.INJECTION).equals("open")) {
      return scenario("writes").exec(write())
          .injectOpen(constantUsersPerSec(cfg.get(Knobs.OPEN_RATE)).during(duration()));
    }
    int writers = cfg.get(Knobs.WRITERS);
    long pps = cfg.get(Knobs.POINTS_PER_SECOND);
    ChainBuilder loop = pps > 0
        ? pace(Duration.ofNanos(1_000_000_000L * writers * cfg.get(Knobs.BATCH_SIZE) / pps)).exec(write())
        : write();
    // exitASAP=false: a batch in flight at the deadline completes and is recorded, never abandoned
    return scenario("writes").during(duration(), "n", false).on(loop).injectOpen(atOnceUsers(writers));
  }

  // ---- queries ----

  /**
   * The query templates over HTTP, round robin over templates and nodes, each recorded in the
   * history (ok: answered, info: an error) and, with the groups it returned, in the query ledger;
   * whether the answer is right is judged at the end ({@code query correctness}).
   */
  protected ChainBuilder query() {
    List<ClusterTarget.Node> nodes = run.target().nodes();
    AtomicLong next = new AtomicLong();
    return exec(s -> {
      long i = next.getAndIncrement();
      int qidx = (int) (i % templates.size());
      QueryTemplates.Template t = templates.get(qidx);
      int node = (int) (i / templates.size() % nodes.size());
      String url = nodes.get(node).clientUrl() + QueryTemplates.httpPath(t, run.database());
      return s.set("qurl", url).set("qname", t.name()).set("qidx", qidx).set("node", node)
          .set("qstart", run.history().nowMicros()).set("op", run.history().invoke(OpKind.QUERY_SQL, 0, node, 0));
    }).exec(http("query #{qname}").get("#{qurl}").check(status().saveAs("status"), bodyString().saveAs("qbody")))
        .exec(s -> {
          int status = s.contains("status") ? s.getInt("status") : -1;
          String body = s.contains("qbody") ? s.getString("qbody") : null;
          recordAnswer(templates.get(s.getInt("qidx")), s.getInt("node"), s.getLong("qstart"), s.getInt("op"), status, body);
          return s.remove("status").remove("qbody").markAsSucceeded();
        });
  }

  private void recordAnswer(QueryTemplates.Template t, int node, long start, int op, int status, String body) {
    String nodeId = run.target().nodes().get(node).id();
    String error = status < 0 ? "no response" : status != 200 ? "HTTP " + status + ": " + abbreviate(String.valueOf(body)) : null;
    QueryResult result = null;
    if (error == null) {
      try {
        result = QueryResult.parse(t.api(), body);
      } catch (Exception e) {
        // a body cut short (a node killed mid-answer) is an error, not an answer
        error = "unreadable answer: " + e.getMessage() + " in " + abbreviate(String.valueOf(body));
      }
    }
    run.history().complete(op, result != null ? Outcome.OK : Outcome.INFO, status);
    long end = run.history().nowMicros();
    if (result != null) {
      run.queries().add(QueryTemplates.answer(t, OpKind.QUERY_SQL, node, nodeId, start, end, result, false));
    } else {
      run.queries().add(QueryLedger.Answer.error(t.name(), OpKind.QUERY_SQL, node, nodeId, start, end, status, error, false));
      if (ERRORS_LOGGED.incrementAndGet() <= 5) System.out.println("[query] " + t.name() + " via node " + nodeId + ": " + error);
    }
  }

  private static final AtomicInteger ERRORS_LOGGED = new AtomicInteger();

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  protected PopulationBuilder queries() {
    int users = run.reading().api().isPresent() ? cfg.get(Knobs.QUERY_USERS) : 0;
    if (users == 0 && cfg.get(Knobs.QUERY_USERS) > 0) {
      System.out.println("[loadchaos] query load: off, " + run.reading().missing());
    }
    // a table does not exist before its first write: queries start once one is acknowledged
    ScenarioBuilder sc = scenario("queries").during(duration(), "n", false)
        .on(doIf(s -> run.history().anyWriteAcknowledged()).then(exec(query())).pause(cfg.get(Knobs.QUERY_PAUSE)));
    return sc.injectOpen(atOnceUsers(Math.max(users, 0)));
  }

  // ---- verdicts ----

  /** After the load: heal, settle, check, then one named request per verdict. */
  protected PopulationBuilder verdicts() {
    return scenario("verdicts")
        .exec(s -> {
          stopFlight();
          run.gatlingReport(GatlingReports.find(GatlingReports.resultsRoot(),
              getClass().getSimpleName(), ManagementFactory.getRuntimeMXBean().getStartTime()));
          List<Verdict> vs = run.finish();
          board.publish(vs);
          List<Map<String, Object>> list = new ArrayList<>();
          for (int i = 0; i < vs.size(); i++) list.add(Map.of("i", i, "name", "verdict " + vs.get(i).name()));
          return s.set("verdicts", list);
        })
        .group("verdicts").on(foreach("#{verdicts}", "v").on(
            exec(http("#{v.name}").get(board.url() + "/verdicts/#{v.i}").check(status().is(200)))))
        .injectOpen(atOnceUsers(1));
  }

  /** Standard run: writers and queries, then the verdicts, with the verdict assertions. */
  protected void setUpStandard() {
    List<PopulationBuilder> load = new ArrayList<>();
    load.add(writers().andThen(verdicts()));
    if (cfg.get(Knobs.QUERY_USERS) > 0) load.add(queries());
    setUp(load).protocols(protocol()).assertions(
        details("verdicts").failedRequests().count().is(0L),
        details("verdicts").allRequests().count().gt(0L));
  }

  @Override
  public void before() {
    run.loadStarted();
    // Flight is InfluxDB 3's: a target without its SQL endpoint has no Flight service either
    if (cfg.get(Knobs.FLIGHT) && !run.reading().endpoints().has(QueryApi.SQL)) {
      System.out.println("[loadchaos] flight queries: off, the target has no /api/v3/query_sql");
    } else if (cfg.get(Knobs.FLIGHT)) {
      flight = new FlightQueries(run.target(), run.database(), cfg.get(Knobs.TOKEN), templates, run.history(),
          run.queries(), cfg.get(Knobs.QUERY_PAUSE));
      flight.start(duration());
    }
  }

  private synchronized void stopFlight() {
    if (flight != null) {
      flight.close();
      flight = null;
    }
  }

  @Override
  public void after() {
    try {
      stopFlight();
      run.finish();
    } finally {
      run.close();
      board.close();
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs and closing twice is harmless
      }
    }
  }
}
