package io.loadchaos.harness;

import io.loadchaos.chaos.LinkProxies.LinkTraffic;
import io.loadchaos.check.Verdict;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Judges shard pruning from the traffic the fault proxies counted on node->node links while the
 * pruned queries ran. Where a proxy could read the requests (clear-text HTTP/2), any
 * {@value #FRAGMENT_PATH} request toward a non-owner fails: background traffic (state and catalog
 * pulls, replication, hint replay) uses other paths, so no quiet window is needed. Where it could
 * not (TLS, HTTP/1.1), the bytes toward the non-owner are compared with a quiet window of the same
 * length measured right after: more than twice the quiet bytes plus {@value #BYTES_SLACK} bytes fails.
 */
final class PruningTraffic {
  /** The reference cluster's peer call that reads one shard's rows (PeerClient.fragment). */
  static final String FRAGMENT_PATH = "/internal/fragment";
  static final long BYTES_SLACK = 4096;

  private PruningTraffic() {}

  record Judgement(Verdict.Status status, String measured, String detail) {}

  @FunctionalInterface
  interface QuietWindow {
    Map<String, LinkTraffic> measure() throws Exception;
  }

  static Judgement judge(Map<String, LinkTraffic> before, Map<String, LinkTraffic> after, Collection<String> nonOwners,
      QuietWindow quiet) throws Exception {
    if (after.isEmpty()) {
      return new Judgement(Verdict.Status.UNKNOWN, "", "proxies: none counting on this target's links (no fault proxy, or "
          + "a proxy server without loadchaos counters)");
    }
    List<String> judged = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    List<String> unproven = new ArrayList<>();
    Map<String, LinkTraffic> quietTraffic = null;
    for (var e : after.entrySet()) {
      String link = e.getKey();
      int arrow = link.indexOf("->");
      if (arrow < 0 || link.startsWith("client->") || !nonOwners.contains(link.substring(arrow + 2))) continue;
      LinkTraffic total = e.getValue();
      LinkTraffic b = before.get(link);
      if (b == null) {
        unproven.add(link + " (no count before the queries)");
        continue;
      }
      LinkTraffic d = total.minus(b);
      if (total.bytesUpstream() == 0) {
        // a proxy that nothing ever crossed may not be on the path at all: it proves nothing
        unproven.add(link + " (no byte crossed it during the run)");
        continue;
      }
      if (total.opaqueConnections() == 0 && total.http2Connections() > 0) {
        long n = d.requests(FRAGMENT_PATH);
        long during = d.requests().values().stream().mapToLong(Long::longValue).sum();
        long run = total.requests().values().stream().mapToLong(Long::longValue).sum();
        judged.add(link + " " + n + " fragment requests (" + during + " requests of any path meanwhile, " + run + " over the run)");
        if (n > 0) wrong.add(link + ": " + n + " fragment requests");
      } else {
        if (quietTraffic == null) quietTraffic = quiet.measure();
        LinkTraffic q = quietTraffic.get(link);
        if (q == null) {
          unproven.add(link + " (requests unreadable and no quiet window)");
          continue;
        }
        long bytes = d.bytesUpstream() + d.bytesDownstream();
        long quietBytes = q.bytesUpstream() + q.bytesDownstream();
        judged.add(link + " " + bytes + " B vs " + quietBytes + " B quiet (requests unreadable)");
        if (bytes > 2 * quietBytes + BYTES_SLACK) wrong.add(link + ": " + bytes + " B while querying vs " + quietBytes + " B in a quiet window");
      }
    }
    String detail = "proxies: " + (judged.isEmpty() ? "no link toward a non-owner judged" : String.join(", ", judged))
        + (unproven.isEmpty() ? "" : "; not judged: " + String.join(", ", unproven));
    if (!wrong.isEmpty()) return new Judgement(Verdict.Status.FAIL, "fragment traffic toward non-owners: " + String.join(", ", wrong), detail);
    if (judged.isEmpty()) return new Judgement(Verdict.Status.UNKNOWN, "", detail);
    return new Judgement(Verdict.Status.PASS, "no fragment traffic on " + judged.size() + " links toward non-owners (counted by the fault proxies)", detail);
  }
}
