package io.loadchaos.config;

import static io.loadchaos.config.Parsers.*;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Every run knob, its default and what it accepts. The README's knob table mirrors this list. */
public final class Knobs {
  private Knobs() {}

  public static final Knob<String> TARGET = new Knob<>("target", "local", "local, compose, external",
      "which cluster to run against (a cluster file, loadchaos.cluster, replaces local)", oneOf("local", "compose", "external"));
  public static final Knob<String> CLUSTER = new Knob<>("cluster", "", "a cluster file (YAML, docs/targets.md)",
      "a cluster loadchaos did not write: its nodes' URLs and optionally start commands or containers", text());
  public static final Knob<String> QUERY = new Knob<>("query", "auto", "auto, sql, influxql",
      "query language of read-back, checks and query load; auto probes the target (SQL, else InfluxQL)",
      oneOf("auto", "sql", "influxql"));
  public static final Knob<List<String>> URLS = new Knob<>("urls", "", "comma-separated http URLs",
      "external target: the nodes' HTTP URLs", list());
  public static final Knob<String> TOKEN = new Knob<>("token", "", "a bearer token",
      "sent as Authorization: Bearer (never printed or written to reports)", text());
  public static final Knob<Boolean> TLS = new Knob<>("tls", "false", "true, false",
      "local target: nodes serve https with a CA and server certificate generated per run into the cluster dir; every client trusts only that CA", bool());
  public static final Knob<String> CA_CERT = new Knob<>("caCert", "", "a PEM file of CA certificates",
      "https targets: the only CAs the clients (checks, Gatling, Flight) trust, instead of the JDK's", pemCertificatesFile());
  public static final Knob<Integer> NODES = new Knob<>("nodes", "3", "1..9",
      "local/compose target: number of nodes", intRange(1, 9));
  public static final Knob<Integer> REPLICATION_FACTOR = new Knob<>("replicationFactor", "3", "1..9",
      "replication factor of the tables the run writes", intRange(1, 9));
  public static final Knob<List<String>> BUGS = new Knob<>("bug", "", "comma-separated NAME[=P]",
      "local target: deliberate defects to switch on in the reference nodes (e.g. ack-without-write=0.01)", list());
  public static final Knob<List<String>> NODE_JVM_ARGS = new Knob<>("nodeJvmArgs", "", "JVM flags separated by spaces",
      "local target: extra JVM flags of each reference node, after the defaults so they win (e.g. -Xms1g)", words());
  public static final Knob<String> OBJECT_STORE = new Knob<>("objectStore", "off", "off, on",
      "local target: on starts an S3-compatible object store (s3proxy) with the cluster; nodes snapshot shards to Parquet there and"
          + " replay only the WAL tail on restart (docs/storage.md)", oneOf("off", "on"));
  public static final Knob<String> CATALOG = new Knob<>("catalog", "meta", "meta, etcd",
      "local target: where the reference cluster's catalog lives: meta (node 1, the meta node) or etcd (a 3-member ensemble beside"
          + " the nodes, no meta node; docs/catalog.md)", oneOf("meta", "etcd"));
  public static final Knob<String> DATABASE = new Knob<>("database", "loadchaos", "a database name",
      "database the run writes to", text());
  public static final Knob<String> DATASET = new Knob<>("dataset", "devops", "devops, iot, high-cardinality, edge-cases, overwrites, a spec file",
      "data-generator spec", text());
  public static final Knob<String> FIELD_TYPES = new Knob<>("fieldTypes", "all", "all, no-unsigned",
      "no-unsigned: write the dataset's unsigned fields as signed integers (same values), for targets without unsigned"
          + " integers such as InfluxDB 1.x", oneOf("all", "no-unsigned"));
  public static final Knob<Long> SEED = new Knob<>("seed", "42", "an integer",
      "seed of data and of fault randomness", longRange(Long.MIN_VALUE, Long.MAX_VALUE));
  public static final Knob<Integer> WRITERS = new Knob<>("writers", "4", "1..1000",
      "concurrent writers (Gatling users in the closed model)", intRange(1, 1000));
  public static final Knob<Integer> BATCH_SIZE = new Knob<>("batchSize", "500", "1..100000",
      "points per write batch", intRange(1, 100_000));
  public static final Knob<Duration> DURATION = new Knob<>("duration", "40s", "a duration (30s, 2m)",
      "how long the write load runs", duration());
  public static final Knob<Duration> WARMUP = new Knob<>("warmup", "0s", "a duration (0s: none)",
      "the load's first seconds form phase warmup: JIT and caches settle; SLOs and the gate do not judge it", duration());
  public static final Knob<String> INJECTION = new Knob<>("injection", "closed", "closed, open",
      "closed: writers loop; open: batches arrive at openRate per second", oneOf("closed", "open"));
  public static final Knob<Double> OPEN_RATE = new Knob<>("openRate", "20", "0.1..100000",
      "open model: batches started per second", doubleRange(0.1, 100_000));
  public static final Knob<Long> POINTS_PER_SECOND = new Knob<>("pointsPerSecond", "10000", "0 (unthrottled) or more",
      "throttle writes to this many points/s in total", longRange(0, Long.MAX_VALUE));
  public static final Knob<String> ENDPOINT = new Knob<>("endpoint", "v3", "v3, v2, v1",
      "write endpoint: /api/v3/write_lp, /api/v2/write or /write", oneOf("v3", "v2", "v1"));
  public static final Knob<Boolean> ACCEPT_PARTIAL = new Knob<>("acceptPartial", "true", "true, false",
      "accept_partial on v3 writes", bool());
  public static final Knob<Boolean> NO_SYNC = new Knob<>("noSync", "false", "true, false",
      "no_sync on v3 writes", bool());
  public static final Knob<Boolean> GZIP = new Knob<>("gzip", "false", "true, false",
      "gzip write bodies (Content-Encoding: gzip)", bool());
  public static final Knob<String> NODE_SELECTION = new Knob<>("nodeSelection", "roundrobin", "roundrobin, pinned",
      "roundrobin: each batch to the next node; pinned: writer w always to node w mod N", oneOf("roundrobin", "pinned"));
  public static final Knob<Integer> WRITE_ATTEMPTS = new Knob<>("writeAttempts", "3", "1..10",
      "attempts per batch: a failed attempt is retried on the next node, as a client with failover would", intRange(1, 10));
  public static final Knob<Integer> QUERY_USERS = new Knob<>("queryUsers", "1", "0..100",
      "concurrent SQL-over-HTTP query users", intRange(0, 100));
  public static final Knob<Duration> QUERY_PAUSE = new Knob<>("queryPause", "500ms", "a duration",
      "pause between one query user's queries", duration());
  public static final Knob<Boolean> FLIGHT = new Knob<>("flight", "true", "true, false",
      "also run Flight (influxdb3-java) queries off Gatling's threads", bool());
  public static final Knob<Duration> SETTLE_TIMEOUT = new Knob<>("settleTimeout", "60s", "a duration",
      "after heal: how long to wait for hinted handoff to drain before read-back", duration());
  public static final Knob<String> RUN_DIR = new Knob<>("runDir", "target/loadchaos", "a directory",
      "where run folders (<runDir>/<run-id>/) are written", text());
  public static final Knob<Double> SLO_AVAILABILITY = new Knob<>("slo.availability", "0.99", "0..1",
      "minimum share of ok writes per phase", doubleRange(0, 1));
  public static final Knob<Duration> SLO_P99 = new Knob<>("slo.p99", "5s", "a duration",
      "maximum p99 write latency per phase", duration());
  public static final Knob<Double> SLO_QUERY_AVAILABILITY = new Knob<>("slo.queryAvailability", "0.5", "0..1",
      "minimum share of answered queries (HTTP and Flight) in steady phases", doubleRange(0, 1));
  public static final Knob<Duration> SLO_QUERY_P99 = new Knob<>("slo.queryP99", "15s", "a duration",
      "maximum p99 latency of answered queries (HTTP and Flight) in steady phases", duration());
  public static final Knob<Duration> SLO_RECOVERY = new Knob<>("slo.recovery", "30s", "a duration",
      "maximum time after a fault ends until availability is back", duration());
  public static final Knob<Duration> SLO_NODE_RECOVERY = new Knob<>("slo.nodeRecovery", "60s", "a duration",
      "maximum time from a fault's heal until the node it hit answers a probe write and a read sent to it", duration());
  public static final Knob<Duration> SLO_CATCH_UP = new Knob<>("slo.catchUp", "90s", "a duration",
      "maximum time from a fault's heal until the node it hit holds what it missed (marker read locally, no hints pending for it)",
      duration());
  public static final Knob<Boolean> STRICT = new Knob<>("strict", "false", "true, false",
      "a SKIPPED verdict (the target lacks what a check needs) fails the run too", bool());
  public static final Knob<String> FAULTS = new Knob<>("faults", "", "a YAML fault timeline file",
      "extra fault events for this run", text());
  public static final Knob<String> BASELINE = new Knob<>("baseline", "", "a baseline JSON file (baselines/<simulation>.json)",
      "regression gate: compare the run with this baseline; a regression fails the run", text());
  public static final Knob<Double> CAPACITY_START_RATE = new Knob<>("capacity.startRate", "20000", "1..100000000",
      "CapacitySimulation: offered points/s of the first step of the knee search", doubleRange(1, 100_000_000));
  public static final Knob<Double> CAPACITY_GROWTH = new Knob<>("capacity.growth", "2", "1.1..10",
      "CapacitySimulation: factor between steps until one misses the SLOs", doubleRange(1.1, 10));
  public static final Knob<Double> CAPACITY_PRECISION = new Knob<>("capacity.precision", "0.1", "0.01..1",
      "CapacitySimulation: bisect until (missed - met) / met is at most this", doubleRange(0.01, 1));
  public static final Knob<Double> CAPACITY_MAX_RATE = new Knob<>("capacity.maxRate", "2000000", "1..100000000",
      "CapacitySimulation: highest points/s offered; met there = knee not reached", doubleRange(1, 100_000_000));
  public static final Knob<Integer> CAPACITY_MAX_STEPS = new Knob<>("capacity.maxSteps", "20", "1..200",
      "CapacitySimulation: most steps the search runs", intRange(1, 200));
  public static final Knob<Duration> CAPACITY_TIME_BUDGET = new Knob<>("capacity.timeBudget", "6m", "a duration",
      "CapacitySimulation: no step is started that would end after this much search time", duration());
  public static final Knob<Duration> CAPACITY_STEP_DURATION = new Knob<>("capacity.stepDuration", "6s",
      "a duration of at least 2s", "CapacitySimulation: length of each step, warm-up included", minDuration(Duration.ofSeconds(2)));
  public static final Knob<Long> CAPACITY_MAX_POINTS = new Knob<>("capacity.maxPoints", "12000000", "1 or more",
      "CapacitySimulation: no step starts that could take the points written past this (the reference nodes keep every point in memory)",
      longRange(1, Long.MAX_VALUE));
  public static final Knob<Duration> CAPACITY_WARMUP = new Knob<>("capacity.warmup", "2s", "a duration",
      "CapacitySimulation: first part of each step that is not measured (at least 1 s must remain)", duration());
  public static final Knob<Integer> CAPACITY_WRITERS = new Knob<>("capacity.writers", "0", "0 (auto) or 1..2000",
      "CapacitySimulation: writers (Gatling users) following the pacer; auto = enough for capacity.maxRate at the p99 SLO, 16..256",
      intRange(0, 2000));
  public static final Knob<Double> CAPACITY_MIN_ACHIEVED = new Knob<>("capacity.minAchieved", "0.95", "0..1",
      "CapacitySimulation: a step must get at least this share of its offered points/s acknowledged", doubleRange(0, 1));
  public static final Knob<Double> CAPACITY_STEADINESS = new Knob<>("capacity.steadiness", "0.15", "0..1",
      "CapacitySimulation: ok rates of a step's two halves may differ by at most this share (else it is run again once)",
      doubleRange(0, 1));
  public static final Knob<Double> CAPACITY_MAX_INJECTOR_LATE = new Knob<>("capacity.maxInjectorLate", "0.05", "0..1",
      "CapacitySimulation: share of starts the injector itself may delay before a step is injector-bound", doubleRange(0, 1));
  public static final Knob<Double> CAPACITY_MAX_INJECTOR_CPU = new Knob<>("capacity.maxInjectorCpu", "0.9", "0..1",
      "CapacitySimulation: injector process CPU, as a share of the machine's cores, that makes a step injector-bound",
      doubleRange(0, 1));

  public static final Knob<String> COMPOSE_FILE = new Knob<>("composeFile", "docker/compose.yaml", "a Compose file",
      "compose target: the stack to bring up (docs/compose.md)", text());
  public static final Knob<List<String>> COMPOSE_PROFILES = new Knob<>("composeProfiles", "", "comma-separated, e.g. monitoring",
      "compose target: extra Compose profiles (monitoring adds Prometheus and Grafana)", list());

  public static final List<Knob<?>> ALL = List.of(TARGET, CLUSTER, QUERY, URLS, TOKEN, TLS, CA_CERT, NODES, REPLICATION_FACTOR, BUGS, NODE_JVM_ARGS,
      OBJECT_STORE, CATALOG, DATABASE, DATASET, FIELD_TYPES, SEED, WRITERS, BATCH_SIZE, DURATION, WARMUP, INJECTION, OPEN_RATE, POINTS_PER_SECOND,
      ENDPOINT, ACCEPT_PARTIAL, NO_SYNC, GZIP, NODE_SELECTION, WRITE_ATTEMPTS, QUERY_USERS, QUERY_PAUSE, FLIGHT,
      SETTLE_TIMEOUT, RUN_DIR, SLO_AVAILABILITY, SLO_P99, SLO_QUERY_AVAILABILITY, SLO_QUERY_P99, SLO_RECOVERY,
      SLO_NODE_RECOVERY, SLO_CATCH_UP, STRICT, FAULTS,
      BASELINE, CAPACITY_START_RATE, CAPACITY_GROWTH, CAPACITY_PRECISION, CAPACITY_MAX_RATE, CAPACITY_MAX_STEPS,
      CAPACITY_TIME_BUDGET, CAPACITY_MAX_POINTS, CAPACITY_STEP_DURATION, CAPACITY_WARMUP, CAPACITY_WRITERS, CAPACITY_MIN_ACHIEVED,
      CAPACITY_STEADINESS, CAPACITY_MAX_INJECTOR_LATE, CAPACITY_MAX_INJECTOR_CPU, COMPOSE_FILE, COMPOSE_PROFILES);

  /**
   * {@code loadchaos.*} properties and {@code LOADCHAOS_*} variables that are not run knobs: the
   * build's own (pom.xml) and the scripts' (docker/*.sh). Anything else with the prefix is a typo.
   */
  public static final Set<String> NOT_KNOBS = Set.of(
      "loadchaos.projectDir", "loadchaos.jvm.opens", "loadchaos.test.groups", "loadchaos.test.excludedGroups",
      "LOADCHAOS_DOCKERD_LOG", "LOADCHAOS_DOCKERD_WAIT", "LOADCHAOS_JLINK_MODULES", "LOADCHAOS_BASE_IMAGE",
      "LOADCHAOS_SMOKE", "LOADCHAOS_NODE_TOKEN", "loadchaos.s3proxyJar", "LOADCHAOS_S3_ACCESS_KEY_ID", "LOADCHAOS_S3_SECRET_ACCESS_KEY");
}
