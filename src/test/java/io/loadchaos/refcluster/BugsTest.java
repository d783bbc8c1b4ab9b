package io.loadchaos.refcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BugsTest {

  @Test
  void parsesEveryDefectByName() {
    Bugs b = Bugs.parse(List.of("ack-without-write=0.5", "no-replication", "no-fsync", "drop-hints", "move-skip-catchup",
        "move-early-cleanup", "quorum-one", "no-pruning", "prune-off-by-one", "prune-wrong-partition", "partial-results",
        "duplicate-node-ok"));
    assertThat(b.ackWithoutWrite()).isEqualTo(0.5);
    assertThat(List.of(b.noReplication(), b.noFsync(), b.dropHints(), b.moveSkipCatchup(), b.moveEarlyCleanup(), b.quorumOne(),
        b.noPruning(), b.pruneOffByOne(), b.pruneWrongPartition(), b.partialResults(), b.duplicateNodeOk())).containsOnly(true);
    assertThat(b.waitAllOwners()).isFalse();
    assertThat(Bugs.NONE).isEqualTo(Bugs.parse(List.of()));
  }

  @Test
  void parsesTheExactnessDefectsWithTheirValues() {
    Bugs b = Bugs.parse(List.of("shuffle-values", "stale-overwrite", "phantom-write=0.25", "merge-duplicates", "wrong-aggregate",
        "lost-on-restart=7", "slow-start=12"));
    assertThat(List.of(b.shuffleValues(), b.staleOverwrite(), b.mergeDuplicates(), b.wrongAggregate())).containsOnly(true);
    assertThat(b.phantomWrite()).isEqualTo(0.25);
    assertThat(b.lostOnRestart()).isEqualTo(7);
    assertThat(b.slowStartSeconds()).isEqualTo(12);
    Bugs defaults = Bugs.parse(List.of("phantom-write", "lost-on-restart", "slow-start"));
    assertThat(defaults.slowStartSeconds()).isEqualTo(40);
    assertThat(defaults.phantomWrite()).isEqualTo(0.05);
    assertThat(defaults.lostOnRestart()).isEqualTo(50);
    assertThat(List.of(Bugs.NONE.shuffleValues(), Bugs.NONE.staleOverwrite(), Bugs.NONE.mergeDuplicates(), Bugs.NONE.wrongAggregate()))
        .containsOnly(false);
    assertThat(Bugs.NONE.lostOnRestart()).isZero();
    assertThat(Bugs.NONE.slowStartSeconds()).isZero();
  }

  @Test
  void phantomWriteRefusesAStableShareOfBodiesAndAlwaysTheSameOnes() {
    Bugs b = Bugs.parse(List.of("phantom-write=0.05"));
    int refused = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      byte[] body = ("cpu,host=h" + i + " v=" + (i * 7) + " " + (1_767_225_600_000_000_000L + i) + "\n").getBytes(StandardCharsets.UTF_8);
      boolean first = b.phantomWrite(body);
      assertThat(b.phantomWrite(body.clone())).as("a retry of the same body").isEqualTo(first);
      if (first) {
        refused++;
      }
    }
    assertThat(refused).as("refused of %d bodies at P=0.05", n).isBetween(800, 1200);
    assertThat(Bugs.parse(List.of("phantom-write=1")).phantomWrite(new byte[] {1, 2, 3})).isTrue();
    assertThat(Bugs.NONE.phantomWrite(new byte[] {1, 2, 3})).isFalse();
  }

  @Test
  void quorumDefectsChangeHowManyOwnersAWriteWaitsFor() {
    assertThat(Bugs.NONE.writeQuorum(3, 2)).isEqualTo(2);
    assertThat(Bugs.parse(List.of("quorum-one")).writeQuorum(3, 2)).isEqualTo(1);
    assertThat(Bugs.parse(List.of("wait-all-owners")).writeQuorum(3, 2)).isEqualTo(3);
  }

  @Test
  void badSpecsNameWhatIsWrong() {
    assertThatThrownBy(() -> Bugs.parse(List.of("no-such-bug"))).hasMessageContaining("unknown --bug 'no-such-bug'")
        .hasMessageContaining("quorum-one");
    assertThatThrownBy(() -> Bugs.parse(List.of("ack-without-write=2"))).hasMessageContaining("(0,1]");
    assertThatThrownBy(() -> Bugs.parse(List.of("no-pruning=1"))).hasMessageContaining("takes no value");
    assertThatThrownBy(() -> Bugs.parse(List.of("quorum-one", "wait-all-owners"))).hasMessageContaining("contradict");
    assertThatThrownBy(() -> Bugs.parse(List.of("phantom-write=0"))).hasMessageContaining("phantom-write=P").hasMessageContaining("(0,1]");
    assertThatThrownBy(() -> Bugs.parse(List.of("phantom-write=x"))).hasMessageContaining("must be a number");
    assertThatThrownBy(() -> Bugs.parse(List.of("lost-on-restart=0"))).hasMessageContaining("lost-on-restart=N")
        .hasMessageContaining(">= 1");
    assertThatThrownBy(() -> Bugs.parse(List.of("lost-on-restart=1.5"))).hasMessageContaining("whole number");
    assertThatThrownBy(() -> Bugs.parse(List.of("shuffle-values=1"))).hasMessageContaining("takes no value");
    assertThatThrownBy(() -> Bugs.parse(List.of("shuffle"))).hasMessageContaining("shuffle-values")
        .hasMessageContaining("lost-on-restart=N");
  }
}
