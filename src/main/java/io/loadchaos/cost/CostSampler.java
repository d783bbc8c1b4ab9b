package io.loadchaos.cost;

import io.loadchaos.target.ClusterTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Samples the CPU time and memory of every node about once a second on a background thread while
 * the load runs, so the cost of a point can be computed per phase ({@link CostReport}).
 * Each node sticks to the first source that shows it (counters of two sources do not mix). A
 * node's processes at its first sample are the baseline; a process that appears later as part
 * of a node already seen (a restarted node) counts from zero, since its whole life is inside the
 * run; a node first seen later (scale-out) starts at its first sample. What a process used
 * between its last sample and its death (under a second) is not seen.
 */
public final class CostSampler implements AutoCloseable {
  /** CPU seconds all nodes used since the previous tick, and each node's RSS now. */
  public record Tick(long micros, double cpuSeconds, Map<String, Double> rssMiB) {}

  private final List<UsageSource> sources;
  private final Supplier<List<String>> nodeIds;
  private final LongSupplier clockMicros;
  private final Duration interval;
  private final List<Tick> ticks = new ArrayList<>();
  private final Map<String, Integer> sourceOf = new HashMap<>();
  private final Map<String, Map<String, Double>> lastCpu = new HashMap<>();
  // the machine's load when the load started and ended: how shared the machine was while measuring
  private double[] loadAtStart;
  private double[] loadAtEnd;
  private final Map<String, Double> peakRss = new TreeMap<>();
  private final Map<String, String> problems = new TreeMap<>();
  private ScheduledExecutorService thread;

  public CostSampler(List<UsageSource> sources, Supplier<List<String>> nodeIds, LongSupplier clockMicros, Duration interval) {
    this.sources = List.copyOf(sources);
    this.nodeIds = nodeIds;
    this.clockMicros = clockMicros;
    this.interval = interval;
  }

  /**
   * The sampler of a run's target: /proc of the node processes when the target started them on
   * this host (local nodes, cluster-file {@code start:} nodes, containers of a local Docker), then
   * each node's /metrics ({@code process_cpu_seconds_total}) for what /proc cannot show.
   */
  public static CostSampler forTarget(ClusterTarget target, LongSupplier clockMicros) {
    List<UsageSource> sources = new ArrayList<>();
    target.nodeControl().filter(c -> ProcSource.available()).ifPresent(c -> sources.add(ProcSource.of(c)));
    sources.add(new MetricsSource(target.http(), id -> target.node(id).clientUrl()));
    return new CostSampler(sources, () -> target.nodes().stream().map(ClusterTarget.Node::id).toList(), clockMicros,
        Duration.ofSeconds(1));
  }

  /** Takes the baseline sample now and then one every interval. */
  public synchronized void start() {
    if (thread != null) return;
    if (loadAtStart == null) loadAtStart = loadAverage();
    sample();
    thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "loadchaos-cost-sampler");
      t.setDaemon(true);
      return t;
    });
    long ms = interval.toMillis();
    thread.scheduleAtFixedRate(this::sample, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Takes a last sample and stops. Idempotent; a sampler never started stays empty. */
  public void stop() {
    ScheduledExecutorService t;
    synchronized (this) {
      t = thread;
      thread = null;
    }
    if (t == null) return;
    synchronized (this) {
      if (loadAtEnd == null) loadAtEnd = loadAverage();
    }
    t.shutdownNow();
    try {
      t.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sample();
  }

  @Override
  public void close() {
    stop();
  }

  /** One sample of every node; public for tests that drive the clock themselves. */
  public synchronized void sample() {
    long now = clockMicros.getAsLong();
    double cpu = 0;
    Map<String, Double> rss = new TreeMap<>();
    for (String id : nodeIds.get()) {
      List<ProcessUsage> seen = read(id);
      if (seen.isEmpty()) continue;
      boolean known = lastCpu.containsKey(id);
      Map<String, Double> last = lastCpu.computeIfAbsent(id, k -> new HashMap<>());
      Map<String, Double> next = new HashMap<>();
      double nodeRss = 0;
      double nodeHwm = 0;
      for (ProcessUsage u : seen) {
        Double before = last.get(u.key());
        // a node's first sight is its baseline; a new incarnation of a known node counts from zero;
        // a counter that went down restarted
        double used = before == null ? (known ? u.cpuSeconds() : 0) : u.cpuSeconds() >= before ? u.cpuSeconds() - before : u.cpuSeconds();
        cpu += used;
        next.put(u.key(), u.cpuSeconds());
        if (!Double.isNaN(u.rssMiB())) nodeRss += u.rssMiB();
        nodeHwm += Double.isNaN(u.hwmMiB()) ? Double.isNaN(u.rssMiB()) ? 0 : u.rssMiB() : u.hwmMiB();
      }
      lastCpu.put(id, next);
      rss.put(id, nodeRss);
      double peak = Math.max(nodeRss, nodeHwm);
      peakRss.merge(id, peak, Math::max);
    }
    ticks.add(new Tick(now, cpu, rss));
  }

  private List<ProcessUsage> read(String id) {
    Integer fixed = sourceOf.get(id);
    for (int i = fixed == null ? 0 : fixed; i < (fixed == null ? sources.size() : fixed + 1); i++) {
      UsageSource s = sources.get(i);
      try {
        List<ProcessUsage> seen = s.read(id);
        if (!seen.isEmpty()) {
          sourceOf.put(id, i);
          problems.remove(id);
          return seen;
        }
        if (fixed == null) problems.put(id, s.name() + ": no live process of node " + id + " visible");
      } catch (Exception e) {
        if (fixed == null) problems.put(id, s.name() + ": " + e.getMessage());
      }
    }
    return List.of();
  }

  /**
   * CPU seconds every visible node has used since sampling began, read fresh now; empty while no
   * node's usage is visible. The capacity search takes it at both ends of each step.
   */
  public synchronized OptionalDouble cpuSecondsSoFar() {
    sample();
    if (sourceOf.isEmpty()) return OptionalDouble.empty();
    return OptionalDouble.of(ticks.stream().mapToDouble(Tick::cpuSeconds).sum());
  }

  /**
   * The machine the cost was measured on: {@code cpus} and /proc/loadavg (1, 5, 15 minutes) when
   * the load started ({@code loadAverageAtStart}) and ended ({@code loadAverageAtEnd}); a figure
   * that could not be read is left out.
   */
  public synchronized Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpus", Runtime.getRuntime().availableProcessors());
    if (loadAtStart != null) m.put("loadAverageAtStart", List.of(loadAtStart[0], loadAtStart[1], loadAtStart[2]));
    if (loadAtEnd != null) m.put("loadAverageAtEnd", List.of(loadAtEnd[0], loadAtEnd[1], loadAtEnd[2]));
    return m;
  }

  private static double[] loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  public synchronized List<Tick> ticks() {
    return List.copyOf(ticks);
  }

  /** Per node: the largest resident set seen (the kernel's high-water mark VmHWM where shown). */
  public synchronized Map<String, Double> peakRssMiB() {
    return new LinkedHashMap<>(peakRss);
  }

  /** The sources that showed at least one node, e.g. {@code /proc}. */
  public synchronized String sourceNames() {
    Set<String> names = new LinkedHashSet<>();
    sourceOf.values().stream().sorted().forEach(i -> names.add(sources.get(i).name()));
    return String.join("+", names);
  }

  public synchronized int nodesSeen() {
    return sourceOf.size();
  }

  /** Why nodes were never seen, per node (empty when every node was). */
  public synchronized Map<String, String> problems() {
    Map<String, String> out = new LinkedHashMap<>();
    problems.forEach((id, why) -> {
      if (!sourceOf.containsKey(id)) out.put(id, why);
    });
    return out;
  }

  public Duration interval() {
    return interval;
  }
}
