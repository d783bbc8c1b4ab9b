package io.loadchaos.refcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.refcluster.lp.LineProtocolParser;
import io.loadchaos.refcluster.lp.ParseResult;
import io.loadchaos.refcluster.lp.PointBatch;
import io.loadchaos.refcluster.lp.Precision;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlowWriteTest {
  private static final long T0 = 1_767_225_600_000_000_000L;

  private static byte[] batch(int lines) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      sb.append("cpu,host=h").append(i % 50).append(",region=r").append(i % 5).append(" usage=").append(i * 0.5)
          .append(",procs=").append(i).append("i ").append(T0 + i).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsesTheFactorAndRejectsBadOnesNamingTheDefect() {
    assertThat(Bugs.NONE.slowWrite()).isEqualTo(1.0);
    assertThat(Bugs.parse(List.of("slow-write=1.3")).slowWrite()).isEqualTo(1.3);
    assertThat(Bugs.parse(List.of("slow-write=3")).slowWrite()).isEqualTo(3.0);
    assertThatThrownBy(() -> Bugs.parse(List.of("slow-write"))).hasMessageContaining("slow-write=F needs a factor F > 1");
    assertThatThrownBy(() -> Bugs.parse(List.of("slow-write=1"))).hasMessageContaining("slow-write=F: F must be > 1");
    assertThatThrownBy(() -> Bugs.parse(List.of("slow-write=0.5"))).hasMessageContaining("F must be > 1");
    assertThatThrownBy(() -> Bugs.parse(List.of("slow-write=fast"))).hasMessageContaining("F must be a number > 1").hasMessageContaining("'fast'");
    assertThatThrownBy(() -> Bugs.parse(List.of("slow-write=NaN"))).hasMessageContaining("F must be > 1");
    assertThatThrownBy(() -> Bugs.parse(List.of("slow-write=1000"))).hasMessageContaining("<= 100");
  }

  @Test
  void theParseResultIsTheSameWhateverTheFactor() {
    byte[] body = batch(200);
    ParseResult plain = LineProtocolParser.parse(body, Precision.NANOSECOND, 0);
    ParseResult slow = SlowWrite.parse(body, Precision.NANOSECOND, 0, 3);
    assertThat(PointBatch.encode(slow.points())).isEqualTo(PointBatch.encode(plain.points())); // Point holds arrays
    assertThat(slow.errors()).isEqualTo(plain.errors());
  }

  @Test
  void aFractionalPassCoversWholeLines() {
    byte[] body = batch(100);
    int len = SlowWrite.prefixLength(body, 0.3);
    assertThat(body[len - 1]).isEqualTo((byte) '\n');
    assertThat(LineProtocolParser.parse(body, 0, len, Precision.NANOSECOND, 0).points()).hasSizeBetween(29, 32);
    assertThat(SlowWrite.prefixLength(body, 1.0)).isEqualTo(body.length);
  }

  /** The same batches through the write path's parse at F=1 and F=3, side by side: CPU of this thread. */
  @Test
  void theWritePathDoesMoreRealWorkUnderTheDefect() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    byte[] body = batch(100);
    long[] cpu = new long[2];
    double[] factors = {1.0, 3.0};
    for (int round = 0; round < 3; round++) { // round 0 warms both paths up
      for (int k = 0; k < 2; k++) {
        long c0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < 4; i++) {
          SlowWrite.parse(body, Precision.NANOSECOND, 0, factors[k]);
        }
        if (round > 0) {
          cpu[k] += mx.getCurrentThreadCpuTime() - c0;
        }
      }
    }
    assertThat((double) cpu[1] / cpu[0]).as("thread CPU of slow-write=3 over clean (ns %s)", List.of(cpu[1], cpu[0]))
        .isGreaterThan(1.5);
  }
}
