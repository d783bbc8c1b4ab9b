package io.loadchaos.harness;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.chaos.ChaosEngine;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.chaos.RecoveryProbe;
import io.loadchaos.chaos.RecoveryVerdicts;
import io.loadchaos.check.ActualData;
import io.loadchaos.check.PhaseAnalysis;
import io.loadchaos.check.QueryCorrectnessCheck;
import io.loadchaos.check.QueryMeaning;
import io.loadchaos.check.ReadBackCheck;
import io.loadchaos.check.ReplicaCheck;
import io.loadchaos.check.ShardCopies;
import io.loadchaos.check.Slo;
import io.loadchaos.check.Verdict;
import io.loadchaos.config.Knobs;
import io.loadchaos.config.RunConfig;
import io.loadchaos.cost.CostReport;
import io.loadchaos.cost.CostSampler;
import io.loadchaos.datagen.BatchId;
import io.loadchaos.datagen.DatasetSpec;
import io.loadchaos.datagen.FieldTypes;
import io.loadchaos.datagen.GeneratorConfig;
import io.loadchaos.datagen.LineProtocolGenerator;
import io.loadchaos.datagen.TableSpec;
import io.loadchaos.gate.Gate;
import io.loadchaos.history.FaultEvent;
import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import io.loadchaos.history.QueryLedger;
import io.loadchaos.history.WriteRejections;
import io.loadchaos.report.ConsoleTable;
import io.loadchaos.report.HtmlReport;
import io.loadchaos.report.JUnitXml;
import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import io.loadchaos.target.ClusterHttp;
import io.loadchaos.target.ClusterTarget;
import io.loadchaos.target.HttpActualData;
import io.loadchaos.target.HttpShardCopies;
import io.loadchaos.target.ClusterReader;
import io.loadchaos.target.DatabaseSetup;
import io.loadchaos.target.QueryApi;
import io.loadchaos.target.QueryEndpoints;
import io.loadchaos.target.QueryResult;
import io.loadchaos.target.ReaderActualData;
import io.loadchaos.target.cluster.ClusterFile;
import io.loadchaos.target.compose.ContainerLogScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * One run of a simulation: configuration, target cluster, data generator, history and chaos, and
 * at the end heal, settle, checks and reports. Gatling-free, so {@code check --run} and tests use
 * it too; the Gatling glue lives in {@code io.loadchaos.gatling}.
 */
public final class Run implements AutoCloseable {
  private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final RunSpec spec;
  private final RunConfig config;
  private final String runId;
  private final Path runDir;
  private final Instant startedAt;
  private final long anchorEpochNanos;
  private final DatasetSpec dataset;
  private final LineProtocolGenerator generator;
  private final ClusterTarget target;
  private final History history;
  private final QueryLedger queries;
  private final WriteRejections rejections;
  private final ChaosEngine chaos;
  private final List<Slo> slos;
  private final Reading reading;
  private List<Verdict> verdicts;
  private String gatlingReport = "";
  private volatile Map<String, Object> capacity;
  private List<QueryTemplates.Template> queryTemplates;
  private boolean settled;
  private final CostSampler cost;
  private Map<String, Object> savedCost;

  private Run(RunSpec spec, RunConfig config, String runId, Path runDir, Instant startedAt, long anchor,
      DatasetSpec dataset, ClusterTarget target, History history, QueryLedger queries, WriteRejections rejections,
      FaultTimeline timeline, Reading reading) {
    this.spec = spec;
    this.config = config;
    this.runId = runId;
    this.runDir = runDir;
    this.startedAt = startedAt;
    this.anchorEpochNanos = anchor;
    this.dataset = dataset;
    this.generator = new LineProtocolGenerator(dataset, new GeneratorConfig(config.get(Knobs.SEED),
        config.get(Knobs.WRITERS), config.get(Knobs.BATCH_SIZE), anchor));
    this.target = target;
    this.history = history;
    this.queries = queries;
    this.rejections = rejections;
    this.slos = spec.slos.stream().map(f -> f.apply(config)).filter(s -> !spec.droppedSlos.contains(s.metric())).toList();
    this.reading = reading;
    this.cost = CostSampler.forTarget(target, history::nowMicros);
    this.chaos = new ChaosEngine(target, history, timeline, config.get(Knobs.SEED), config.get(Knobs.DATABASE),
        new RecoveryProbe.Settings(config.get(Knobs.TOKEN), config.get(Knobs.ENDPOINT), reading.api(), reading.missing(),
            config.get(Knobs.SLO_NODE_RECOVERY), config.get(Knobs.SLO_CATCH_UP)));
  }

  /**
   * How the run reads the cluster: the endpoint {@code loadchaos.query} chose among those the
   * target really serves, or a user's reader class; empty with the reason when there is none.
   */
  public record Reading(QueryEndpoints endpoints, Optional<QueryApi> api, String missing, ClusterReader reader) {
    public boolean possible() {
      return api.isPresent() || reader != null;
    }
  }

  /** Resolves the knobs, creates the run folder and starts (or connects to) the cluster. */
  public static Run start(RunSpec spec, FaultTimeline timeline) {
    RunConfig config = RunConfig.fromSystem(spec.knobDefaults);
    ClusterFile clusterFile = Targets.clusterFile(config);
    if (clusterFile != null) {
      // the cluster file's own knob defaults sit between -D/env and the simulation's defaults
      Map<String, String> defaults = new LinkedHashMap<>(spec.knobDefaults);
      defaults.putAll(clusterFile.knobDefaults());
      config = RunConfig.fromSystem(defaults).with(Map.of(Knobs.CLUSTER.name(), clusterFile.file().toString()));
    }
    Instant now = Instant.now();
    String runId = spec.simulation + "-" + RUN_ID_TIME.format(now);
    Path runDir = Path.of(config.get(Knobs.RUN_DIR)).resolve(runId).toAbsolutePath();
    DatasetSpec dataset = datasetOf(config);
    FaultTimeline all = timeline.plus(FaultTimeline.fromFile(config.get(Knobs.FAULTS)));
    long anchor = now.getEpochSecond() * 1_000_000_000L;
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create run folder " + runDir + ": " + e.getMessage(), e);
    }
    log("run " + runId + " -> " + runDir);
    long openedAt = System.nanoTime();
    ClusterTarget target;
    try {
      target = Targets.open(config, clusterFile, runDir, all.needsLinkProxies() || spec.linkProxies);
    } catch (RuntimeException e) {
      removeIfEmpty(runDir);
      throw e;
    }
    try {
      requireSomeNodeAnswers(target);
      String db = config.get(Knobs.DATABASE);
      ensureDatabase(target, db);
      TableSetup.applyAll(target, db, dataset, spec.tables);
      Reading reading = reading(config, target, clusterFile, dataset);
      logCapabilities(target, reading);
      History history = new History();
      Run run = new Run(spec, config, runId, runDir, now, anchor, dataset, target, history, new QueryLedger(),
          new WriteRejections(Run::log), all, reading);
      run.writeManifest();
      log("target " + target.kind() + " ready in " + millisSince(openedAt) + " ms: " + target.nodes());
      return run;
    } catch (Exception e) {
      target.close();
      removeIfEmpty(runDir);
      throw e instanceof RuntimeException re ? re : new IllegalStateException("run setup failed: " + e.getMessage(), e);
    }
  }

  /** A run that failed to start leaves its folder only if something in it (node logs) tells why. */
  static void removeIfEmpty(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isEmpty()) Files.delete(dir);
    } catch (IOException ignored) {
      // best effort: a folder we cannot list or delete is left as it is
    }
  }

  /**
   * Reopens a finished run for {@code check --run}: the same knobs, generator anchor, history and
   * fault events, and the same cluster data (a local cluster is restarted from the run's data
   * dirs). Verdicts and reports go to {@code <run>/recheck/}.
   */
  public static Run reopen(Path runDir, List<Slo> slos) throws IOException {
    RunManifest m = ResultsJson.mapper().readValue(runDir.resolve("run.json").toFile(), RunManifest.class);
    Map<String, String> knobs = new LinkedHashMap<>(m.knobs());
    String token = System.getProperty(Knobs.TOKEN.property(), System.getenv(Knobs.TOKEN.envVar()));
    knobs.put(Knobs.TOKEN.name(), token == null ? "" : token);
    RunConfig config = RunConfig.resolve(k -> knobs.get(k.substring("loadchaos.".length())), e -> null, Map.of());
    var faultType = ResultsJson.mapper().getTypeFactory().constructCollectionType(List.class, FaultEvent.class);
    List<FaultEvent> faults = ResultsJson.mapper().readValue(runDir.resolve("faults.json").toFile(), faultType);
    History history = History.load(runDir.resolve("history.csv"), faults);
    // the load's answers are judged again; the final round is asked again of the reopened cluster
    QueryLedger queries = QueryLedger.load(runDir.resolve(QueryLedger.FILE));
    queries.dropFinalRound();
    RunSpec spec = RunSpec.of(m.simulation());
    slos.forEach(spec::slo);
    Path out = runDir.resolve("recheck");
    Files.createDirectories(out);
    DatasetSpec dataset = datasetOf(config);
    WriteRejections rejections = WriteRejections.restore(savedRejections(runDir), Run::log);
    ClusterFile clusterFile = Targets.clusterFile(config);
    ClusterTarget target = Targets.open(config, clusterFile, runDir, false);
    try {
      Reading reading = reading(config, target, clusterFile, dataset);
      logCapabilities(target, reading);
      Run run = new Run(spec, config, m.runId(), out, Instant.parse(m.startedAt()), m.anchorEpochNanos(), dataset, target,
          history, queries, rejections, FaultTimeline.none(), reading);
      // the load is not re-run: its cost is the one measured then
      run.savedCost = savedCost(runDir);
      return run;
    } catch (RuntimeException e) {
      target.close();
      throw e;
    }
  }

  /**
   * The dataset of a run, the same at start and at check time: the spec without its volume (the
   * load's duration bounds it, so the spec never ends a run early), restricted to the field types
   * the target accepts ({@code fieldTypes}; run.json files without the knob mean {@code all}).
   */
  static DatasetSpec datasetOf(RunConfig config) {
    return DatasetSpec.resolve(config.get(Knobs.DATASET)).unbounded()
        .withFieldTypes(FieldTypes.parse(config.get(Knobs.FIELD_TYPES)));
  }

  /** The rejected writes a run recorded in its results.json; null if absent (older runs) or unreadable. */
  private static WriteRejections.Summary savedRejections(Path runDir) {
    Path file = runDir.resolve(ResultsJson.FILE);
    if (!Files.isRegularFile(file)) return null;
    try {
      JsonNode node = ResultsJson.mapper().readTree(file.toFile()).get("rejectedWrites");
      return node == null || node.isNull() ? null : ResultsJson.mapper().treeToValue(node, WriteRejections.Summary.class);
    } catch (IOException e) {
      log("rejected writes of the run not restored: cannot read " + file + ": " + e.getMessage());
      return null;
    }
  }

  /** The sampler of the nodes' CPU and memory during the load. */
  public CostSampler cost() {
    return cost;
  }

  /** The cost a run measured, from its results.json; an absent cost saying why when there is none. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> savedCost(Path runDir) {
    Path file = runDir.resolve(ResultsJson.FILE);
    try {
      JsonNode node = Files.isRegularFile(file) ? ResultsJson.mapper().readTree(file.toFile()).get("cost") : null;
      return node == null || node.isNull() ? CostReport.absent("the run's results.json holds no cost")
          : ResultsJson.mapper().treeToValue(node, Map.class);
    } catch (IOException e) {
      return CostReport.absent("cannot read the run's cost from " + file + ": " + e.getMessage());
    }
  }

  /** Creates the database where the target needs that; a target that refuses is logged, and its writes will tell. */
  /**
   * A cluster of which no node gives any HTTP answer (refused, timed out) cannot be observed at all:
   * the run stops here rather than drive a minute of load into nothing. Any status counts as an
   * answer, so a cluster that is only partly up still runs (that is what chaos tests are for).
   */
  private static void requireSomeNodeAnswers(ClusterTarget target) {
    List<String> silent = new ArrayList<>();
    for (var node : target.nodes()) {
      try {
        target.http().send("GET", node.clientUrl() + "/ping", null);
        return;
      } catch (IOException e) {
        silent.add("node " + node.id() + " " + node.clientUrl() + ": " + ClusterHttp.describe(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reaching the cluster", e);
      }
    }
    throw new IllegalStateException("no node of the " + target.kind() + " target answers HTTP: " + String.join("; ", silent)
        + " (check loadchaos.urls or the cluster file)");
  }

  private static void ensureDatabase(ClusterTarget target, String db) {
    try {
      log("database " + db + ": " + DatabaseSetup.ensure(target.http(), target.nodes().get(0).clientUrl(), db));
    } catch (IOException e) {
      log("database " + db + ": " + ClusterHttp.describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Reading reading(RunConfig config, ClusterTarget target, ClusterFile file, DatasetSpec dataset) {
    String db = config.get(Knobs.DATABASE);
    QueryEndpoints endpoints = QueryEndpoints.probe(target.http(), target.nodes().get(0).clientUrl(), db);
    if (file != null && file.readerClass() != null) {
      Map<String, List<String>> tagKeys = new LinkedHashMap<>();
      dataset.tables().forEach(t -> tagKeys.put(t.name(), t.tags().stream().map(tag -> tag.name()).toList()));
      ClusterReader reader = ReaderActualData.load(file.readerClass(),
          new ClusterReader.Context(target.nodes(), db, config.get(Knobs.TOKEN), tagKeys));
      return new Reading(endpoints, Optional.empty(), "", reader);
    }
    String language = file != null && !file.query().equals("auto") && config.get(Knobs.QUERY).equals("auto")
        ? file.query() : config.get(Knobs.QUERY);
    Optional<QueryApi> api = endpoints.choose(language);
    return new Reading(endpoints, api, api.isPresent() ? "" : endpoints.missing(language), null);
  }

  private static void logCapabilities(ClusterTarget target, Reading r) {
    List<String> parts = new ArrayList<>();
    parts.add(r.endpoints().describe());
    for (ClusterTarget.Capability c : ClusterTarget.Capability.values()) {
      parts.add(c.name().toLowerCase(Locale.ROOT).replace('_', ' ') + (target.has(c) ? " yes" : " no"));
    }
    parts.add("node control " + target.nodeControl().map(n -> "yes " + n.nodeIds()).orElse("no"));
    parts.add("fault proxies " + target.links().map(l -> "yes " + l.links()).orElse("no"));
    log("target capabilities: " + String.join(", ", parts));
    log("reads through: " + (r.reader() != null ? r.reader().getClass().getName()
        : r.api().map(a -> a.label() + " (" + a.path() + ")").orElse("nothing: " + r.missing())));
  }

  static long millisSince(long nanoTime) {
    return (System.nanoTime() - nanoTime) / 1_000_000;
  }

  static void log(String line) {
    System.out.println("[loadchaos] " + line);
  }

  public RunConfig config() {
    return config;
  }

  public String runId() {
    return runId;
  }

  public Path runDir() {
    return runDir;
  }

  public DatasetSpec dataset() {
    return dataset;
  }

  public LineProtocolGenerator generator() {
    return generator;
  }

  public ClusterTarget target() {
    return target;
  }

  public History history() {
    return history;
  }

  /** Every query's answer (load and final round), judged by {@code query correctness}. */
  public QueryLedger queries() {
    return queries;
  }

  /**
   * The query templates of this run, in the language it reads with (SQL where it has none), over
   * the dataset's first table and its first shard key (else its first tag).
   */
  public synchronized List<QueryTemplates.Template> queryTemplates() {
    if (queryTemplates == null) {
      TableSpec first = dataset.tables().get(0);
      String key = first.shardKeys().isEmpty() ? first.tags().get(0).name() : first.shardKeys().get(0);
      queryTemplates = QueryTemplates.of(dataset, new DatagenQueryPoints(generator), first.name(), key, BatchId.of(0, 0),
          reading.api().orElse(QueryApi.SQL));
    }
    return queryTemplates;
  }

  /** Why writes were not ok, per HTTP status; the write chains record every attempt that was not ok. */
  public WriteRejections rejections() {
    return rejections;
  }

  public ChaosEngine chaos() {
    return chaos;
  }

  public Reading reading() {
    return reading;
  }

  public String database() {
    return config.get(Knobs.DATABASE);
  }

  /** Adds a check that needs the simulation's own state (probes it ran during the load). */
  public void addCheck(RunSpec.RunCheck check) {
    spec.checks.add(check);
  }

  /** Called when the load starts: the fault timeline's clock starts now. */
  public void loadStarted() {
    history.restartClock();
    cost.start();
    chaos.start();
  }

  /** The capacity analysis of a stepped run ({@code CapacityAnalysis.Result.toMap()}), for results.json. */
  public void capacity(Map<String, Object> capacity) {
    this.capacity = capacity;
  }

  public void gatlingReport(String path) {
    this.gatlingReport = path;
  }

  private void writeManifest() {
    List<RunManifest.SloSpec> sloSpecs = slos.stream()
        .map(s -> new RunManifest.SloSpec(s.phasePattern(), s.metric().name(), s.threshold())).toList();
    RunManifest m = new RunManifest(runId, spec.simulation, target.kind(), startedAt.toString(), anchorEpochNanos,
        config.redacted(), target.nodes().stream().map(ClusterTarget.Node::id).toList(), sloSpecs);
    try {
      ResultsJson.writeAtomically(runDir.resolve("run.json"), ResultsJson.mapper().writeValueAsBytes(m));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write run.json: " + e.getMessage(), e);
    }
  }

  /**
   * Heals every fault, waits for the cluster to settle, runs every check and writes the reports.
   * Idempotent: the first call's verdicts are kept.
   */
  public synchronized List<Verdict> finish() {
    if (verdicts != null) return verdicts;
    cost.stop(); // the load is over: heal, settle and the checks' reads are not its cost
    long began = System.nanoTime();
    List<Verdict> out = new ArrayList<>(chaos.healAll());
    if (chaos.timeline().faults().isEmpty()) log("faults: the run has no fault timeline, so no fault verdicts");
    else out.add(faultsInjected());
    Settle.Result settled = Settle.await(target, config.get(Knobs.SETTLE_TIMEOUT));
    log("settle: " + settled);
    this.settled = settled.settled();
    out.add(settled.verdict());
    // measured in the background since each heal; each stops at its threshold
    chaos.awaitRecoveries(chaos.recoveryBound());
    out.addAll(RecoveryVerdicts.of(history.faults(), config.get(Knobs.SLO_NODE_RECOVERY), config.get(Knobs.SLO_CATCH_UP)));
    out.addAll(Checks.standard(this, spec));
    for (RunSpec.RunCheck c : spec.checks) {
      try {
        out.addAll(c.verdicts(this));
      } catch (Exception e) {
        out.add(Verdict.unknown("check " + c.getClass().getSimpleName(), "could not run: " + e));
      }
    }
    if (!config.get(Knobs.BASELINE).isEmpty()) {
      out.addAll(Gate.verdicts(config.get(Knobs.BASELINE), result(List.copyOf(out))));
    }
    if (config.get(Knobs.STRICT)) out.replaceAll(Verdict::strict);
    verdicts = List.copyOf(out);
    writeReports();
    log("finish (heal, settle, checks, reports) took " + millisSince(began) + " ms");
    return verdicts;
  }

  /**
   * Every scheduled fault must really have been injected and proven by the harness's own
   * observation (pids gone, state T, probes through the proxy), or the run proved nothing.
   */
  private Verdict faultsInjected() {
    var events = history.faults();
    int planned = chaos.timeline().faults().size();
    List<String> failed = events.stream().filter(e -> !e.ok()).map(e -> e.name() + ": " + e.detail()).toList();
    boolean ok = failed.isEmpty() && events.size() >= planned;
    String proofs = events.stream().filter(e -> !e.proof().isEmpty()).map(e -> e.name() + ": " + e.proof())
        .collect(Collectors.joining("; "));
    return Verdict.of("faults injected", ok, events.size() + " of " + planned + " injected, " + failed.size() + " failed",
        planned + " of " + planned, ok ? "every fault of the timeline was injected, proven and healed" + (proofs.isEmpty() ? "" : "; " + proofs)
            : events.size() < planned ? "the load ended before every fault was due" : String.join("; ", failed));
  }

  public List<Slo> slos() {
    return slos;
  }

  private void writeReports() {
    Map<String, Object> costMap = null;
    try {
      history.save(runDir.resolve("history.csv"));
      queries.save(runDir.resolve(QueryLedger.FILE));
      ResultsJson.writeAtomically(runDir.resolve("faults.json"), ResultsJson.mapper().writeValueAsBytes(history.faults()));
      RunResult result = result();
      costMap = result.cost();
      ResultsJson.write(runDir, result);
      JUnitXml.write(runDir, result);
      HtmlReport.write(runDir, result);
    } catch (IOException e) {
      log("could not write reports: " + e.getMessage());
    }
    rejections.summary().consoleLines().forEach(Run::log);
    log(CostReport.consoleLine(costMap));
    log("verdicts of " + runId + ":\n" + ConsoleTable.render(verdicts));
    log("report: " + runDir.resolve("report.html"));
  }

  RunResult result() {
    return result(verdicts);
  }

  private RunResult result(List<Verdict> vs) {
    PhaseAnalysis pa = Checks.phases(this);
    Map<String, Map<String, PhaseAnalysis.PhaseStats>> phases = new LinkedHashMap<>();
    Map<String, List<PhaseAnalysis.Second>> perSecond = new LinkedHashMap<>();
    for (OpKind k : OpKind.values()) {
      phases.put(k.label(), pa.phases(k));
      perSecond.put(k.label(), pa.perSecond(k));
    }
    Map<String, Object> ds = new LinkedHashMap<>();
    ds.put("name", dataset.name());
    ds.put("series", dataset.seriesCount());
    ds.put("precision", dataset.precision());
    ds.put("fieldTypes", config.get(Knobs.FIELD_TYPES));
    ds.put("tables", dataset.tables().stream().map(t -> t.name()).toList());
    long seconds = Duration.between(startedAt, Instant.now()).toMillis();
    return new RunResult(runId, spec.simulation, target.kind(), startedAt.toString(), seconds / 1000.0,
        config.redacted(), ds, history.faults(), pa.segments(), phases, perSecond, pa.recoveries(),
        chaos.shardStates(), vs, gatlingReport, capacity, rejections.summary(),
        savedCost != null ? savedCost : CostReport.of(cost, pa, history.ops()));
  }

  /** Stops the target and everything the run started. Idempotent. */
  @Override
  public void close() {
    try {
      cost.stop();
      chaos.close();
      if (reading.reader() != null) reading.reader().close();
    } catch (Exception e) {
      log("closing the query class failed: " + e);
    } finally {
      target.close();
    }
  }

  // ---- the standard checks ----

  /** Read-back, replica consistency and SLO verdicts, shared by every simulation. */
  static final class Checks {
    private Checks() {}

    static PhaseAnalysis phases(Run run) {
      double avail = run.config.get(Knobs.SLO_AVAILABILITY);
      return new PhaseAnalysis(run.history.ops(), run.history.faults(), avail, run.config.get(Knobs.WARMUP).toSeconds());
    }

    static List<Verdict> standard(Run run, RunSpec spec) {
      List<Verdict> out = new ArrayList<>();
      var expected = new DatagenExpectedData(run.dataset, run.generator);
      if (spec.readBack) out.addAll(readBack(run, expected));
      if (spec.replicaCheck) out.add(replicas(run, expected));
      out.add(spec.queryCheck ? queryCorrectness(run) : Verdict.skipped(QUERY_CORRECTNESS, spec.simulation
          + " does not judge queries: it sends none, and a final round over all its points only measures the query path's speed"));
      out.add(run.target.collectNodeLogs(run.runDir).map(ContainerLogScan::scan)
          .orElse(Verdict.skipped(ContainerLogScan.VERDICT, run.target.kind()
              + " target: node logs are not visible to the harness")));
      out.addAll(phases(run).evaluate(run.slos));
      return out;
    }

    static final List<String> READ_BACK_VERDICTS = List.of("read-back lost", "read-back unexpected",
        "read-back wrong-value", "read-back duplicated");

    static List<Verdict> readBack(Run run, DatagenExpectedData expected) {
      Reading r = run.reading;
      if (!r.possible()) return READ_BACK_VERDICTS.stream().map(n -> Verdict.unknown(n, "could not read: " + r.missing())).toList();
      String source;
      ActualData actual;
      if (r.reader() != null) {
        ReaderActualData a = new ReaderActualData(r.reader());
        source = a.source();
        actual = a;
      } else {
        // every node answers some time windows, so read-back is not one node's view of the data
        var a = new HttpActualData(run.target.http(), run.target.nodes().stream().map(ClusterTarget.Node::clientUrl).toList(),
            run.database(), expected.tagKeysByTable(), r.api().get());
        source = a.source();
        actual = a;
      }
      try {
        long began = System.nanoTime();
        var findings = new ReadBackCheck(expected, actual).run(run.history.ops());
        log("read-back through " + source + ": ok " + findings.okPoints + ", lost " + findings.lost + ", unexpected "
            + (findings.unexpected + findings.failPresent) + ", wrong-value " + findings.wrongValue + ", duplicated "
            + findings.duplicated + ", info " + findings.infoPoints + " (recovered " + findings.recovered + "), rows read "
            + findings.actualRows + (findings.exactTypes ? "" : ", numbers by value only") + " in " + millisSince(began) + " ms");
        return ReadBackCheck.verdicts(findings, source);
      } catch (Exception e) {
        String why = "could not read the data back through " + source + ": " + e.getMessage();
        return READ_BACK_VERDICTS.stream().map(n -> Verdict.unknown(n, why)).toList();
      }
    }

    static Verdict replicas(Run run, DatagenExpectedData expected) {
      ShardCopies copies;
      Reading r = run.reading;
      if (r.reader() != null) {
        int nodes = run.target.nodes().size();
        if (!r.reader().readsNodeCopies() || run.config.get(Knobs.REPLICATION_FACTOR) < nodes) {
          return Verdict.skipped("replica consistency", r.reader().getClass().getName()
              + (r.reader().readsNodeCopies() ? " reads node copies, but replicationFactor < " + nodes + " nodes" : " reads no node copies"));
        }
        copies = new ReaderActualData(r.reader()).nodeCopies(List.copyOf(expected.tagKeysByTable().keySet()),
            run.target.nodes().stream().map(ClusterTarget.Node::id).toList());
      } else if (!run.target.has(ClusterTarget.Capability.SHARD_LISTING)
          || !run.target.has(ClusterTarget.Capability.NODE_LOCAL_READS)) {
        return Verdict.skipped("replica consistency", run.target.kind() + " target has no shard listing / node-local reads");
      } else {
        copies = new HttpShardCopies(run.target.http(), run.target.clientUrlById(), run.database(), expected.tagKeysByTable());
      }
      try {
        long began = System.nanoTime();
        Verdict v = ReplicaCheck.verdict(new ReplicaCheck(copies).run());
        log("replicas: " + v.measured() + " in " + millisSince(began) + " ms");
        return v;
      } catch (Exception e) {
        return Verdict.unknown("replica consistency", "could not compare replicas: " + e.getMessage());
      }
    }

    static final String QUERY_CORRECTNESS = "query correctness";
    /** Below this share of answered load queries there is too little to judge the query path by. */
    static final double MIN_ANSWERED_SHARE = 0.5;
    /** Replication to the owner beyond the quorum is asynchronous: its copy may lag an acknowledgement this long. */
    static final long REPLICATION_GRACE_MICROS = 1_000_000;
    private static final int FINAL_ATTEMPTS = 3;

    /**
     * Every recorded answer, and a final round (every template once through every node, after heal
     * and settle), compared with the counts and sums the history allows ({@link QueryCorrectnessCheck}).
     */
    static Verdict queryCorrectness(Run run) {
      // the answered share is judged outside faults: a query through a failed node, or over a shard
      // whose only owner is down, errors by design (the query SLOs judge availability)
      PhaseAnalysis pa = phases(run);
      long total = 0;
      long answered = 0;
      long outside = 0;
      long answeredOutside = 0;
      for (var op : run.history.ops()) {
        if (op.kind() == OpKind.WRITE) continue;
        boolean ok = op.outcome() == Outcome.OK;
        total++;
        if (ok) answered++;
        if (pa.phaseOf(op).startsWith("fault:")) continue;
        outside++;
        if (ok) answeredOutside++;
      }
      String noFinal = run.reading.api().isPresent() ? null
          : run.reading.reader() != null ? "the run reads through " + run.reading.reader().getClass().getName()
              + ", which has no HTTP query endpoint for a final round" : "no query endpoint for a final round: " + run.reading.missing();
      if (total == 0 && noFinal != null) return Verdict.skipped(QUERY_CORRECTNESS, "the run sent no queries; " + noFinal);
      Map<String, QueryMeaning> meanings;
      try {
        meanings = QueryTemplates.meanings(run.queryTemplates());
      } catch (RuntimeException e) {
        return Verdict.unknown(QUERY_CORRECTNESS, "no query templates for this dataset: " + e.getMessage());
      }
      run.queries.dropFinalRound();
      List<String> finalErrors = noFinal == null ? finalRound(run) : List.of();
      List<QueryLedger.Answer> answers = run.queries.answers();
      long finalTotal = answers.stream().filter(QueryLedger.Answer::finalRound).count();
      long finalAnswered = answers.stream().filter(a -> a.finalRound() && a.answered()).count();
      long grace = replicationGraceMicros(run);
      List<long[]> stale = staleWindows(run, grace);
      var check = new QueryCorrectnessCheck(meanings, new DatagenQueryPoints(run.generator),
          run.history.ops(), stale, grace);
      long began = System.nanoTime();
      QueryCorrectnessCheck.Findings f = check.run(answers, run.settled);
      log("query correctness: " + f.compared() + " answers compared (" + f.loadCompared + " load, " + f.finalCompared
          + " final round), " + f.wrongAnswers + " wrong, in " + millisSince(began) + " ms");
      String share = total == 0 ? "no load queries" : "load queries answered " + answered + " of " + total + " ("
          + pct(answered, total) + "), outside faults " + answeredOutside + " of " + outside
          + (outside == 0 ? "" : " (" + pct(answeredOutside, outside) + ")") + "; at least " + pct(MIN_ANSWERED_SHARE)
          + " of either needed";
      String finalText = noFinal != null ? noFinal : "final round " + finalAnswered + " of " + finalTotal + " answered"
          + (finalErrors.isEmpty() ? "" : " (" + String.join("; ", finalErrors.subList(0, Math.min(3, finalErrors.size()))) + ")");
      String detail = f.compared() + " answers compared (" + f.loadCompared + " load, " + f.finalCompared + " final round): "
          + f.groupsCompared + " groups, " + f.exactGroups + " exact counts, " + f.exactSums + " exact sums; " + share + "; "
          + finalText + "; replication grace " + grace / 1000 + " ms"
          + (run.settled ? "" : "; the cluster did not settle, so the final round allowed stale replicas");
      String measured = f.wrongAnswers + " wrong of " + f.compared();
      if (f.wrongAnswers > 0) {
        return Verdict.fail(QUERY_CORRECTNESS, measured, "0 wrong", detail).withExamples(Map.of("wrong", f.examples));
      }
      if (total > 0 && answered == 0) {
        return Verdict.unknown(QUERY_CORRECTNESS, "no query got an answer to judge: all " + total + " failed with an error"
            + (run.reading.api().isEmpty() ? " (" + run.reading.missing() + ")" : "") + "; " + finalText);
      }
      // too few answers both overall and outside faults (a fault may fail most queries by design, e.g. RF=1)
      boolean fewOverall = (double) answered / Math.max(1, total) < MIN_ANSWERED_SHARE;
      boolean fewOutside = outside == 0 || (double) answeredOutside / outside < MIN_ANSWERED_SHARE;
      if (total > 0 && fewOverall && fewOutside) {
        return Verdict.unknown(QUERY_CORRECTNESS, "too few load queries got an answer to judge the query path: " + share
            + "; " + detail);
      }
      if (noFinal == null && finalAnswered == 0) {
        return Verdict.unknown(QUERY_CORRECTNESS, "the final round got no answer, so wrong aggregates could go unseen: "
            + finalText + "; " + detail);
      }
      if (f.compared() == 0) return Verdict.unknown(QUERY_CORRECTNESS, "no answer was compared: " + detail);
      return Verdict.pass(QUERY_CORRECTNESS, measured, "0 wrong", detail);
    }

    /**
     * How long after an acknowledgement the last owner may still lack the write: 1 s, or the run's
     * p99 write latency where that is longer (the last owner applies a write about as fast as the
     * quorum did; on a loaded machine that takes longer than 1 s).
     */
    static long replicationGraceMicros(Run run) {
      Histogram h = new Histogram(3);
      for (var op : run.history.ops()) {
        if (op.kind() == OpKind.WRITE && op.outcome() == Outcome.OK && op.latencyMicros() >= 0) {
          h.recordValue(op.latencyMicros());
        }
      }
      return Math.max(REPLICATION_GRACE_MICROS, h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99));
    }

    /** Acknowledgements in these windows may be missing from a replica that was down or cut off, until handoff. */
    static List<long[]> staleWindows(Run run, long grace) {
      List<long[]> out = new ArrayList<>();
      for (var f : run.history.faults()) {
        out.add(new long[] {f.startMicros() - grace, f.active() ? Long.MAX_VALUE : f.endMicros()});
      }
      for (PhaseAnalysis.Segment s : phases(run).segments()) {
        if (s.phase().startsWith("fault:") || s.phase().equals("recovery")) {
          out.add(new long[] {s.fromSecond() * 1_000_000 - grace, s.toSecondExclusive() * 1_000_000});
        }
      }
      return out;
    }

    /**
     * Every template once through every node over HTTP, each retried up to 3 times; answers go to
     * the ledger as the final round. Returns the queries that never got an answer.
     */
    static List<String> finalRound(Run run) {
      QueryApi api = run.reading.api().orElseThrow();
      List<String> errors = new ArrayList<>();
      List<ClusterTarget.Node> nodes = run.target.nodes();
      for (int i = 0; i < nodes.size(); i++) {
        ClusterTarget.Node node = nodes.get(i);
        for (QueryTemplates.Template t : run.queryTemplates()) {
          String url = node.clientUrl() + QueryTemplates.httpPath(t, run.database());
          String error = null;
          int status = -1;
          long start = run.history.nowMicros();
          for (int attempt = 0; attempt < FINAL_ATTEMPTS; attempt++) {
            if (attempt > 0) sleep(1000);
            start = run.history.nowMicros();
            try {
              ClusterHttp.Response r = run.target.http().send("GET", url, null);
              status = r.status();
              if (r.status() == 200) {
                QueryResult result = QueryResult.parse(api, r.body());
                run.queries.add(QueryTemplates.answer(t, OpKind.QUERY_SQL, i, node.id(), start, run.history.nowMicros(),
                    result, true));
                error = null;
                break;
              }
              error = "HTTP " + r.status() + ": " + abbreviate(r.body());
            } catch (IOException e) {
              error = e.getMessage();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              error = "interrupted";
              break;
            }
          }
          if (error != null) {
            run.queries.add(QueryLedger.Answer.error(t.name(), OpKind.QUERY_SQL, i, node.id(), start, run.history.nowMicros(),
                status, error, true));
            errors.add(t.name() + " via node " + node.id() + ": " + error);
          }
        }
      }
      return errors;
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static String abbreviate(String s) {
      return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static String pct(long n, long of) {
      return pct((double) n / of);
    }

    private static String pct(double share) {
      return String.format(Locale.ROOT, "%.0f %%", share * 100);
    }
  }
}
