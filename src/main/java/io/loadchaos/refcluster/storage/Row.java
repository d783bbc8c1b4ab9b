package io.loadchaos.refcluster.storage;

import io.loadchaos.refcluster.lp.FieldType;
import java.util.Arrays;

/** The fields stored for one (series, time); {@code version} decides overwrites (last write wins). */
public record Row(long version, String[] names, FieldType[] types, Object[] values) {

  /**
   * Merges two writes of the same (series, time) so every replica ends identical whatever order
   * they arrive in: fields of the higher version win, fields only one side has are kept. On equal
   * versions {@code b}, the one applied later, wins: equal versions come from one coordinator's
   * batch, whose points every owner applies in line order, so the later line wins as in InfluxDB.
   */
  static Row merge(Row a, Row b) {
    return merge(a, b, false);
  }

  /**
   * As {@link #merge(Row, Row)}; {@code staleWins} is the deliberate {@code stale-overwrite}
   * defect: the lower version wins (an inverted comparison), so an overwrite keeps the old values,
   * alike on every replica whatever the arrival order.
   */
  static Row merge(Row a, Row b, boolean staleWins) {
    Row hi = staleWins ? (a.version <= b.version ? a : b) : (a.version > b.version ? a : b);
    Row lo = hi == a ? b : a;
    int extra = 0;
    for (String n : lo.names) {
      if (indexOf(hi.names, n) < 0) {
        extra++;
      }
    }
    if (extra == 0) {
      return hi;
    }
    String[] names = Arrays.copyOf(hi.names, hi.names.length + extra);
    FieldType[] types = Arrays.copyOf(hi.types, hi.types.length + extra);
    Object[] values = Arrays.copyOf(hi.values, hi.values.length + extra);
    int k = hi.names.length;
    for (int i = 0; i < lo.names.length; i++) {
      if (indexOf(hi.names, lo.names[i]) < 0) {
        names[k] = lo.names[i];
        types[k] = lo.types[i];
        values[k] = lo.values[i];
        k++;
      }
    }
    return new Row(hi.version, names, types, values);
  }

  static int indexOf(String[] names, String n) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(n)) {
        return i;
      }
    }
    return -1;
  }
}
