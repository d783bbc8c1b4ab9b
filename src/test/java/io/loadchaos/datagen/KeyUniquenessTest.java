package io.loadchaos.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyUniquenessTest {

  @ParameterizedTest
  @ValueSource(strings = {"devops", "iot", "high-cardinality", "edge-cases", "same-timestamp"})
  void everyTableSeriesTimestampKeyIsWrittenOnceAcrossTheRun(String name) {
    DatasetSpec builtin = DatasetSpec.builtin(name);
    DatasetSpec spec = builtin.withPoints(Math.min(builtin.points().getAsLong(), 150_000));
    var gen = TestData.gen(spec, 11, 4, 2000);
    Set<String> keys = new HashSet<>();
    long[] points = {0};
    for (int w = 0; w < 4; w++) {
      for (long s = 0; s < gen.batchCount(w); s++) {
        gen.forEachPoint(w, s, p -> {
          points[0]++;
          assertThat(p.timestampNanos() % spec.precisionNanos()).isZero();
          assertThat(p.timestampNanos()).isBetween(gen.timeLowerBoundNanos(), gen.timeUpperBoundNanos());
          String key = p.table() + '\u0000' + p.seriesKey() + '\u0000' + p.timestampNanos();
          if (!keys.add(key)) {
            throw new AssertionError("key written twice: " + key.replace('\u0000', '|'));
          }
        });
      }
    }
    assertThat(points[0]).isEqualTo(spec.points().getAsLong());
  }

  @ParameterizedTest
  @ValueSource(strings = {"iot", "edge-cases"})
  void keysStayUniqueWhenWritersHaveClockOffsets(String name) {
    DatasetSpec spec = DatasetSpec.builtin(name).withPoints(100_000);
    var gen = TestData.gen(spec, 3, 16, 500);
    Set<Long> offsets = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (int w = 0; w < 16; w++) {
      offsets.add(gen.clockOffsetIntervals(w));
      for (long s = 0; s < gen.batchCount(w); s++) {
        gen.forEachPoint(w, s, p -> {
          String key = p.table() + '\u0000' + p.seriesKey() + '\u0000' + p.timestampNanos();
          if (!keys.add(key)) {
            throw new AssertionError("key written twice: " + key.replace('\u0000', '|'));
          }
        });
      }
    }
    assertThat(offsets).hasSizeGreaterThan(1);
    assertThat(keys).hasSize(100_000);
  }
}
