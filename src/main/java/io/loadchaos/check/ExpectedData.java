package io.loadchaos.check;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** What the run wrote, regenerated on demand from batch ids (never stored). */
public interface ExpectedData {

  /** Tables the dataset writes, and the tag keys of each (tags identify a series). */
  Map<String, List<String>> tagKeysByTable();

  /** Visits the points of one batch; the point object may be reused after the call. */
  void forEachPoint(long batchId, Consumer<Point> visitor);

  /** A point as the checkers see it: the series key is {@code k1=v1,k2=v2} with sorted keys. */
  record Point(String table, String seriesKey, long timestampNanos, Map<String, Object> fields) {}
}
