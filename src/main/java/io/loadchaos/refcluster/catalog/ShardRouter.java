package io.loadchaos.refcluster.catalog;

import io.loadchaos.refcluster.lp.Point;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Computes which time shard and hash partition a point belongs to, and the default owners. */
public final class ShardRouter {
  private ShardRouter() {}

  public static long timeStart(long timeNs, long durationNs) {
    return Math.floorDiv(timeNs, durationNs) * durationNs;
  }

  /** murmur3_32 (seed 0) of {@code "k1=v1,k2=v2"} over the shard keys, modulo the partition count. */
  public static int partition(Point p, List<String> shardKeys, int numPartitions) {
    if (numPartitions <= 1 || shardKeys.isEmpty()) {
      return 0;
    }
    List<String> values = new ArrayList<>(shardKeys.size());
    for (String k : shardKeys) {
      String v = p.tag(k);
      values.add(v == null ? "" : v);
    }
    return partition(shardKeys, values, numPartitions);
  }

  public static int partition(List<String> keys, List<String> values, int numPartitions) {
    if (numPartitions <= 1 || keys.isEmpty()) {
      return 0;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(keys.get(i)).append('=').append(values.get(i));
    }
    int h = murmur3x86_32(sb.toString().getBytes(StandardCharsets.UTF_8), 0);
    return (int) (Integer.toUnsignedLong(h) % numPartitions);
  }

  /**
   * Default owners: {@code rf} consecutive nodes (in id order) starting at a position that rotates
   * with the table, the time shard and the partition, so load spreads over the nodes.
   */
  public static List<String> owners(List<String> nodeIds, String db, String table, long timeStart, long durationNs, int partition, int rf) {
    int n = nodeIds.size();
    int r = Math.min(rf, n);
    long h = (db + "." + table).hashCode() & 0x7fffffffL;
    int start = (int) Math.floorMod(h + Math.floorDiv(timeStart, durationNs) + partition, (long) n);
    List<String> out = new ArrayList<>(r);
    for (int i = 0; i < r; i++) {
      out.add(nodeIds.get((start + i) % n));
    }
    return out;
  }

  /** MurmurHash3 x86 32-bit, written from the published algorithm description. */
  static int murmur3x86_32(byte[] data, int seed) {
    final int c1 = 0xcc9e2d51;
    final int c2 = 0x1b873593;
    int h = seed;
    int len = data.length;
    int blocks = len / 4;
    for (int i = 0; i < blocks; i++) {
      int k =
          (data[4 * i] & 0xff)
              | ((data[4 * i + 1] & 0xff) << 8)
              | ((data[4 * i + 2] & 0xff) << 16)
              | ((data[4 * i + 3] & 0xff) << 24);
      k *= c1;
      k = Integer.rotateLeft(k, 15);
      k *= c2;
      h ^= k;
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int k = 0;
    int tail = blocks * 4;
    switch (len & 3) {
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
      // fall through
      default:
        break;
    }
    h ^= len;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
