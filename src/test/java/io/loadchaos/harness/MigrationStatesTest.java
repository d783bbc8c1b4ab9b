package io.loadchaos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationStatesTest {
  private static final List<String> FULL = List.of("Stable", "MigratingSnapshot", "MigratingWAL", "AwaitingCutover", "Stable");

  @Test
  void polledSubsequenceThatAgreesWithTheHistoryPasses() {
    // MigratingSnapshot and AwaitingCutover were too short to be polled: missed, not reordered
    var j = MigrationStates.judge("7", List.of("Stable", "Stable", "MigratingWAL", "Stable"), FULL, true);
    assertThat(j.moved()).isTrue();
    assertThat(j.problem()).isNull();
    assertThat(j.describe()).contains("polled Stable -> MigratingWAL -> Stable").contains("history Stable -> MigratingSnapshot");
  }

  @Test
  void polledStatesOutOfOrderFail() {
    var j = MigrationStates.judge("7", List.of("Stable", "MigratingWAL", "MigratingSnapshot", "Stable"), FULL, true);
    assertThat(j.problem()).contains("polled states out of order (MigratingWAL -> MigratingSnapshot)");
  }

  @Test
  void aPolledStateTheHistoryLacksFails() {
    List<String> history = List.of("Stable", "MigratingSnapshot", "AwaitingCutover", "Stable");
    var j = MigrationStates.judge("7", List.of("Stable", "MigratingWAL", "Stable"), history, true);
    assertThat(j.problem()).contains("polling and history disagree").contains("polled MigratingWAL after Stable");
    assertThat(j.problem()).contains("history is not Stable then whole cycles");
  }

  @Test
  void historyInOrderButPollingSawAnotherOrderFails() {
    var j = MigrationStates.judge("7", List.of("AwaitingCutover", "MigratingWAL"), FULL, true);
    assertThat(j.problem()).contains("out of order").contains("disagree");
  }

  @Test
  void aStartedMoveNeverSeenLeavingStableFails() {
    var j = MigrationStates.judge("7", List.of("Stable", "Stable"), List.of("Stable"), true);
    assertThat(j.moved()).isTrue();
    assertThat(j.problem()).contains("neither its polling nor the listing's history saw the shard leave Stable");
  }

  @Test
  void aMoveOnlyTheHistorySawIsAcceptedAndSaysSo() {
    var j = MigrationStates.judge("7", List.of("Stable"), FULL, true);
    assertThat(j.problem()).isNull();
    assertThat(j.polledText()).isEqualTo("Stable");
  }

  @Test
  void pollingSawAMoveTheListingDoesNotKnow() {
    var j = MigrationStates.judge("7", List.of("Stable", "MigratingSnapshot", "Stable"), List.of("Stable"), false);
    assertThat(j.moved()).isTrue();
    assertThat(j.problem()).contains("disagree");
  }

  @Test
  void twoMovesInARowAreWholeCycles() {
    List<String> two = List.of("Stable", "MigratingSnapshot", "MigratingWAL", "AwaitingCutover", "Stable",
        "MigratingSnapshot", "MigratingWAL", "AwaitingCutover", "Stable");
    var j = MigrationStates.judge("7", List.of("Stable", "MigratingWAL", "Stable", "MigratingSnapshot", "Stable"), two, false);
    assertThat(j.problem()).isNull();
  }

  @Test
  void aShardThatNeverMovedIsNotJudged() {
    var j = MigrationStates.judge("7", List.of("Stable"), List.of("Stable"), false);
    assertThat(j.moved()).isFalse();
  }

  @Test
  void unknownStatesFail() {
    assertThat(MigrationStates.outOfOrder(List.of("Stable", "Cleaned"))).isEqualTo("unknown state Cleaned");
  }
}
