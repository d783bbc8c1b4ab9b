package io.loadchaos.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class BatchFeederTest {

  @Test
  void yieldsEveryBatchOfTheWriterWithItsIdThenEnds() {
    var gen = TestData.gen(DatasetSpec.builtin("devops").withPoints(25_000), 1, 2, 5000);
    var feeder = new BatchFeeder(gen, 1, 0, Long.MAX_VALUE);
    List<Map<String, Object>> records = new ArrayList<>();
    feeder.forEachRemaining(records::add);
    assertThat(records).hasSize(2); // 5 batches: writer 0 has 3, writer 1 has 2
    for (int i = 0; i < records.size(); i++) {
      var r = records.get(i);
      assertThat(r.get("writer")).isEqualTo(1);
      assertThat(r.get("seq")).isEqualTo((long) i);
      assertThat(r.get("batchId")).isEqualTo(BatchId.of(1, i));
      assertThat((byte[]) r.get("body")).isEqualTo(gen.batch(1, i));
      assertThat(r.get("points")).isEqualTo(StrictLineProtocolParser.parseAll((byte[]) r.get("body")).size());
    }
    assertThat(records.get(1).get("points")).isEqualTo(5000);
    assertThatThrownBy(feeder::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void stopsAfterMaxBatchesAndStartsAtFirstSeq() {
    var gen = TestData.gen(DatasetSpec.builtin("iot").unbounded(), 1, 4, 100);
    var feeder = new BatchFeeder(gen, 3, 10, 3);
    List<Long> seqs = new ArrayList<>();
    feeder.forEachRemaining(r -> {
      seqs.add((Long) r.get("seq"));
      assertThat(BatchId.writer((Long) r.get("batchId"))).isEqualTo(3);
    });
    assertThat(seqs).containsExactly(10L, 11L, 12L);
    assertThatThrownBy(() -> new BatchFeeder(gen, 4, 0, 1)).hasMessageContaining("writer must be in 0..3");
  }
}
