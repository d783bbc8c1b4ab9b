package io.loadchaos.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverwriteTest {
  private static DatasetSpec spec(String overwrite) {
    return DatasetSpec.parse("""
        name: overwrites
        precision: us
        time: {start: now-1h, interval: 1s, late: {ratio: 0.05, max_lateness: 1m}, clock_offset: {max: 2s}}
        volume: {points: 60000}
        tables:
          - name: a
            overwrite: %s
            tags: [{name: host, cardinality: 50}, {name: k, cardinality: 10, distribution: zipf}]
            fields: [{name: v, type: float, decimals: 3}, {name: n, type: integer, min: 0, max: 1000000000}]
          - name: b
            tags: [{name: host, cardinality: 20}]
            fields: [{name: v, type: float}]
        """.formatted(overwrite), "overwrites.yaml");
  }

  @Test
  void lastWinsOverwritesRepeatAKeyOfTheSameBatchAndTheLastLineCarriesTheLastValue() {
    DatasetSpec spec = spec("{ratio: 0.1, wins: last}");
    var gen = TestData.gen(spec, 4, 3, 700);
    Map<String, TestData.Point> originals = new HashMap<>();
    long overwrites = 0;
    long tableA = 0;
    for (int w = 0; w < 3; w++) {
      for (long s = 0; s < gen.batchCount(w); s++) {
        String[] lines = new String(gen.batch(w, s), StandardCharsets.UTF_8).split("\n");
        var points = TestData.points(gen, w, s);
        Map<String, Integer> lastLine = new HashMap<>();
        for (int j = 0; j < points.size(); j++) {
          var p = points.get(j);
          tableA += p.table().equals("a") ? 1 : 0;
          var original = originals.get(p.key());
          if (p.overwrittenIndex() >= 0) {
            overwrites++;
            assertThat(p.table()).isEqualTo("a");
            assertThat(original).as("an overwrite repeats an earlier key").isNotNull();
            assertThat(original.globalIndex()).isEqualTo(p.overwrittenIndex());
            assertThat(original.writer() == w && original.seq() == s).as("same batch").isTrue();
            assertThat(p.fields()).isNotEqualTo(original.fields());
          } else {
            assertThat(original).as("original keys are unique across the run").isNull();
            originals.put(p.key(), p);
          }
          lastLine.put(p.key(), j);
        }
        for (var e : lastLine.entrySet()) {
          var parsed = StrictLineProtocolParser.parse(lines[e.getValue()]);
          assertThat(parsed.fields()).isEqualTo(points.get(e.getValue()).fields());
        }
      }
    }
    assertThat((double) overwrites / tableA).isCloseTo(0.1, within(0.02));
    var stats = new DatagenStats(gen);
    gen.forEachPoint(0, 0, stats);
    assertThat(stats.overwrites()).isPositive();
  }

  @Test
  void anyWinsOverwritesReachIntoEarlierBatches() {
    DatasetSpec spec = spec("{ratio: 0.2, wins: any, window: 2000}");
    var gen = TestData.gen(spec, 4, 2, 500);
    Map<String, TestData.Point> originals = new HashMap<>();
    long crossBatch = 0;
    long overwrites = 0;
    for (int w = 0; w < 2; w++) {
      for (long s = 0; s < gen.batchCount(w); s++) {
        for (var p : TestData.points(gen, w, s)) {
          var original = originals.get(p.key());
          if (p.overwrittenIndex() >= 0) {
            overwrites++;
            assertThat(original).isNotNull();
            assertThat(original.globalIndex()).isEqualTo(p.overwrittenIndex()).isLessThan(p.globalIndex());
            crossBatch += original.writer() != w || original.seq() != s ? 1 : 0;
          } else {
            assertThat(original).isNull();
            originals.put(p.key(), p);
          }
        }
      }
    }
    assertThat(overwrites).isPositive();
    assertThat(crossBatch).isPositive();
  }

  @Test
  void overwriteSpecIsValidated() {
    assertThatThrownBy(() -> spec("{ratio: 0.7, wins: last}")).hasMessageContaining("tables[0]")
        .hasMessageContaining("overwrite.ratio must be in [0, 0.5]");
    assertThatThrownBy(() -> spec("{ratio: 0.1, wins: first}"))
        .hasMessageContaining("tables[0].overwrite.wins: unknown value 'first'; allowed: last, any");
    assertThatThrownBy(() -> spec("{ratio: 0.1}")).hasMessageContaining("tables[0].overwrite.wins: required");
  }
}
