package io.loadchaos.gatling;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpDsl;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.check.Verdict;
import io.loadchaos.config.Knob;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * loadchaos inside a Gatling simulation: the run (cluster, generator, history, chaos), the write,
 * query and verdict chains, and the run's whole lifecycle, without a base class:
 *
 * <pre>{@code
 * public class MyChaosSimulation extends Simulation {
 *   LoadChaos lc = LoadChaos.start(RunSpec.of("MyChaos").standardSlos(),
 *       faults().at(seconds(12)).kill(randomNode()).healAfter(seconds(10)));
 *   ScenarioBuilder writes = scenario("writes").during(lc.duration()).on(lc.writeBatch());
 *   ScenarioBuilder reads = scenario("reads").during(lc.duration()).on(lc.query().pause(millis(500)));
 *   {
 *     setUp(writes.injectOpen(atOnceUsers(4)).andThen(lc.verdicts()), reads.injectOpen(atOnceUsers(1)))
 *         .protocols(lc.http()).assertions(lc.assertions());
 *   }
 * }
 * }</pre>
 *
 * <p>Lifecycle: {@link #start} starts (or connects to) the cluster when the simulation is built.
 * The load's clock (fault timeline, cost sampling, Flight queries) starts at the first action of
 * any chain this class gives ({@link #writeBatch}, {@link #query}, {@link #loadStart}, the
 * populations). Finishing (heal, settle, read-back, checks, reports) starts when the
 * {@link #verdicts} scenario starts, runs on loadchaos's own thread, and the run is closed (every
 * fault healed, every process stopped) right after it. A JVM shutdown hook closes it on Ctrl-C or
 * when no verdict scenario ran. {@link #close} is idempotent, so a simulation's own
 * {@code after()} may call it.
 */
public final class LoadChaos implements AutoCloseable {
  /** The Gatling group that holds one group per verdict; {@link #assertions} judge it. */
  public static final String VERDICTS_GROUP = "verdicts";

  private final Run run;
  private final RunConfig cfg;
  private final String simulationClass;
  private final Thread shutdownHook;
  private final List<QueryTemplates.Template> templates;
  private final AtomicLong nextBatch = new AtomicLong();
  private final AtomicBoolean loadStarted = new AtomicBoolean();
  private final AtomicBoolean finishStarted = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Runnable> onLoadStart = new CopyOnWriteArrayList<>();
  private final CompletableFuture<List<Verdict>> verdictsDone = new CompletableFuture<>();
  private final ExecutorService own = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "loadchaos-run");
    t.setDaemon(true);
    return t;
  });
  private volatile Duration duration;
  private FlightQueries flight;

  private LoadChaos(Run run, String simulationClass) {
    this.run = run;
    this.cfg = run.config();
    this.simulationClass = simulationClass;
    this.duration = cfg.get(Knobs.DURATION);
    this.templates = run.queryTemplates();
    // Ctrl-C, a JVM exit mid-run, or a simulation without verdicts: heal every fault and stop every process
    this.shutdownHook = new Thread(run::close, "loadchaos-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts the run of {@code spec} with the typed faults {@code faults} (plus those of
   * {@code -Dloadchaos.faults=file.yaml}, added to them). A run that cannot start (bad knobs, a bad
   * cluster file, a node that does not come up) prints one readable message and exits the JVM
   * with code 1.
   */
  public static LoadChaos start(RunSpec spec, Faults faults) {
    return start(spec, faults.timeline(), callerClass());
  }

  /**
   * Like {@link #start(RunSpec, Faults)} with a {@link FaultTimeline} (e.g. read from YAML with
   * {@link FaultTimeline#fromFile}); {@code -Dloadchaos.faults=file.yaml} is still added to it.
   */
  public static LoadChaos start(RunSpec spec, FaultTimeline faults) {
    return start(spec, faults, callerClass());
  }

  private static LoadChaos start(RunSpec spec, FaultTimeline faults, String simulationClass) {
    Run started;
    try {
      started = Run.start(spec, faults);
    } catch (RuntimeException e) {
      throw cannotStart(e);
    }
    try {
      // before Gatling builds any TLS context: its HTTP client then trusts the run's CA only
      started.target().caCert().ifPresent(ca -> GatlingTrust.trustOnly(ca, started.runDir().resolve("tls")));
      return new LoadChaos(started, simulationClass);
    } catch (RuntimeException e) {
      started.close();
      throw e;
    }
  }

  /** The simple name of the class that called {@code start}: the simulation, whose name Gatling's report folder takes. */
  private static String callerClass() {
    return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
        .walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
            .filter(c -> c != LoadChaos.class).findFirst().map(Class::getSimpleName).orElse(""));
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

  // ---- what the simulation reads ----

  /** The run: its target, history, generator and checks. */
  public Run run() {
    return run;
  }

  /** The run's resolved knobs. */
  public RunConfig config() {
    return cfg;
  }

  /** The value of one knob for this run. */
  public <T> T knob(Knob<T> knob) {
    return cfg.get(knob);
  }

  /** How long the load runs: {@code loadchaos.duration} unless {@link #duration(Duration)} set it. */
  public Duration duration() {
    return duration;
  }

  /**
   * Sets how long the standard populations and Flight queries run (e.g. a capacity search's
   * budget); call it before building the scenarios.
   */
  public LoadChaos duration(Duration d) {
    this.duration = d;
    return this;
  }

  /** Runs {@code r} once, on the thread that starts the load, right after the load's clock started. */
  public LoadChaos onLoadStart(Runnable r) {
    onLoadStart.add(r);
    return this;
  }

  // ---- lifecycle ----

  /**
   * An action that starts the load's clock (fault timeline, cost sampling, Flight queries) if no
   * lc chain has yet; the lc chains begin with it, a scenario of the user's own may too.
   */
  public ChainBuilder loadStart() {
    return exec(s -> {
      startLoad();
      return s;
    });
  }

  private void startLoad() {
    if (!loadStarted.compareAndSet(false, true)) return;
    run.loadStarted();
    onLoadStart.forEach(Runnable::run);
    // Flight is InfluxDB 3's: a target without its SQL endpoint has no Flight service either
    if (cfg.get(Knobs.FLIGHT) && !run.reading().endpoints().has(QueryApi.SQL)) {
      System.out.println("[loadchaos] flight queries: off, the target has no /api/v3/query_sql");
    } else if (cfg.get(Knobs.FLIGHT)) {
      synchronized (this) {
        flight = new FlightQueries(run.target(), run.database(), cfg.get(Knobs.TOKEN), templates, run.history(),
            run.queries(), cfg.get(Knobs.QUERY_PAUSE));
        flight.start(duration);
      }
    }
  }

  private synchronized void stopFlight() {
    if (flight != null) {
      flight.close();
      flight = null;
    }
  }

  /** Starts heal, settle, checks and reports on loadchaos's thread, then closes the run; once. */
  private void startFinish() {
    if (!finishStarted.compareAndSet(false, true)) return;
    own.execute(() -> {
      try {
        stopFlight();
        run.gatlingReport(GatlingReports.find(GatlingReports.resultsRoot(), simulationClass,
            ManagementFactory.getRuntimeMXBean().getStartTime()));
        verdictsDone.complete(run.finish());
      } catch (Throwable t) {
        verdictsDone.complete(List.of(Verdict.unknown("loadchaos finish", "heal, settle or the checks failed: " + t)));
      } finally {
        close();
      }
    });
  }

  /** Heals every fault and stops everything the run started. Idempotent; safe from a simulation's {@code after()}. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    try {
      stopFlight();
      run.close();
    } finally {
      own.shutdown();
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs and closing twice is harmless
      }
    }
  }

  // ---- protocol ----

  /**
   * The HTTP protocol of the load: line-protocol and JSON headers, the run's bearer token, and a
   * warm-up request to the first node's {@code /ping} (never Gatling's default internet URL).
   * Every InfluxDB 3 node and the reference node answer it; a target that does not (a cluster
   * file's other database) only costs one failed warm-up request, which Gatling ignores.
   */
  public HttpProtocolBuilder http() {
    HttpProtocolBuilder p = http.warmUp(run.target().nodes().get(0).clientUrl() + "/ping")
        .contentTypeHeader("text/plain; charset=utf-8").acceptHeader("application/json");
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
  private Iterator<Map<String, Object>> batches() {
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
   * One batch of the dataset: fed from the run's generator, then up to {@code writeAttempts}
   * attempts, each on the next node, each recorded in the history as invoke + outcome (ok / fail /
   * info). Gatling's request is named {@code write <endpoint>}.
   */
  public ChainBuilder writeBatch() {
    List<ClusterTarget.Node> nodes = run.target().nodes();
    String path = writePath();
    HttpRequestActionBuilder post = HttpDsl.http("write " + cfg.get(Knobs.ENDPOINT)).post("#{url}")
        .body(ByteArrayBody("#{body}"))
        .check(status().saveAs("status"), bodyString().saveAs("respBody"), status().is(204));
    if (cfg.get(Knobs.GZIP)) post = post.header("Content-Encoding", "gzip").processRequestBody(gzipBody);
    return loadStart().feed(batches())
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

  /**
   * The pace of one closed-model writer: {@code loadchaos.writers} of them together write
   * {@code loadchaos.pointsPerSecond} points per second ({@link Duration#ZERO}, no pacing, at 0).
   */
  public Duration writePace() {
    long pps = cfg.get(Knobs.POINTS_PER_SECOND);
    return pps > 0 ? Duration.ofNanos(1_000_000_000L * cfg.get(Knobs.WRITERS) * cfg.get(Knobs.BATCH_SIZE) / pps) : Duration.ZERO;
  }

  /**
   * The standard write population, as {@code loadchaos.injection} configures it: closed (default)
   * {@code loadchaos.writers} users looping {@link #writeBatch} for {@link #duration()}, paced to
   * {@code loadchaos.pointsPerSecond}, a batch in flight at the deadline completed; or open,
   * {@code loadchaos.openRate} batches per second for the duration.
   */
  public PopulationBuilder writers() {
    if (cfg.get(Knobs.INJECTION).equals("open")) {
      return scenario("writes").exec(writeBatch())
          .injectOpen(constantUsersPerSec(cfg.get(Knobs.OPEN_RATE)).during(duration));
    }
    int writers = cfg.get(Knobs.WRITERS);
    ChainBuilder loop = cfg.get(Knobs.POINTS_PER_SECOND) > 0 ? pace(writePace()).exec(writeBatch()) : writeBatch();
    // exitASAP=false: a batch in flight at the deadline completes and is recorded, never abandoned
    return scenario("writes").exec(loadStart()).during(duration, "n", false).on(loop).injectOpen(atOnceUsers(writers));
  }

  // ---- queries ----

  /**
   * One query of the run's templates over HTTP, round robin over templates and nodes, recorded in
   * the history (ok: answered, info: an error) and, with the groups it returned, in the query
   * ledger; whether the answer is right is judged at the end ({@code query correctness}). Before
   * the first acknowledged write (the table does not exist yet) it sends nothing.
   */
  public ChainBuilder query() {
    List<ClusterTarget.Node> nodes = run.target().nodes();
    AtomicLong next = new AtomicLong();
    ChainBuilder one = exec(s -> {
      long i = next.getAndIncrement();
      int qidx = (int) (i % templates.size());
      QueryTemplates.Template t = templates.get(qidx);
      int node = (int) (i / templates.size() % nodes.size());
      String url = nodes.get(node).clientUrl() + QueryTemplates.httpPath(t, run.database());
      return s.set("qurl", url).set("qname", t.name()).set("qidx", qidx).set("node", node)
          .set("qstart", run.history().nowMicros()).set("op", run.history().invoke(OpKind.QUERY_SQL, 0, node, 0));
    }).exec(HttpDsl.http("query #{qname}").get("#{qurl}")
            .check(status().saveAs("status"), bodyString().saveAs("qbody")))
        .exec(s -> {
          int status = s.contains("status") ? s.getInt("status") : -1;
          String body = s.contains("qbody") ? s.getString("qbody") : null;
          recordAnswer(templates.get(s.getInt("qidx")), s.getInt("node"), s.getLong("qstart"), s.getInt("op"), status, body);
          return s.remove("status").remove("qbody").markAsSucceeded();
        });
    // a table does not exist before its first write: queries start once one is acknowledged
    return loadStart().doIf(s -> run.history().anyWriteAcknowledged()).then(one);
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

  /**
   * The standard query population: {@code loadchaos.queryUsers} users running {@link #query} with
   * {@code loadchaos.queryPause} between queries for {@link #duration()}; no user when the target
   * has no query endpoint the run can read through (the reason is printed).
   */
  public PopulationBuilder queries() {
    int users = queryUsers();
    ScenarioBuilder sc = scenario("queries").exec(loadStart()).during(duration, "n", false)
        .on(exec(query()).pause(cfg.get(Knobs.QUERY_PAUSE)));
    return sc.injectOpen(atOnceUsers(Math.max(users, 0)));
  }

  /**
   * {@code loadchaos.queryUsers}, or 0 (saying why, once) when the target has no query endpoint
   * the run can read through.
   */
  public int queryUsers() {
    int users = run.reading().api().isPresent() ? cfg.get(Knobs.QUERY_USERS) : 0;
    if (users == 0 && cfg.get(Knobs.QUERY_USERS) > 0 && !queryOffSaid.getAndSet(true)) {
      System.out.println("[loadchaos] query load: off, " + run.reading().missing());
    }
    return users;
  }

  private final AtomicBoolean queryOffSaid = new AtomicBoolean();

  // ---- verdicts ----

  /**
   * One user that starts finishing the run (heal, settle, read-back, checks, reports, then close;
   * on loadchaos's thread), waits for it with Gatling pauses, and records each verdict as a Gatling
   * result {@code verdict <name>} (OK when it passed, else KO with its measured value) inside the
   * group {@value #VERDICTS_GROUP}, which is marked failed ({@code markAsFailed}) when any did not pass. Start it after the load
   * ({@code writes.injectOpen(...).andThen(lc.verdicts())}).
   */
  public PopulationBuilder verdicts() {
    return scenario("verdicts")
        .exec(s -> {
          startFinish();
          return s;
        })
        .asLongAs(s -> !verdictsDone.isDone()).on(pause(Duration.ofMillis(200)))
        // one result per verdict in the group, and the group failed when any verdict did not pass
        .group(VERDICTS_GROUP).on(exec(new VerdictResults(verdictsDone::join)).exec(s ->
            verdictsDone.join().stream().allMatch(Verdict::passed) ? s : s.markAsFailed()))
        .injectOpen(atOnceUsers(1));
  }

  /**
   * The verdict assertions: no verdict failed, and there were verdicts at all (a run whose verdict
   * scenario never ran fails too).
   */
  public Assertion[] assertions() {
    return new Assertion[] {
        details(VERDICTS_GROUP).failedRequests().count().is(0L),
        details(VERDICTS_GROUP).allRequests().count().gt(0L)};
  }
}
