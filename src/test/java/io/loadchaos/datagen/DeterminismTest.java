package io.loadchaos.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeterminismTest {

  @Test
  void sameSpecAndSeedGiveIdenticalBytesAndAnotherSeedDiffers() throws Exception {
    DatasetSpec spec = DatasetSpec.builtin("devops").withPoints(200_000);
    String first = TestData.sha256(TestData.gen(spec, 42, 1, 5000));
    String second = TestData.sha256(TestData.gen(DatasetSpec.builtin("devops").withPoints(200_000), 42, 1, 5000));
    String otherSeed = TestData.sha256(TestData.gen(spec, 43, 1, 5000));
    assertThat(second).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
  }

  @Test
  void writerSplitsReassembledInWriterSeqOrderEqualTheOneWriterOutput() throws Exception {
    for (String name : new String[] {"devops", "iot", "edge-cases", "high-cardinality"}) {
      DatasetSpec builtin = DatasetSpec.builtin(name);
      // a per-writer clock offset deliberately depends on the writer, so it is left out here
      DatasetSpec spec = TestData.withTime(builtin, TestData.withoutClockOffset(builtin.time())).withPoints(60_001);
      String one = TestData.sha256(TestData.gen(spec, 5, 1, 1000));
      assertThat(TestData.sha256(TestData.gen(spec, 5, 3, 1000))).as(name + " x3").isEqualTo(one);
      assertThat(TestData.sha256(TestData.gen(spec, 5, 7, 1000))).as(name + " x7").isEqualTo(one);
      assertThat(TestData.sha256(TestData.gen(spec, 5, 4, 777))).as(name + " other batch size").isEqualTo(one);
    }
  }

  @Test
  void anyBatchRegeneratesAloneIdentically() {
    DatasetSpec spec = DatasetSpec.builtin("iot").withPoints(100_000);
    var sequential = TestData.gen(spec, 9, 4, 1000);
    byte[][] all = new byte[4 * (int) sequential.batchesPerWriter()][];
    for (int w = 0; w < 4; w++) {
      for (long s = 0; s < sequential.batchCount(w); s++) {
        all[(int) (w * sequential.batchesPerWriter() + s)] = sequential.batch(w, s);
      }
    }
    var fresh = TestData.gen(DatasetSpec.builtin("iot").withPoints(100_000), 9, 4, 1000);
    for (int[] ws : new int[][] {{3, 24}, {0, 0}, {2, 7}, {1, 24}, {0, 13}}) {
      byte[] alone = fresh.batch(ws[0], ws[1]);
      assertThat(alone).isEqualTo(all[(int) (ws[0] * sequential.batchesPerWriter() + ws[1])]);
      var buf = new BatchBuffer(16);
      int lines = fresh.writeBatch(ws[0], ws[1], buf);
      assertThat(Arrays.copyOf(buf.array(), buf.length())).isEqualTo(alone);
      assertThat(lines).isEqualTo(fresh.pointsInBatch(ws[0], ws[1])).isEqualTo(TestData.points(fresh, ws[0], ws[1]).size());
    }
    assertThat(fresh.batch(3, 25)).isEmpty();
  }

  @Test
  void unboundedWritersInterleaveTheOneWriterStream() {
    DatasetSpec spec = DatasetSpec.builtin("devops").unbounded();
    var one = TestData.gen(spec, 1, 1, 500);
    var three = TestData.gen(spec, 1, 3, 500);
    assertThat(three.batchesPerWriter()).isEqualTo(Long.MAX_VALUE);
    for (int w = 0; w < 3; w++) {
      for (long s = 0; s < 4; s++) {
        assertThat(three.batch(w, s)).isEqualTo(one.batch(0, s * 3 + w));
      }
    }
  }

  @Test
  void batchIdPacksWriterAndSeq() {
    long id = BatchId.of(65535, BatchId.MAX_SEQ);
    assertThat(BatchId.writer(id)).isEqualTo(65535);
    assertThat(BatchId.seq(id)).isEqualTo(BatchId.MAX_SEQ);
    assertThat(BatchId.writer(BatchId.of(3, 17))).isEqualTo(3);
    assertThat(BatchId.seq(BatchId.of(3, 17))).isEqualTo(17);
    assertThatThrownBy(() -> BatchId.of(65536, 0)).hasMessageContaining("writer");
    assertThatThrownBy(() -> BatchId.of(0, -1)).hasMessageContaining("seq");
  }
}
