package io.loadchaos.refcluster.influxql;

import io.loadchaos.refcluster.catalog.TableSnapshot;
import io.loadchaos.refcluster.lp.FieldType;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** The tags and typed fields of one measurement (a table of the catalog), sorted by name. */
public record MeasurementSchema(String name, SortedSet<String> tags, SortedMap<String, FieldType> fields) {

  public static MeasurementSchema of(TableSnapshot t) {
    SortedSet<String> tags = new TreeSet<>();
    SortedMap<String, FieldType> fields = new TreeMap<>();
    for (Map.Entry<String, String> c : t.columns().entrySet()) {
      if (c.getValue().equals(TableSnapshot.TAG)) {
        tags.add(c.getKey());
      } else {
        fields.put(c.getKey(), FieldType.valueOf(c.getValue()));
      }
    }
    return new MeasurementSchema(t.table(), tags, fields);
  }

  boolean isTag(String name) {
    return tags.contains(name);
  }

  boolean isField(String name) {
    return fields.containsKey(name);
  }
}
