package io.loadchaos.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Resolves a fault's target to node ids, with the run's seeded random so a run can be repeated:
 * {@code node:<id>}, {@code random}, {@code all}, {@code minority}, {@code majority},
 * {@code shard-owners:<table>}, {@code minority:<table>}, {@code majority:<table>} (of one shard's owners).
 */
final class TargetSelector {
  private final Random random;
  private final Function<String, List<List<String>>> ownerSetsOfTable;

  TargetSelector(long seed, Function<String, List<List<String>>> ownerSetsOfTable) {
    this.random = new Random(seed);
    this.ownerSetsOfTable = ownerSetsOfTable;
  }

  List<String> resolve(String target, List<String> nodes) {
    String kind = target;
    String arg = null;
    int colon = target.indexOf(':');
    if (colon > 0) {
      kind = target.substring(0, colon);
      arg = target.substring(colon + 1);
    }
    if (target.contains("->")) return List.of();
    switch (kind) {
      case "table" -> {
        // shard moves pick their shards themselves (ClusterOpNemesis)
        return List.of();
      }
      case "node" -> {
        if (!nodes.contains(arg)) throw new IllegalArgumentException("target " + target + ": no node '" + arg + "' in " + nodes);
        return List.of(arg);
      }
      case "random" -> {
        return List.of(nodes.get(random.nextInt(nodes.size())));
      }
      case "all" -> {
        return List.copyOf(nodes);
      }
      case "minority", "majority", "shard-owners" -> {
        List<String> pool = arg == null ? nodes : shardOwners(target, arg);
        if (kind.equals("shard-owners")) return pool;
        int minority = (pool.size() - 1) / 2;
        int count = kind.equals("minority") ? Math.max(1, minority) : pool.size() / 2 + 1;
        List<String> shuffled = new ArrayList<>(pool);
        Collections.shuffle(shuffled, random);
        return List.copyOf(shuffled.subList(0, Math.min(count, shuffled.size())));
      }
      default -> throw new IllegalArgumentException("unknown target '" + target
          + "', expected node:<id>, random, all, minority, majority, shard-owners:<table>, minority:<table>, majority:<table>, table:<table> or <from>-><to>");
    }
  }

  private List<String> shardOwners(String target, String table) {
    List<List<String>> sets = ownerSetsOfTable.apply(table);
    if (sets.isEmpty()) throw new IllegalStateException("target " + target + ": table '" + table + "' has no shards yet");
    return sets.get(random.nextInt(sets.size()));
  }

  Random random() {
    return random;
  }
}
