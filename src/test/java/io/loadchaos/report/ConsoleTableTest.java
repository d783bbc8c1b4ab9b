package io.loadchaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.check.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleTableTest {
  private static final Verdict PASS = Verdict.pass("read-back lost", "0", "0", "");
  private static final Verdict SKIP = Verdict.skipped("replica consistency", "no node-local reads");

  @Test
  void summaryAlwaysCountsSkippedNextToPassed() {
    assertThat(ConsoleTable.render(List.of(PASS, SKIP))).endsWith("NO VERDICT FAILED: 1 PASSED, 1 SKIPPED");
  }

  @Test
  void failuresAreCountedByKindBeforeThePassedAndSkipped() {
    List<Verdict> vs = List.of(PASS, SKIP, Verdict.fail("a", "1", "0", "x"), Verdict.unknown("b", "saw nothing"));
    assertThat(ConsoleTable.summary(vs)).isEqualTo("2 OF 4 VERDICTS FAILED (1 FAIL, 1 UNKNOWN): 1 PASSED, 1 SKIPPED");
  }

  @Test
  void strictTurnsSkippedIntoAFailThatSaysWhy() {
    Verdict strict = SKIP.strict();
    assertThat(strict.status()).isEqualTo(Verdict.Status.FAIL);
    assertThat(strict.passed()).isFalse();
    assertThat(strict.detail()).isEqualTo("skipped: no node-local reads");
    assertThat(PASS.strict()).isSameAs(PASS);
    assertThat(ConsoleTable.summary(List.of(PASS, strict))).startsWith("1 OF 2 VERDICTS FAILED (1 FAIL, 0 UNKNOWN)");
  }
}
