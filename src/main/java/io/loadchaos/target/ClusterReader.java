package io.loadchaos.target;

import io.loadchaos.check.ExpectedData.Point;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a cluster that speaks neither SQL nor InfluxQL, for read-back (and optionally the replica
 * check). Implement it, put the class on the classpath and name it in the cluster file:
 * {@code query: {class: com.example.MyReader}}. It needs a public no-argument constructor; loadchaos
 * calls {@link #open} once, then reads every table in half-open time windows, then {@link #close}.
 * A worked example is in docs/targets.md.
 */
public interface ClusterReader extends AutoCloseable {

  /** What the run knows about the cluster: nodes (client URLs), database, token (may be empty). */
  record Context(List<ClusterTarget.Node> nodes, String database, String token, Map<String, List<String>> tagKeysByTable) {}

  default void open(Context context) throws Exception {}

  /**
   * Streams every stored row of {@code table} with {@code from <= time < to} (epoch nanoseconds;
   * {@code Long.MIN_VALUE} / {@code Long.MAX_VALUE} mean unbounded), each as a {@link Point}:
   * use {@link Point#of} with the row's tags, timestamp and fields. A table that does not exist
   * yields no rows; anything the reader cannot read must throw, never yield nothing.
   */
  void read(String table, long fromNanos, long toNanos, Consumer<Point> rows) throws Exception;

  /**
   * Whether the rows carry each number's exact kind: a float field as a Double (even 1.0), an
   * integer field as a Long. Off by default (many read paths, e.g. CSV or InfluxDB 1.x JSON, cannot
   * tell a float 1.0 from an integer 1): read-back then compares numbers by value only and cannot see
   * a float->integer type change. Say true when the reader keeps the kinds.
   */
  default boolean exactNumericTypes() {
    return false;
  }

  /**
   * Whether {@link #readNode} can read one node's own copy. With it, and with every node holding
   * every row (replication factor = node count), the replica check compares the nodes' copies.
   */
  default boolean readsNodeCopies() {
    return false;
  }

  /** One node's own copy of the rows of {@code table} in {@code [from, to)}. */
  default void readNode(String nodeId, String table, long fromNanos, long toNanos, Consumer<Point> rows) throws Exception {
    throw new UnsupportedOperationException(getClass().getName() + " cannot read one node's copy");
  }

  @Override
  default void close() throws Exception {}
}
