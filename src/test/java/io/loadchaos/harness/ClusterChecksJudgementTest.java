package io.loadchaos.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadchaos.check.Verdict.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster checks' judgements say UNKNOWN when they observed nothing, and fail or pass only on evidence. */
class ClusterChecksJudgementTest {

  @Test
  void noAttemptedWriteIsUnknownNotAFailure() {
    var v = ClusterChecks.judgeAcks("no ack below quorum", new ClusterChecks.Acks(0, 0, List.of()), "inside the fault window f", "d");
    assertEquals(Status.UNKNOWN, v.status());
    assertTrue(v.detail().contains("no write was attempted inside the fault window f"), v.detail());
  }

  @Test
  void anAcknowledgedWriteFailsWithItsExampleAndNoneAcknowledgedPasses() {
    var failed = ClusterChecks.judgeAcks("no ack below quorum", new ClusterChecks.Acks(12, 1, List.of("batch 7 on node 2 at +9000 ms")), "w", "d");
    assertEquals(Status.FAIL, failed.status());
    assertEquals("1 of 12 acknowledged", failed.measured());
    assertEquals(List.of("batch 7 on node 2 at +9000 ms"), failed.examples().get("acknowledged"));
    assertEquals(Status.PASS, ClusterChecks.judgeAcks("n", new ClusterChecks.Acks(12, 0, List.of()), "w", "d").status());
  }

  @Test
  void shardedTotalsNeedMoreThanOneTimeShardWithRows() {
    assertEquals(Status.UNKNOWN, ClusterChecks.judgeShardedTotals(1, 500, 500).status());
    assertEquals(Status.UNKNOWN, ClusterChecks.judgeShardedTotals(4, 0, 0).status());
    assertEquals(Status.PASS, ClusterChecks.judgeShardedTotals(4, 500, 500).status());
    assertEquals(Status.FAIL, ClusterChecks.judgeShardedTotals(4, 499, 500).status());
  }
}
