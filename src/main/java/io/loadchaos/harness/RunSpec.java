package io.loadchaos.harness;

import io.loadchaos.check.Slo;
import io.loadchaos.check.Verdict;
import io.loadchaos.config.Knob;
import io.loadchaos.config.Knobs;
import io.loadchaos.config.RunConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a simulation declares about its run: knob defaults, SLOs and extra checks. Built once in
 * the simulation's constructor.
 */
public final class RunSpec {
  final String simulation;
  final Map<String, String> knobDefaults = new LinkedHashMap<>();
  final List<Function<RunConfig, Slo>> slos = new ArrayList<>();
  final Set<Slo.Metric> droppedSlos = EnumSet.noneOf(Slo.Metric.class);
  final List<RunCheck> checks = new ArrayList<>();
  final List<TableSetup> tables = new ArrayList<>();
  boolean readBack = true;
  boolean replicaCheck = true;
  boolean queryCheck = true;
  boolean linkProxies;

  private RunSpec(String simulation) {
    this.simulation = simulation;
  }

  public static RunSpec of(String simulation) {
    return new RunSpec(simulation);
  }

  /** A default for a knob that {@code -Dloadchaos.<name>} can still override. */
  public RunSpec knob(String name, Object value) {
    knobDefaults.put(name, String.valueOf(value));
    return this;
  }

  /**
   * A typed default for a knob that {@code -Dloadchaos.<name>} can still override:
   * {@code knob(Knobs.QUERY_USERS, 2)}. The value is written as the knob's text form (a duration as
   * {@code 55s} or {@code 250ms}, a list comma-separated) and parsed by the knob when the run starts, so a value the
   * knob does not accept fails there with the knob's name and what it accepts.
   */
  public <T> RunSpec knob(Knob<T> knob, T value) {
    knobDefaults.put(knob.name(), knobText(value));
    return this;
  }

  static String knobText(Object value) {
    if (value instanceof Duration d) return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    if (value instanceof Collection<?> c) return c.stream().map(String::valueOf).collect(Collectors.joining(","));
    return String.valueOf(value);
  }

  public RunSpec slo(Slo slo) {
    slos.add(cfg -> slo);
    return this;
  }

  /** An SLO whose threshold comes from the run's knobs (e.g. {@code loadchaos.slo.p99}). */
  public RunSpec slo(Function<RunConfig, Slo> slo) {
    slos.add(slo);
    return this;
  }

  /**
   * The SLOs every chaos simulation starts from: write availability in steady and fault phases (the
   * recovery phase is judged by its length), write p99 in steady phases, recovery time after each
   * fault, query availability and p99 in steady phases, all from the {@code loadchaos.slo.*} knobs.
   */
  public RunSpec standardSlos() {
    slo(cfg -> Slo.availability("steady", cfg.get(Knobs.SLO_AVAILABILITY)));
    slo(cfg -> Slo.availability("fault:*", cfg.get(Knobs.SLO_AVAILABILITY)));
    slo(cfg -> Slo.p99("steady", cfg.get(Knobs.SLO_P99)));
    // queries have no failover: one through a failed node errors by design, so fault phases are not judged
    slo(cfg -> Slo.queryAvailability("steady", cfg.get(Knobs.SLO_QUERY_AVAILABILITY)));
    slo(cfg -> Slo.queryP99("steady", cfg.get(Knobs.SLO_QUERY_P99)));
    slo(cfg -> Slo.recovery(cfg.get(Knobs.SLO_RECOVERY)));
    return this;
  }

  /** A simulation-specific check, run after heal and settle, before the reports are written. */
  public RunSpec check(RunCheck check) {
    checks.add(check);
    return this;
  }

  /** Sharding and replication of a table, set before the load starts. */
  public RunSpec table(TableSetup setup) {
    tables.add(setup);
    return this;
  }

  /**
   * Fault proxies on every link even without network faults, where the target can place them:
   * for checks that judge from the traffic the proxies count.
   */
  public RunSpec withLinkProxies() {
    linkProxies = true;
    return this;
  }

  public RunSpec withoutReadBack() {
    readBack = false;
    return this;
  }

  /**
   * No {@code query correctness} (SKIPPED, saying why): for a simulation that sends no queries and
   * whose volume makes the final round a long full scan that judges nothing it is about.
   */
  public RunSpec withoutQueryCheck() {
    queryCheck = false;
    return this;
  }

  /**
   * No SLO of {@code metric} (e.g. one that {@link #standardSlos} adds), for a simulation whose
   * timeline leaves nothing of that kind to measure: a SKIPPED verdict there would fail strict runs
   * without telling anything.
   */
  public RunSpec withoutSlo(Slo.Metric metric) {
    droppedSlos.add(metric);
    return this;
  }

  public RunSpec withoutReplicaCheck() {
    replicaCheck = false;
    return this;
  }

  public String simulation() {
    return simulation;
  }

  /** A check that turns the finished run into verdicts. */
  @FunctionalInterface
  public interface RunCheck {
    List<Verdict> verdicts(Run run) throws Exception;
  }
}
