package io.loadchaos.refcluster.lp;

/**
 * One parsed line: tags are sorted by key (so the series key is canonical), time is in nanoseconds.
 * Field values are Double, Long (INTEGER and UINTEGER, the latter as unsigned bits), String or Boolean.
 * The arrays are shared between points of a batch with the same tags or field layout (and by the
 * stored rows): never modify them.
 */
public record Point(
    String measurement,
    String[] tagKeys,
    String[] tagValues,
    String[] fieldNames,
    FieldType[] fieldTypes,
    Object[] fieldValues,
    long timeNs) {

  /** Canonical series identity: measurement plus sorted tags, escaped as in line protocol. */
  public String seriesKey() {
    StringBuilder sb = new StringBuilder(64);
    LineProtocolWriter.appendSeriesKey(sb, measurement, tagKeys, tagValues);
    return sb.toString();
  }

  public String tag(String key) {
    for (int i = 0; i < tagKeys.length; i++) {
      if (tagKeys[i].equals(key)) {
        return tagValues[i];
      }
    }
    return null;
  }

  public int fieldCount() {
    return fieldNames.length;
  }
}
