package io.loadchaos.harness;

import io.loadchaos.check.Verdict;
import io.loadchaos.target.ClusterTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * After the heal: wait until every node answers /health and, where the target reports them, no
 * hinted-handoff writes are pending anywhere, so read-back sees the cluster at rest.
 */
final class Settle {
  private Settle() {}

  record Result(boolean settled, long waitedMillis, List<String> notReady) {
    Verdict verdict() {
      return Verdict.of("settle", settled, settled ? waitedMillis + " ms" : "not settled after " + waitedMillis + " ms",
          "healthy, no pending hints", settled ? "all nodes healthy and hints drained" : String.join("; ", notReady));
    }

    @Override
    public String toString() {
      return settled ? "settled in " + waitedMillis + " ms" : "NOT settled after " + waitedMillis + " ms: " + notReady;
    }
  }

  static Result await(ClusterTarget target, Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    List<String> notReady;
    do {
      notReady = notReady(target);
      if (notReady.isEmpty()) break;
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    } while (System.nanoTime() < deadline);
    return new Result(notReady.isEmpty(), (System.nanoTime() - start) / 1_000_000, notReady);
  }

  private static List<String> notReady(ClusterTarget target) {
    List<String> out = new ArrayList<>();
    for (ClusterTarget.Node n : target.nodes()) {
      if (!target.http().healthy(n.clientUrl(), target.healthPath(n.id()))) {
        out.add("node " + n.id() + " not healthy at " + n.clientUrl()
            + (target.healthPath(n.id()) == null ? "/health or /ping" : target.healthPath(n.id())));
        continue;
      }
      if (!target.has(ClusterTarget.Capability.HINT_METRICS)) continue;
      try {
        double pending = target.http().metrics(n.clientUrl()).getOrDefault("loadchaos_hints_pending", 0.0);
        if (pending > 0) out.add("node " + n.id() + " has " + (long) pending + " pending hints");
      } catch (Exception e) {
        out.add("node " + n.id() + " metrics unreadable: " + e.getMessage());
      }
    }
    return out;
  }
}
