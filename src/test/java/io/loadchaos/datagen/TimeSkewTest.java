package io.loadchaos.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TimeSkewTest {

  @Test
  void everyShiftMovesPointsByTheConfiguredNumberOfIntervalsInTheConfiguredShares() {
    DatasetSpec spec = DatasetSpec.builtin("edge-cases");
    TimeSpec t = spec.time();
    var gen = TestData.gen(spec, 21, 4, 1000);
    long interval = gen.intervalUnits();
    long late = t.maxLateness().toNanos() / interval;
    long future = t.maxAhead().toNanos() / interval;
    long ooo = t.outOfOrderWindow().toNanos() / interval;
    Map<TimeShift, Long> counts = new EnumMap<>(TimeShift.class);
    long[] minWithin = {Long.MAX_VALUE};
    long[] maxWithin = {Long.MIN_VALUE};
    for (int w = 0; w < 4; w++) {
      long clock = gen.clockOffsetIntervals(w);
      assertThat(Math.abs(clock)).isLessThanOrEqualTo(2);
      for (long s = 0; s < gen.batchCount(w); s++) {
        gen.forEachPoint(w, s, p -> {
          long round = p.globalIndex() / spec.pointsPerRound();
          long nominal = gen.startUnits() + round * interval;
          long delta = p.timestampUnits() - nominal;
          long d = Math.floorDiv(delta, interval) - clock;
          long inside = Math.floorMod(delta, interval);
          minWithin[0] = Math.min(minWithin[0], inside);
          maxWithin[0] = Math.max(maxWithin[0], inside);
          counts.merge(p.shift(), 1L, Long::sum);
          switch (p.shift()) {
            case IN_ORDER -> assertThat(d).isZero();
            case LATE -> assertThat(d).isBetween(-late, -1L);
            case FUTURE -> assertThat(d).isBetween(1L, future);
            case OUT_OF_ORDER -> assertThat(d).isBetween(-ooo, ooo).isNotZero();
          }
        });
      }
    }
    double n = spec.points().getAsLong();
    assertThat(counts.get(TimeShift.OUT_OF_ORDER) / n).isCloseTo(0.10, within(0.01));
    assertThat(counts.get(TimeShift.LATE) / n).isCloseTo(0.05, within(0.01));
    assertThat(counts.get(TimeShift.FUTURE) / n).isCloseTo(0.02, within(0.005));
    // jitter of +/-200ms around the middle of the 1s interval
    assertThat(maxWithin[0] - minWithin[0]).isGreaterThan(300_000_000L);
    assertThat(minWithin[0]).isGreaterThan(250_000_000L);
    assertThat(maxWithin[0]).isLessThan(750_000_000L);
  }

  @Test
  void statsShowTheSkewsAndTheTimeRange() {
    DatasetSpec spec = DatasetSpec.builtin("iot").withPoints(300_000);
    var gen = TestData.gen(spec, 1, 2, 5000);
    var stats = new DatagenStats(gen);
    for (int w = 0; w < 2; w++) {
      for (long s = 0; s < gen.batchCount(w); s++) {
        gen.forEachPoint(w, s, stats);
      }
    }
    assertThat(stats.points()).isEqualTo(300_000);
    assertThat(stats.count(TimeShift.LATE)).isPositive();
    assertThat(stats.count(TimeShift.FUTURE)).isPositive();
    assertThat(stats.measuredOutOfOrder()).isGreaterThan(stats.count(TimeShift.LATE));
    assertThat(stats.minTimestampNanos()).isLessThan(gen.startUnits() * 1_000_000L);
    var text = new StringWriter();
    stats.print(new PrintWriter(text), "abc");
    assertThat(text.toString()).contains("out of order", "late", "future", "time range", "series          100000", "sha256          abc");
  }

  @Test
  void oneTimestampRunPutsEveryPointAtOneTimestampOnDistinctSeries() {
    DatasetSpec spec = DatasetSpec.builtin("same-timestamp");
    var gen = TestData.gen(spec, 1, 3, 4000);
    Set<Long> stamps = new HashSet<>();
    Set<String> series = new HashSet<>();
    for (int w = 0; w < 3; w++) {
      for (long s = 0; s < gen.batchCount(w); s++) {
        gen.forEachPoint(w, s, p -> {
          stamps.add(p.timestampNanos());
          series.add(p.seriesKey());
        });
      }
    }
    assertThat(stamps).containsExactly(Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L);
    assertThat(series).hasSize(100_000);
  }

  @Test
  void oneTimestampPerBatchGivesEachBatchItsOwnTimestamp() {
    DatasetSpec devops = DatasetSpec.builtin("devops").withPoints(9_000);
    TimeSpec t = devops.time();
    TimeSpec perBatch = new TimeSpec(t.startAt(), t.startFromNow(), t.interval(), null, Duration.ZERO, 0, null, 0, null,
        0, null, Duration.ofSeconds(30), TimeSpec.OneTimestamp.BATCH);
    DatasetSpec spec = TestData.withTime(devops, perBatch);
    var gen = TestData.gen(spec, 1, 2, 90);
    Set<Long> batchStamps = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (int w = 0; w < 2; w++) {
      for (long s = 0; s < gen.batchCount(w); s++) {
        Set<Long> inBatch = new HashSet<>();
        gen.forEachPoint(w, s, p -> {
          inBatch.add(p.timestampNanos());
          assertThat(keys.add(p.table() + "|" + p.seriesKey() + "|" + p.timestampNanos())).isTrue();
        });
        assertThat(inBatch).hasSize(1);
        batchStamps.addAll(inBatch);
      }
    }
    assertThat(batchStamps).hasSize(100);
    assertThatThrownBy(() -> TestData.gen(spec, 1, 2, 500))
        .isInstanceOf(DatasetSpecException.class)
        .hasMessageContaining("one_timestamp: batch")
        .hasMessageContaining("batch size <= 100");
  }

  @Test
  void spanSpreadsABoundedVolumeOverTheTimeRange() {
    DatasetSpec spec = DatasetSpec.builtin("high-cardinality");
    var gen = TestData.gen(spec, 1, 1, 5000);
    long rounds = spec.points().getAsLong() / spec.pointsPerRound();
    assertThat(rounds).isEqualTo(5);
    assertThat(gen.intervalUnits()).isEqualTo(Duration.ofHours(6).toNanos() / 5);
    var last = TestData.points(gen, 0, gen.batchCount(0) - 1);
    var first = TestData.points(gen, 0, 0);
    assertThat(last.get(last.size() - 1).nanos() - first.get(0).nanos()).isEqualTo(4 * gen.intervalUnits());
  }

  @Test
  void tooManyDistinctTimestampsForTheIntervalIsRejectedWithTheRemedy() {
    DatasetSpec iot = DatasetSpec.builtin("iot");
    String yaml = """
        name: tight
        precision: s
        time: {start: now-1h, interval: 10s, late: {ratio: 0.1, max_lateness: 1h}}
        tables:
          - name: t
            tags: [{name: d, cardinality: 1000, distribution: uniform}]
            fields: [{name: v, type: float}]
        """;
    DatasetSpec spec = DatasetSpec.parse(yaml, "tight.yaml");
    assertThatThrownBy(() -> TestData.gen(spec, 1, 1, 100))
        .isInstanceOf(DatasetSpecException.class)
        .hasMessageContaining("table 't'")
        .hasMessageContaining("finer precision");
    assertThat(iot.points()).isPresent();
  }
}
