package io.loadchaos.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/** What the run wrote, regenerated on demand from batch ids (never stored). */
public interface ExpectedData {

  /** Tables the dataset writes, and the tag keys of each (tags identify a series). */
  Map<String, List<String>> tagKeysByTable();

  /**
   * Visits the points of one batch in line order (read-back counts lines from it: within a batch a
   * later line overwrites an earlier one of the same key); the point object may be reused after the call.
   */
  void forEachPoint(long batchId, Consumer<Point> visitor);

  /**
   * A point as the checkers see it: the series key is {@code k1=v1,k2=v2} with sorted keys.
   * {@code overwrites}: the generator repeats the (series, timestamp) of an earlier point on purpose
   * (overwrite datasets); read-back then judges that series point by point, never by aggregates.
   */
  record Point(String table, String seriesKey, long timestampNanos, Map<String, Object> fields, boolean overwrites) {

    /** A point that is the only write of its key (what every reader returns). */
    public Point(String table, String seriesKey, long timestampNanos, Map<String, Object> fields) {
      this(table, seriesKey, timestampNanos, fields, false);
    }

    /**
     * A point from its tags (any order), timestamp and fields (Long, Double, Boolean or String
     * values; integral numbers compare equal whatever their Java type).
     */
    public static Point of(String table, Map<String, String> tags, long timestampNanos, Map<String, Object> fields) {
      StringBuilder key = new StringBuilder();
      new TreeMap<>(tags).forEach((k, v) -> key.append(key.length() == 0 ? "" : ",").append(k).append('=').append(v));
      return new Point(table, key.toString(), timestampNanos, fields);
    }

    /** The value of one tag, read from the series key. */
    public Optional<String> tag(String key) {
      String prefix = key + "=";
      int from = seriesKey.startsWith(prefix) ? 0 : seriesKey.indexOf("," + prefix);
      if (from < 0) return Optional.empty();
      if (from > 0) from++;
      int end = seriesKey.indexOf(',', from + prefix.length());
      return Optional.of(seriesKey.substring(from + prefix.length(), end < 0 ? seriesKey.length() : end));
    }
  }
}
