package io.loadchaos.refcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  }
}
