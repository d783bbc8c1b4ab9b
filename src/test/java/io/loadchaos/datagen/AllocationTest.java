package io.loadchaos.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Writing into a reused buffer allocates (almost) nothing per line, whatever the series count. */
class AllocationTest {

  @ParameterizedTest
  @ValueSource(longs = {1_000L, 10_000_000L})
  void allocationPerLineStaysNearZeroFromAThousandToTenMillionSeries(long series) {
    var table = TableSpec.of("wide",
        List.of(TagSpec.sequential("group", 1000).withPrefix("g"), TagSpec.sequential("member", series / 1000).withPrefix("m")),
        List.of(FieldSpec.FloatField.random("value", 0, 100, 2), FieldSpec.IntegerField.random("n", 0, 1000)));
    var spec = DatasetSpec.of("wide", "ns", TimeSpec.inOrder(Duration.ofHours(-1), Duration.ofSeconds(10)), null, List.of(table));
    var gen = TestData.gen(spec, 1, 1, 5000);
    var buffer = new BatchBuffer(1 << 20);
    for (long s = 0; s < 20; s++) {
      gen.writeBatch(0, s, buffer); // let the buffer reach its size
    }
    var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(tid);
    long lines = 0;
    for (long s = 1000; s < 1100; s++) {
      lines += gen.writeBatch(0, s, buffer);
    }
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    assertThat(lines).isEqualTo(500_000);
    assertThat((double) allocated / lines).isLessThan(1.0);
  }
}
