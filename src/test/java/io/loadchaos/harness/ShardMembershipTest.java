package io.loadchaos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.check.ExpectedData;
import io.loadchaos.refcluster.catalog.ShardRouter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardMembershipTest {

  @Test
  void murmur3MatchesPublishedTestVectors() {
    // MurmurHash3_x86_32 reference values (SMHasher / Appleby's test vectors)
    assertThat(ShardMembership.murmur3x86_32(new byte[0], 0)).isZero();
    assertThat(ShardMembership.murmur3x86_32(new byte[0], 1)).isEqualTo(0x514E28B7);
    assertThat(ShardMembership.murmur3x86_32("hello".getBytes(StandardCharsets.UTF_8), 0)).isEqualTo(0x248bfa47);
    assertThat(ShardMembership.murmur3x86_32("The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8), 0))
        .isEqualTo(0x2e4ff723);
    assertThat(ShardMembership.murmur3x86_32(new byte[] {0x21, 0x43, 0x65, (byte) 0x87}, 0)).isEqualTo(0xF55B516B);
    assertThat(ShardMembership.murmur3x86_32(new byte[] {0x21, 0x43, 0x65}, 0)).isEqualTo(0x7E4A8634);
    assertThat(ShardMembership.murmur3x86_32(new byte[] {0x21, 0x43}, 0)).isEqualTo(0xA0F7B07A);
    assertThat(ShardMembership.murmur3x86_32(new byte[] {0x21}, 0)).isEqualTo(0x72661CF4);
  }

  @Test
  void partitionAgreesWithTheReferenceClusterRouter() {
    for (int i = 0; i < 200; i++) {
      var p = ExpectedData.Point.of("cpu", Map.of("host", "host_" + i, "region", "r" + (i % 7)), 0, Map.of());
      for (int n : new int[] {2, 3, 5}) {
        assertThat(ShardMembership.partitionOf(p, List.of("host", "region"), n))
            .isEqualTo(ShardRouter.partition(List.of("host", "region"), List.of("host_" + i, "r" + (i % 7)), n));
      }
    }
  }

  @Test
  void membershipIsTableTimeRangeAndPartition() {
    var p = ExpectedData.Point.of("cpu", Map.of("host", "host_3"), 1_500, Map.of());
    int part = ShardMembership.partitionOf(p, List.of("host"), 3);
    var shard = new ShardMembership("9", "cpu", 1_000, 2_000, part, 3, List.of("host"));
    assertThat(shard.contains(p)).isTrue();
    assertThat(new ShardMembership("9", "cpu", 1_000, 2_000, (part + 1) % 3, 3, List.of("host")).contains(p)).isFalse();
    assertThat(new ShardMembership("9", "cpu", 1_500 + 1, 2_000, part, 3, List.of("host")).contains(p)).isFalse();
    // the end of the range is exclusive
    assertThat(new ShardMembership("9", "cpu", 0, 1_500, part, 3, List.of("host")).contains(p)).isFalse();
    assertThat(new ShardMembership("9", "mem", 1_000, 2_000, part, 3, List.of("host")).contains(p)).isFalse();
    assertThat(new ShardMembership("9", "cpu", 1_000, 2_000, 0, 1, List.of()).contains(p)).isTrue();
  }
}
