package io.loadchaos.target;

import io.loadchaos.check.ActualData;
import io.loadchaos.check.ExpectedData.Point;
import io.loadchaos.check.ShardCopies;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A user's {@link ClusterReader} as the checks' data source: tables read in time windows of at
 * most {@link HttpActualData#POINTS_PER_WINDOW} expected points, and, where the reader reads node
 * copies, each table as one "shard" owned by every node (full replication).
 */
public final class ReaderActualData implements ActualData {
  private final ClusterReader reader;

  public ReaderActualData(ClusterReader reader) {
    this.reader = reader;
  }

  /** Loads and opens the class a cluster file names; a clear error names the class and what it lacks. */
  public static ClusterReader load(String className, ClusterReader.Context context) {
    Object o;
    try {
      o = Class.forName(className, true, Thread.currentThread().getContextClassLoader()).getConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("query class " + className + ": not on the classpath");
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("query class " + className + ": needs a public no-argument constructor (" + e + ")");
    }
    if (!(o instanceof ClusterReader r)) {
      throw new IllegalArgumentException("query class " + className + ": does not implement " + ClusterReader.class.getName());
    }
    try {
      r.open(context);
    } catch (Exception e) {
      throw new IllegalStateException("query class " + className + ": open failed: " + e, e);
    }
    return r;
  }

  public String source() {
    return reader.getClass().getName();
  }

  /** As the reader declares (default false: numbers by value only). */
  @Override
  public boolean exactNumericTypes() {
    return reader.exactNumericTypes();
  }

  @Override
  public void scan(String table, Expected expected, Consumer<Point> rows) throws Exception {
    for (long[] w : expected.windows(HttpActualData.POINTS_PER_WINDOW)) reader.read(table, w[0], w[1], rows);
  }

  /** Node copies of whole tables, when every node should hold every row. */
  public ShardCopies nodeCopies(List<String> tables, List<String> nodeIds) {
    return new ShardCopies() {
      @Override
      public List<Shard> shards() {
        List<Shard> out = new ArrayList<>();
        for (String t : tables) out.add(new Shard(t, t, nodeIds, "Stable"));
        return out;
      }

      @Override
      public void scanCopy(Shard shard, String nodeId, Consumer<Point> rows) throws Exception {
        reader.readNode(nodeId, shard.table(), Long.MIN_VALUE, Long.MAX_VALUE, rows);
      }
    };
  }
}
