package io.loadchaos.refcluster.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segments: a rotation starts a new file, a recovery replays from a segment on and deletes the older ones. */
class SegmentedLogTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void recoverReplaysFromTheGivenSegmentAndDeletesOlderOnes() throws Exception {
    try (SegmentedLog log = new SegmentedLog(dir, true, n -> {})) {
      assertThat(log.recover(0, (body, s, e) -> {})).isZero();
      log.append(b("a")).get();
      log.append(b("b")).get();
      assertThat(log.rotate()).isEqualTo(1);
      log.append(b("c")).get();
      assertThat(log.segments()).containsExactly(0L, 1L);
    }
    List<String> seen = new ArrayList<>();
    try (SegmentedLog log = new SegmentedLog(dir, true, n -> {})) {
      assertThat(log.recover(1, (body, s, e) -> seen.add(new String(body, StandardCharsets.UTF_8)))).isEqualTo(1);
      assertThat(seen).containsExactly("c");
      // segment 0 (covered) is gone; appends go to a new segment after the replayed one
      assertThat(log.segments()).containsExactly(1L, 2L);
      assertThat(log.currentSeq()).isEqualTo(2);
      log.append(b("d")).get();
      assertThat(log.deleteBefore(2)).isEqualTo(1);
      assertThat(log.segments()).containsExactly(2L);
    }
    seen.clear();
    try (SegmentedLog log = new SegmentedLog(dir, true, n -> {})) {
      assertThat(log.recover(0, (body, s, e) -> seen.add(new String(body, StandardCharsets.UTF_8)))).isEqualTo(1);
      assertThat(seen).containsExactly("d");
    }
  }
}
