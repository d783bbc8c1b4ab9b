package io.loadchaos.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {

  @Test
  void writeOutcomesFollowTheDesignSemantics() {
    assertThat(Outcome.ofWrite(204, "")).isEqualTo(Outcome.OK);
    assertThat(Outcome.ofWrite(-1, null)).as("timeout / reset").isEqualTo(Outcome.INFO);
    assertThat(Outcome.ofWrite(503, "{\"error\":\"below quorum\"}")).isEqualTo(Outcome.INFO);
    assertThat(Outcome.ofWrite(500, "")).isEqualTo(Outcome.INFO);
    assertThat(Outcome.ofWrite(400, "{\"error\":\"partial write of line protocol occurred\"}")).isEqualTo(Outcome.INFO);
    assertThat(Outcome.ofWrite(400, "{\"error\":\"parsing failed\"}")).isEqualTo(Outcome.FAIL);
    assertThat(Outcome.ofWrite(401, "")).isEqualTo(Outcome.FAIL);
    assertThat(Outcome.ofWrite(429, "")).isEqualTo(Outcome.INFO);
  }

  @Test
  void savesAndLoadsEveryOperationExactly(@TempDir Path dir) throws Exception {
    History h = new History();
    int a = h.invoke(OpKind.WRITE, 42L, 1, 500);
    h.complete(a, Outcome.OK, 204);
    int b = h.invoke(OpKind.WRITE, 43L, 2, 500);
    h.complete(b, Outcome.INFO, 503);
    h.invoke(OpKind.QUERY_SQL, 0, 0, 0); // never completes: counts as info
    h.save(dir.resolve("history.csv"));

    History back = History.load(dir.resolve("history.csv"), List.of());
    assertThat(back.ops()).hasSize(3);
    assertThat(back.ops().get(0)).isEqualTo(h.ops().get(0));
    assertThat(back.ops().get(1).outcome()).isEqualTo(Outcome.INFO);
    assertThat(back.ops().get(1).status()).isEqualTo(503);
    assertThat(back.ops().get(2).outcome()).isEqualTo(Outcome.INFO);
    assertThat(back.ops().get(2).latencyMicros()).isNegative();
  }

  @Test
  void corruptLineIsReportedWithItsNumber(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("h.csv");
    Files.writeString(f, "kind,batch_id,node,start_us,latency_us,outcome,status,points\nwrite,1,0,0,5,ok,204,10\nwrite,x\n");
    assertThatThrownBy(() -> History.load(f, List.of())).hasMessageContaining("h.csv:3");
  }

  @Test
  void tenMillionPointsFitInTheLedgerBudget() {
    History h = new History();
    // 10,000,000 points in batches of 1,000 = 10,000 operations
    for (int i = 0; i < 10_000; i++) h.complete(h.invoke(OpKind.WRITE, i, i % 3, 1000), Outcome.OK, 204);
    long points = h.ops().stream().mapToLong(History.Op::points).sum();
    assertThat(points).isEqualTo(10_000_000L);
    assertThat(h.footprintBytes()).isLessThan(64L * 1024 * 1024);
  }

  @Test
  void knowsWhenTheFirstWriteWasAcknowledged() {
    History h = new History();
    h.complete(h.invoke(OpKind.QUERY_SQL, 0, 0, 0), Outcome.OK, 200);
    h.complete(h.invoke(OpKind.WRITE, 1, 0, 10), Outcome.INFO, 503);
    assertThat(h.anyWriteAcknowledged()).isFalse();
    h.complete(h.invoke(OpKind.WRITE, 1, 1, 10), Outcome.OK, 204);
    assertThat(h.anyWriteAcknowledged()).isTrue();
  }
}
