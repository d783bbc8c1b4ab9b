package io.loadchaos.refcluster.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.refcluster.lp.FieldType;
import io.loadchaos.refcluster.lp.Point;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The compact store keeps exactly what a plain map of Row.merge results would keep. */
class ShardStoreTest {

  private static String render(Row r) {
    // field order can differ after merges; compare as a sorted map of name -> type:value plus version
    TreeMap<String, String> m = new TreeMap<>();
    for (int i = 0; i < r.names().length; i++) {
      Object v = r.values()[i];
      m.put(r.names()[i], r.types()[i] + ":" + (v instanceof Double d ? Double.doubleToRawLongBits(d) + "" : String.valueOf(v)));
    }
    return r.version() + " " + m;
  }

  @Test
  void matchesAReferenceModelUnderOverwritesAndLayoutChanges() {
    Random r = new Random(9);
    ShardStore store = new ShardStore(1, "db", "m");
    Map<String, Row> model = new HashMap<>();
    String[][] layouts = {{"a", "b"}, {"a", "b", "c"}, {"b"}, {"s", "a"}};
    FieldType[][] kinds = {{FieldType.FLOAT, FieldType.INTEGER}, {FieldType.FLOAT, FieldType.INTEGER, FieldType.BOOLEAN},
        {FieldType.INTEGER}, {FieldType.STRING, FieldType.FLOAT}};
    Series hint = null;
    for (int i = 0; i < 20_000; i++) {
      int l = r.nextInt(10) < 7 ? 0 : r.nextInt(layouts.length);
      Object[] values = new Object[layouts[l].length];
      for (int k = 0; k < values.length; k++) {
        values[k] = switch (kinds[l][k]) {
          case FLOAT -> r.nextInt(5) == 0 ? -0.0 : r.nextDouble();
          case INTEGER, UINTEGER -> r.nextLong();
          case BOOLEAN -> r.nextBoolean();
          case STRING -> "x" + r.nextInt(9);
        };
      }
      String host = "h" + r.nextInt(5);
      long time = r.nextInt(3000) * 1000L - 1_000_000L;
      long version = r.nextInt(50);
      Point p = new Point("m", new String[] {"host"}, new String[] {host}, layouts[l], kinds[l], values, time);
      hint = store.apply(p, version, r.nextBoolean() ? hint : null);
      Row row = new Row(version, layouts[l], kinds[l], values);
      model.merge(host + "@" + time, row, Row::merge);
    }
    Map<String, String> seen = new HashMap<>();
    List<String> dup = new ArrayList<>();
    store.scan(Long.MIN_VALUE, Long.MAX_VALUE, (series, time, row) -> {
      if (seen.put(series.tagValues()[0] + "@" + time, render(row)) != null) {
        dup.add(series.key() + "@" + time);
      }
    });
    assertThat(dup).isEmpty();
    assertThat(store.rowCount()).isEqualTo(model.size());
    Map<String, String> expected = new HashMap<>();
    model.forEach((k, v) -> expected.put(k, render(v)));
    assertThat(seen).isEqualTo(expected);
    int[] inRange = {0};
    store.scan(0, 500_000, (series, time, row) -> {
      assertThat(time).isBetween(0L, 500_000L);
      inRange[0]++;
    });
    assertThat(inRange[0]).isEqualTo((int) model.keySet().stream().filter(k -> {
      long t = Long.parseLong(k.substring(k.indexOf('@') + 1));
      return t >= 0 && t <= 500_000;
    }).count());
  }

  @Test
  void seriesKeyIsTheEscapedCanonicalKey() {
    ShardStore store = new ShardStore(1, "db", "my m");
    store.apply(new Point("my m", new String[] {"a b", "c"}, new String[] {"x,y", "z=1"}, new String[] {"v"},
        new FieldType[] {FieldType.FLOAT}, new Object[] {1.0}, 5), 1);
    List<String> keys = new ArrayList<>();
    store.scan(Long.MIN_VALUE, Long.MAX_VALUE, (s, t, row) -> keys.add(s.key() + " " + Arrays.toString(row.values())));
    assertThat(keys).containsExactly("my\\ m,a\\ b=x\\,y,c=z\\=1 [1.0]");
  }

  private static List<String> valuesAfter(boolean staleOverwrite, boolean olderFirst) {
    ShardStore store = new ShardStore(1, "db", "m", staleOverwrite);
    String[] names = {"v"};
    FieldType[] types = {FieldType.INTEGER};
    Point older = new Point("m", new String[] {"k"}, new String[] {"1"}, names, types, new Object[] {1L}, 5);
    Point newer = new Point("m", new String[] {"k"}, new String[] {"1"}, names, types, new Object[] {2L}, 5);
    store.apply(olderFirst ? older : newer, olderFirst ? 10 : 20);
    store.apply(olderFirst ? newer : older, olderFirst ? 20 : 10);
    List<String> out = new ArrayList<>();
    store.scan(Long.MIN_VALUE, Long.MAX_VALUE, (series, time, row) -> out.add(row.version() + ":" + row.values()[0]));
    return out;
  }

  @Test
  void staleOverwriteKeepsTheOlderVersionWhateverTheArrivalOrder() {
    assertThat(valuesAfter(false, true)).containsExactly("20:2");
    assertThat(valuesAfter(false, false)).containsExactly("20:2");
    // replicas that got the two writes in different orders still agree, on the stale value
    assertThat(valuesAfter(true, true)).containsExactly("10:1");
    assertThat(valuesAfter(true, false)).containsExactly("10:1");
  }
}
