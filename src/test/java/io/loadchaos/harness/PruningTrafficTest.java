package io.loadchaos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.chaos.LinkProxies.LinkTraffic;
import io.loadchaos.check.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PruningTrafficTest {
  private static LinkTraffic h2(long up, long fragments, long pulls) {
    return new LinkTraffic(up, up * 10, 1, 1, 0, Map.of(PruningTraffic.FRAGMENT_PATH, fragments, "/internal/cluster_state", pulls));
  }

  private static final PruningTraffic.QuietWindow NO_QUIET = () -> {
    throw new AssertionError("no quiet window needed where requests are readable");
  };

  @Test
  void fragmentRequestsTowardANonOwnerFailWhateverTheBackground() throws Exception {
    var before = Map.of("1->2", h2(1000, 5, 10), "1->3", h2(1000, 0, 10), "2->1", h2(500, 0, 30));
    var after = Map.of("1->2", h2(1200, 5, 12), "1->3", h2(1900, 20, 12), "2->1", h2(900, 0, 34));
    var j = PruningTraffic.judge(before, after, List.of("2", "3"), NO_QUIET);
    assertThat(j.status()).isEqualTo(Verdict.Status.FAIL);
    assertThat(j.measured()).contains("1->3: 20 fragment requests");
    assertThat(j.detail()).contains("1->2 0 fragment requests");
  }

  @Test
  void backgroundPullsAloneDoNotFail() throws Exception {
    var before = Map.of("1->2", h2(1000, 5, 10), "3->2", h2(100, 0, 3), "1->3", h2(1000, 0, 1));
    var after = Map.of("1->2", h2(5000, 5, 40), "3->2", h2(300, 0, 9), "1->3", h2(1000, 0, 1));
    var j = PruningTraffic.judge(before, after, List.of("2"), NO_QUIET);
    assertThat(j.status()).isEqualTo(Verdict.Status.PASS);
    assertThat(j.measured()).contains("2 links toward non-owners");
  }

  @Test
  void unreadableLinksAreJudgedAgainstAQuietWindow() throws Exception {
    LinkTraffic tls0 = new LinkTraffic(1000, 1000, 1, 0, 1, Map.of());
    LinkTraffic tls1 = new LinkTraffic(1000 + 60_000, 1000 + 300_000, 1, 0, 1, Map.of());
    LinkTraffic quiet = new LinkTraffic(200, 2000, 0, 0, 0, Map.of());
    var j = PruningTraffic.judge(Map.of("1->2", tls0), Map.of("1->2", tls1), List.of("2"), () -> Map.of("1->2", quiet));
    assertThat(j.status()).isEqualTo(Verdict.Status.FAIL);
    assertThat(j.measured()).contains("360000 B while querying vs 2200 B in a quiet window");
    LinkTraffic calm = new LinkTraffic(1000 + 250, 1000 + 2100, 1, 0, 1, Map.of());
    assertThat(PruningTraffic.judge(Map.of("1->2", tls0), Map.of("1->2", calm), List.of("2"), () -> Map.of("1->2", quiet)).status())
        .isEqualTo(Verdict.Status.PASS);
  }

  @Test
  void noCountersOrUnusedLinksAreUnknown() throws Exception {
    assertThat(PruningTraffic.judge(Map.of(), Map.of(), List.of("2"), NO_QUIET).status()).isEqualTo(Verdict.Status.UNKNOWN);
    LinkTraffic never = new LinkTraffic(0, 0, 0, 0, 0, Map.of());
    var j = PruningTraffic.judge(Map.of("1->2", never), Map.of("1->2", never), List.of("2"), NO_QUIET);
    assertThat(j.status()).isEqualTo(Verdict.Status.UNKNOWN);
    assertThat(j.detail()).contains("no byte crossed it");
    // client links and links toward owners are not judged
    var k = PruningTraffic.judge(Map.of("client->2", h2(1, 0, 0)), Map.of("client->2", h2(9, 9, 0)), List.of("2"), NO_QUIET);
    assertThat(k.status()).isEqualTo(Verdict.Status.UNKNOWN);
  }
}
