package io.loadchaos.refcluster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchBatchTest {
  @Test
  void precomputedBatchBytesEqualTheFormattedText() {
    assertThat(new String(BenchCommand.batchBytes(0, 5000, 1_700_000_000_000_000_000L), StandardCharsets.UTF_8))
        .isEqualTo(BenchCommand.batch(0, 5000, 1_700_000_000_000_000_000L));
    assertThat(new String(BenchCommand.batchBytes(123_457, 3000, 999_999_999_999_000_000L), StandardCharsets.UTF_8))
        .isEqualTo(BenchCommand.batch(123_457, 3000, 999_999_999_999_000_000L));
  }
}
