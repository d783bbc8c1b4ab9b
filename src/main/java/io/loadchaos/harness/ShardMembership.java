package io.loadchaos.harness;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.check.ExpectedData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Which points belong to one shard, computed by the harness from the shard's definition in the
 * listing (table, time range, hash partition), not from the cluster's own counts. The partition of
 * a point is murmur3_32 (seed 0) of {@code "k1=v1,k2=v2"} over the shard-key tags (a missing tag is
 * the empty string) modulo the partition count, as docs/design.md section 4.4 specifies.
 */
record ShardMembership(String id, String table, long timeStartNs, long timeEndNs, int partition, int partitions,
    List<String> shardKeys) {

  static ShardMembership of(JsonNode shard) {
    List<String> keys = new ArrayList<>();
    shard.path("shard_keys").forEach(k -> keys.add(k.asText()));
    return new ShardMembership(shard.path("id").asText(), shard.path("table").asText(), shard.path("time_start_ns").asLong(),
        shard.path("time_end_ns").asLong(), shard.path("hash_partition").asInt(0), Math.max(1, shard.path("num_hash_partitions").asInt(1)),
        List.copyOf(keys));
  }

  boolean contains(ExpectedData.Point p) {
    if (!p.table().equals(table) || p.timestampNanos() < timeStartNs || p.timestampNanos() >= timeEndNs) return false;
    return partitions <= 1 || shardKeys.isEmpty() || partitionOf(p, shardKeys, partitions) == partition;
  }

  static int partitionOf(ExpectedData.Point p, List<String> keys, int partitions) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      if (i > 0) sb.append(',');
      sb.append(keys.get(i)).append('=').append(p.tag(keys.get(i)).orElse(""));
    }
    int h = murmur3x86_32(sb.toString().getBytes(StandardCharsets.UTF_8), 0);
    return (int) (Integer.toUnsignedLong(h) % partitions);
  }

  /** MurmurHash3 x86 32-bit (Austin Appleby's public-domain reference algorithm). */
  static int murmur3x86_32(byte[] data, int seed) {
    final int c1 = 0xcc9e2d51;
    final int c2 = 0x1b873593;
    int h = seed;
    int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int k = (data[4 * i] & 0xff) | (data[4 * i + 1] & 0xff) << 8 | (data[4 * i + 2] & 0xff) << 16 | (data[4 * i + 3] & 0xff) << 24;
      k *= c1;
      k = Integer.rotateLeft(k, 15);
      k *= c2;
      h ^= k;
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int tail = blocks * 4;
    int k = 0;
    switch (data.length & 3) {
      case 3:
        k ^= (data[tail + 2] & 0xff) << 16;
        // fall through
      case 2:
        k ^= (data[tail + 1] & 0xff) << 8;
        // fall through
      case 1:
        k ^= data[tail] & 0xff;
        k *= c1;
        k = Integer.rotateLeft(k, 15);
        k *= c2;
        h ^= k;
        break;
      default:
        break;
    }
    h ^= data.length;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
