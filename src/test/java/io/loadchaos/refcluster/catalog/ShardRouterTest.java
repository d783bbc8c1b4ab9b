package io.loadchaos.refcluster.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardRouterTest {
  @Test
  void murmur3MatchesPublishedReferenceValues() {
    // reference values of MurmurHash3_x86_32 with seed 0
    assertThat(ShardRouter.murmur3x86_32(new byte[0], 0)).isZero();
    assertThat(ShardRouter.murmur3x86_32("hello".getBytes(StandardCharsets.UTF_8), 0)).isEqualTo(0x248bfa47);
    assertThat(ShardRouter.murmur3x86_32("The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8), 0)).isEqualTo(0x2e4ff723);
  }

  @Test
  void ownersRotateAndNeverRepeat() {
    List<String> nodes = List.of("1", "2", "3");
    long hour = 3_600_000_000_000L;
    List<String> a = ShardRouter.owners(nodes, "db", "t", 0, hour, 0, 2);
    List<String> b = ShardRouter.owners(nodes, "db", "t", 0, hour, 1, 2);
    assertThat(a).hasSize(2).doesNotHaveDuplicates();
    assertThat(a.get(0)).isNotEqualTo(b.get(0));
    assertThat(ShardRouter.owners(nodes, "db", "t", 0, hour, 0, 5)).containsExactlyInAnyOrder("1", "2", "3");
  }
}
