package io.loadchaos.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real 3-member etcd ensemble (Debian's etcd-server 3.4, from scripts/ensure-etcd.sh) and the
 * catalog client on it: leader, reads across members, CAS, and the faults the catalog must survive.
 * Without etcd on PATH every test fails, saying to run that script.
 */
@Timeout(120)
class EtcdEnsembleTest {
  private static final Duration CALL = Duration.ofSeconds(3);

  @TempDir
  Path root;

  private EtcdEnsemble start() {
    return EtcdEnsemble.builder().withMembers(3).withDataRoot(root).withLabel("it-" + Long.toHexString(System.nanoTime())).start();
  }

  @Test
  void threeMembersStartUnderOneLeaderAndAWriteIsReadFromAnotherMember() {
    try (EtcdEnsemble etcd = start();
        EtcdCatalogClient first = EtcdCatalogClient.connect(List.of(etcd.member(0).clientUrl()), CALL);
        EtcdCatalogClient third = EtcdCatalogClient.connect(List.of(etcd.member(2).clientUrl()), CALL)) {
      assertThat(etcd.endpoints()).hasSize(3).doesNotHaveDuplicates();
      assertThat(etcd.members()).contains(etcd.leader());
      long rev = first.put("/catalog/db/a", "v1");
      assertThat(third.get("/catalog/db/a")).contains(new EtcdCatalogClient.Versioned("v1", rev));
      assertThat(third.get("/catalog/db/none")).isEmpty();
    }
  }

  @Test
  void ofTwoCompareAndSetsOnOneRevisionExactlyOneWins() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (EtcdEnsemble etcd = start();
        EtcdCatalogClient a = EtcdCatalogClient.connect(List.of(etcd.member(0).clientUrl()), CALL);
        EtcdCatalogClient b = EtcdCatalogClient.connect(List.of(etcd.member(1).clientUrl()), CALL)) {
      a.put("/catalog/owner", "nobody");
      for (int round = 0; round < 10; round++) {
        long rev = a.get("/catalog/owner").orElseThrow().modRevision();
        CountDownLatch go = new CountDownLatch(1);
        Callable<Boolean> casA = () -> { go.await(); return a.compareAndSet("/catalog/owner", rev, "a" + tag(rev)); };
        Callable<Boolean> casB = () -> { go.await(); return b.compareAndSet("/catalog/owner", rev, "b" + tag(rev)); };
        Future<Boolean> fa = pool.submit(casA);
        Future<Boolean> fb = pool.submit(casB);
        go.countDown();
        boolean wonA = fa.get();
        boolean wonB = fb.get();
        assertThat(wonA ^ wonB).as("round %d: a won %s, b won %s", round, wonA, wonB).isTrue();
        assertThat(b.get("/catalog/owner").orElseThrow().value()).isEqualTo((wonA ? "a" : "b") + tag(rev));
      }
      assertThat(a.compareAndSet("/catalog/new", 0, "created")).as("revision 0: the key must not exist").isTrue();
      assertThat(a.compareAndSet("/catalog/new", 0, "again")).isFalse();
    } finally {
      pool.shutdownNow();
    }
  }

  private static String tag(long rev) {
    return "@" + rev;
  }

  @Test
  void killingTheLeaderElectsANewOneAndTheMajorityTakesWrites() {
    try (EtcdEnsemble etcd = start()) {
      EtcdMember old = etcd.leader();
      old.kill();
      assertThat(old.isRunning()).isFalse();
      EtcdMember now = etcd.leader();
      assertThat(now).isNotEqualTo(old);
      List<String> survivors = etcd.members().stream().filter(m -> m != old).map(EtcdMember::clientUrl).toList();
      try (EtcdCatalogClient c = EtcdCatalogClient.connect(survivors, CALL)) {
        c.put("/catalog/after-kill", "ok");
        assertThat(c.get("/catalog/after-kill").orElseThrow().value()).isEqualTo("ok");
      }
      // restart: same data dir and ports; the member catches up on what it missed
      old.restart();
      try (EtcdCatalogClient c = EtcdCatalogClient.connect(List.of(old.clientUrl()), CALL)) {
        assertThat(c.get("/catalog/after-kill").orElseThrow().value()).isEqualTo("ok");
      }
    }
  }

  @Test
  void withTwoOfThreePausedWritesFailWithinTheTimeoutAndSucceedAfterResume() {
    try (EtcdEnsemble etcd = start();
        EtcdCatalogClient c = EtcdCatalogClient.connect(List.of(etcd.member(0).clientUrl()), Duration.ofSeconds(2))) {
      etcd.member(1).pause();
      etcd.member(2).pause();
      assertThat(etcd.member(1).isPaused()).isTrue();
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> c.put("/catalog/no-quorum", "x")).isInstanceOf(EtcdUnavailableException.class)
          .hasMessageContaining("put /catalog/no-quorum");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      etcd.member(1).resume();
      etcd.member(2).resume();
      assertThat(putWithin(c, "/catalog/quorum-back", "y", Duration.ofSeconds(30))).isTrue();
      assertThat(c.get("/catalog/quorum-back").orElseThrow().value()).isEqualTo("y");
    }
  }

  /** True once a put succeeds: right after resume the members may still be electing a leader. */
  private static boolean putWithin(EtcdCatalogClient c, String key, String value, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        c.put(key, value);
        return true;
      } catch (EtcdUnavailableException e) {
        // not yet
      }
    }
    return false;
  }

  @Test
  void closeStopsEveryMemberAlsoAPausedOne() {
    EtcdEnsemble etcd = start();
    List<ProcessHandle> handles = new ArrayList<>();
    for (EtcdMember m : etcd.members()) handles.add(m.process().orElseThrow());
    etcd.member(1).pause();
    etcd.member(2).kill();
    etcd.close();
    etcd.close();
    assertThat(handles).noneMatch(ProcessHandle::isAlive);
    String dataRoot = root.toString();
    assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(dataRoot)))
        .as("processes naming the data root " + dataRoot).isEmpty();
    assertThat(root.resolve("etcd-0")).isDirectory();
    assertThat(root.resolve("etcd-0.log")).isNotEmptyFile();
  }

  @Test
  void withoutEtcdTheErrorSaysHowToInstallIt() {
    assertThatThrownBy(() -> EtcdEnsemble.builder().withBinary("etcd-not-installed-here").withDataRoot(root).start())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("scripts/ensure-etcd.sh");
  }
}
