package io.loadchaos.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.chaos.FaultSpec.Action;
import io.loadchaos.config.RunConfig;
import io.loadchaos.history.FaultEvent;
import io.loadchaos.history.FaultEvent.Measure;
import io.loadchaos.history.History;
import io.loadchaos.target.ClusterHttp;
import io.loadchaos.target.ClusterTarget;
import io.loadchaos.target.LocalTarget;
import io.loadchaos.target.QueryApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault proofs and recovery measurements against a real local reference cluster (three child
 * JVMs with the fault proxy on every link): each fault is shown to have taken effect by the
 * harness's own observation, a fault that cannot be applied fails with its reason, and a node
 * control that does nothing is caught by the proof.
 */
class FaultProofTest {
  @TempDir static Path dir;
  static LocalTarget target;

  @BeforeAll
  static void startCluster() {
    RunConfig cfg = RunConfig.resolve(k -> null, e -> null, Map.of("nodes", "3", "replicationFactor", "3"));
    target = LocalTarget.start(cfg, dir.resolve("cluster"), "faultproof", true);
  }

  @AfterAll
  static void stopCluster() {
    if (target != null) target.close();
  }

  /** Runs the faults on a fresh engine until each has been healed and its recovery measured. */
  static List<FaultEvent> run(ClusterTarget t, FaultTimeline timeline) throws Exception {
    History history = new History();
    RecoveryProbe.Settings s = new RecoveryProbe.Settings("", "v3", Optional.of(QueryApi.SQL), "",
        Duration.ofSeconds(30), Duration.ofSeconds(30));
    try (ChaosEngine engine = new ChaosEngine(t, history, timeline, 7, "proofs", s)) {
      engine.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < deadline && (history.faults().size() < timeline.faults().size()
          || history.faults().stream().anyMatch(FaultEvent::active))) {
        Thread.sleep(100);
      }
      engine.healAll();
      engine.awaitRecoveries(engine.recoveryBound());
      return history.faults();
    }
  }

  static FaultTimeline one(Action action, String target, Duration duration, Map<String, String> params) {
    return FaultTimeline.builder().at(Duration.ofMillis(300)).fault("f", action, target, duration, params).build();
  }

  @Test
  void killIsProvenByItsPidsGoneAndTheNodeRecoveryIsMeasured() throws Exception {
    long pid = target.cluster().node("3").pid();
    FaultEvent e = run(target, one(Action.KILL, "node:3", Duration.ofSeconds(2), Map.of())).get(0);

    assertThat(e.ok()).as(e.detail()).isTrue();
    assertThat(e.proof()).contains("pids [" + pid + "]").contains(pid + " gone");
    assertThat(Files.exists(Path.of("/proc/" + pid))).as("the killed pid").isFalse();
    assertThat(target.cluster().node("3").pid()).isNotEqualTo(pid);
    assertThat(e.recovery()).singleElement().satisfies(r -> {
      assertThat(r.node()).isEqualTo("3");
      assertThat(r.serve().status()).as(r.serve().detail()).isEqualTo(Measure.Status.MEASURED);
      assertThat(r.serve().seconds()).isPositive();
      assertThat(r.serve().detail()).contains("node-local read on node 3");
      assertThat(r.catchUp().status()).as(r.catchUp().detail()).isEqualTo(Measure.Status.MEASURED);
      assertThat(r.catchUp().detail()).contains("marker").contains("hints pending");
      assertThat(r.healStartMicros()).isGreaterThanOrEqualTo(e.startMicros());
    });
  }

  @Test
  void pauseIsProvenByStateTAndNoAnswer() throws Exception {
    long pid = target.cluster().node("2").pid();
    String[] seen = {""};
    // the harness's proof aside, the test looks at the process itself while it is paused
    Thread observer = new Thread(() -> {
      try {
        Thread.sleep(1500);
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        seen[0] = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      } catch (Exception ex) {
        seen[0] = ex.toString();
      }
    });
    observer.start();
    FaultEvent e = run(target, one(Action.PAUSE, "node:2", Duration.ofSeconds(3), Map.of())).get(0);
    observer.join();

    assertThat(seen[0]).as("state of pid %s during the pause", pid).isEqualTo("T");
    assertThat(e.ok()).as(e.detail()).isTrue();
    assertThat(e.proof()).contains("pids [" + pid + "]").contains("stopped").contains("/health no answer within 1000 ms");
    assertThat(target.cluster().node("2").pid()).as("resumed, not restarted").isEqualTo(pid);
    assertThat(e.recovery()).singleElement().satisfies(r ->
        assertThat(r.serve().status()).as(r.serve().detail()).isEqualTo(Measure.Status.MEASURED));
  }

  @Test
  void latencyToxicIsProvenByAProbeThroughEachLink() throws Exception {
    FaultEvent e = run(target, one(Action.LATENCY, "node:1", Duration.ofSeconds(3),
        Map.of("latency", "300ms", "from", "peers"))).get(0);

    assertThat(e.ok()).as(e.detail()).isTrue();
    assertThat(e.proof()).contains("latency toxic on 2 links [2->1, 3->1] (proxy API)").contains("must take >= 240 ms")
        .contains("2->1 answered in").contains("3->1 answered in");
    for (String part : e.proof().split("answered in ")) {
      if (part.matches("^\\d+ ms.*")) assertThat(Long.parseLong(part.substring(0, part.indexOf(' ')))).isGreaterThanOrEqualTo(240);
    }
  }

  @Test
  void aFaultThatCannotBeAppliedFailsWithItsReason() throws Exception {
    FaultTimeline t = FaultTimeline.builder().at(Duration.ofMillis(200))
        .fault("kill-9", Action.KILL, "node:9", Duration.ofSeconds(1), Map.of())
        .fault("slow-link", Action.LATENCY, "1->9", Duration.ofSeconds(1), Map.of("latency", "100ms"))
        .build();
    List<FaultEvent> events = run(target, t);

    assertThat(events).hasSize(2).allSatisfy(e -> assertThat(e.ok()).isFalse());
    assertThat(events).anySatisfy(e -> assertThat(e.detail()).contains("injection failed").contains("no node '9'"));
    assertThat(events).anySatisfy(e -> assertThat(e.detail()).contains("no fault proxy on link 1->9"));
    assertThat(target.links().orElseThrow().problems()).isEmpty();
  }

  @Test
  void aKillThatDidNotHappenIsNotProven() throws Exception {
    FaultEvent e = run(new SignalsLost(target), one(Action.KILL, "node:2", Duration.ofSeconds(1), Map.of())).get(0);

    assertThat(e.ok()).isFalse();
    assertThat(e.detail()).contains("not proven").contains("still alive");
    assertThat(e.recovery()).as("an unproven fault gets no recovery measurement").isEmpty();
  }

  @Test
  void recoveryIsMeasuredFromTheRestartOfTheNode() throws Exception {
    long pid = target.cluster().node("3").pid();
    FaultEvent e = run(target, FaultTimeline.builder().at(Duration.ofMillis(300))
        .fault("restart-3", Action.RESTART, "node:3", null, Map.of()).build()).get(0);

    assertThat(e.ok()).as(e.detail()).isTrue();
    assertThat(e.proof()).contains("old pids [" + pid + "] gone").contains("answers /health HTTP 200");
    assertThat(e.recovery()).singleElement().satisfies(r -> {
      assertThat(r.serve().status()).as(r.serve().detail()).isEqualTo(Measure.Status.MEASURED);
      assertThat(r.catchUp().status()).as(r.catchUp().detail()).isEqualTo(Measure.Status.MEASURED);
    });
    // the probes went to a database of their own, read on node 3 itself
    long[] probes = {0};
    target.http().querySql(target.node("3").clientUrl(), "proofs_probe", "SELECT count(*) AS n FROM loadchaos_probe",
        Map.of("local", "true"), row -> probes[0] += row.path("n").asLong());
    assertThat(probes[0]).isPositive();
  }

  /** The local target, except that its kill and pause signals get lost: what the proofs are there to catch. */
  static final class SignalsLost implements ClusterTarget {
    private final LocalTarget t;

    SignalsLost(LocalTarget t) {
      this.t = t;
    }

    @Override
    public String kind() {
      return "local with lost signals";
    }

    @Override
    public List<Node> nodes() {
      return t.nodes();
    }

    @Override
    public ClusterHttp http() {
      return t.http();
    }

    @Override
    public boolean has(Capability c) {
      return t.has(c);
    }

    @Override
    public Optional<LinkProxies> links() {
      return t.links();
    }

    @Override
    public Optional<NodeControl> nodeControl() {
      return Optional.of(new NodeControl() {
        @Override
        public List<String> nodeIds() {
          return t.nodeIds();
        }

        @Override
        public void kill(String id) {}

        @Override
        public void terminate(String id) {}

        @Override
        public void pause(String id) {}

        @Override
        public void resume(String id) {}

        @Override
        public void start(String id, Duration healthyWithin) {}

        @Override
        public boolean isRunning(String id) {
          return t.isRunning(id);
        }

        @Override
        public boolean isPaused(String id) {
          return t.isPaused(id);
        }

        @Override
        public NodeProcess process(String id) {
          return t.process(id);
        }
      });
    }

    @Override
    public void close() {}
  }
}
