package io.loadchaos.refcluster.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Coordinators stamp disjoint versions, so equal versions can only come from one batch. */
class VersionTagTest {
  @Test
  void numericIdsUpTo255GetDistinctTags() {
    Set<Long> tags = new HashSet<>();
    for (int id = 1; id <= 255; id++) {
      tags.add(WriteCoordinator.versionTag(Integer.toString(id)));
    }
    assertThat(tags).hasSize(255);
    assertThat(WriteCoordinator.versionTag("node-a")).isBetween(0L, 255L);
  }
}
