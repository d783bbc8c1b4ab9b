package io.loadchaos.check;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Reads what a cluster stores, one table at a time, as points. */
public interface ActualData {

  /**
   * What the run wrote into a table (every point, whatever its outcome): a reader that reads in
   * time windows sizes them from this, and still reads what lies outside it.
   */
  record Expected(long minNanos, long maxNanos, long points) {
    public static final Expected NONE = new Expected(0, -1, 0);

    public boolean isEmpty() {
      return points == 0 || maxNanos < minNanos;
    }

    /**
     * Half-open windows {@code [from, to)} that cover every timestamp: before the first point,
     * equal slices of at most about {@code perWindow} points, after the last point.
     */
    public List<long[]> windows(long perWindow) {
      List<long[]> out = new ArrayList<>();
      if (isEmpty()) {
        out.add(new long[] {Long.MIN_VALUE, Long.MAX_VALUE});
        return out;
      }
      out.add(new long[] {Long.MIN_VALUE, minNanos});
      long slices = Math.max(1, (points + perWindow - 1) / perWindow);
      long span = maxNanos - minNanos + 1;
      long width = Math.max(1, span / slices + (span % slices == 0 ? 0 : 1));
      for (long from = minNanos; from <= maxNanos; from += width) {
        long to = maxNanos - from < width ? maxNanos + 1 : from + width;
        out.add(new long[] {from, to});
        if (to > maxNanos) break;
      }
      out.add(new long[] {maxNanos + 1, Long.MAX_VALUE});
      return out;
    }
  }

  /**
   * Whether numbers arrive with their exact kind (a float 1.0 as a float, an integer 1 as an
   * integer). Where they do not (InfluxDB 1.x JSON writes the float 1.0 as {@code 1}; CSV), read-back
   * compares numbers by value only and cannot see a float->integer type change.
   */
  default boolean exactNumericTypes() {
    return true;
  }

  /** Streams every row of {@code table}; {@code expected} may guide how it is read, never what. */
  void scan(String table, Expected expected, Consumer<ExpectedData.Point> rows) throws Exception;
}
