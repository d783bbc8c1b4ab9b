package io.loadchaos.refcluster.lp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.refcluster.wal.WalRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PointBatchTest {

  private static void assertSamePoints(List<Point> actual, List<Point> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      Point p = expected.get(i);
      Point q = actual.get(i);
      assertThat(q.measurement()).isEqualTo(p.measurement());
      assertThat(q.tagKeys()).containsExactly(p.tagKeys());
      assertThat(q.tagValues()).containsExactly(p.tagValues());
      assertThat(q.fieldNames()).containsExactly(p.fieldNames());
      assertThat(q.fieldTypes()).containsExactly(p.fieldTypes());
      for (int k = 0; k < p.fieldValues().length; k++) {
        Object a = q.fieldValues()[k];
        Object b = p.fieldValues()[k];
        if (b instanceof Double d) {
          assertThat(Double.doubleToRawLongBits((Double) a)).isEqualTo(Double.doubleToRawLongBits(d));
        } else {
          assertThat(a).isEqualTo(b);
        }
      }
      assertThat(q.timeNs()).isEqualTo(p.timeNs());
    }
  }

  @Test
  void roundTripsEveryTypeEscapesAndUnicode() {
    String lp = "my\\ meas,zone=a\\,b,host=h\\=1 f=1.5,i=-3i,u=18446744073709551615u,s=\"say \\\"hi\\\" \\\\ ok\",b=t,B=FALSE 1700000000000000000\n"
        + "my\\ meas,zone=a\\,b,host=h\\=1 f=-0.0,i=9223372036854775807i,u=0u,s=\"\",b=f,B=T -5\n"
        + "m\u00e9,t\u00fc=\u65e5\u672c v=\"\u00df\ud83d\ude00\",w=1e300 0\n"
        + "m,a=1 x=1 9223372036854775807\n"
        + "m,a=1 y=2i -9223372036854775808\n"
        + "m v=4.9e-324,w=-1.7976931348623157e308,x=0.1,y=15.285714285714286\n";
    List<Point> points = LineProtocolParser.parse(lp, Precision.NANOSECOND, 77).points();
    assertThat(points).hasSize(6);
    assertSamePoints(PointBatch.decode(PointBatch.encode(points)), points);
    assertThat(PointBatch.count(PointBatch.encode(points))).isEqualTo(6);
    assertThat(PointBatch.decode(PointBatch.encode(List.of()))).isEmpty();
    assertThat(PointBatch.decode(new byte[0])).isEmpty();
    assertThat(PointBatch.count(new byte[0])).isZero();
  }

  @Test
  void nullValuesAreLeftOutLikeTheTextWriter() {
    Point p = new Point("m", new String[] {"t"}, new String[] {"v"}, new String[] {"a", "b", "c"},
        new FieldType[] {FieldType.FLOAT, FieldType.STRING, FieldType.INTEGER}, new Object[] {1.0, null, 3L}, 5);
    Point q = PointBatch.decode(PointBatch.encode(List.of(p))).get(0);
    assertThat(q.fieldNames()).containsExactly("a", "c");
    assertThat(q.fieldValues()).containsExactly(1.0, 3L);
  }

  @Test
  void roundTripsRandomBatchesAndSharesRepeatedLayouts() {
    Random r = new Random(5);
    for (int round = 0; round < 200; round++) {
      List<Point> points = new ArrayList<>();
      int n = r.nextInt(50);
      for (int i = 0; i < n; i++) {
        int tags = r.nextInt(3);
        String[] k = new String[tags];
        String[] v = new String[tags];
        for (int t = 0; t < tags; t++) {
          k[t] = "k" + t;
          v[t] = r.nextBoolean() ? "v" + r.nextInt(3) : "\u00e9 ,=\\" + r.nextInt(2);
        }
        int fields = 1 + r.nextInt(4);
        String[] names = new String[fields];
        FieldType[] types = new FieldType[fields];
        Object[] values = new Object[fields];
        for (int f = 0; f < fields; f++) {
          names[f] = "f" + f;
          types[f] = FieldType.values()[r.nextInt(5)];
          values[f] = switch (types[f]) {
            case FLOAT -> r.nextBoolean() ? r.nextDouble() * 1e6 : Double.longBitsToDouble(r.nextLong() & 0x7FEFFFFFFFFFFFFFL);
            case INTEGER, UINTEGER -> r.nextLong();
            case STRING -> "s\"\\" + r.nextInt(100);
            case BOOLEAN -> r.nextBoolean();
          };
        }
        points.add(new Point(r.nextInt(4) == 0 ? "other" : "m", k, v, names, types, values, r.nextLong()));
      }
      assertSamePoints(PointBatch.decode(PointBatch.encode(points)), points);
    }
    List<Point> same = LineProtocolParser.parse("m,h=a v=1 1\nm,h=a v=2 2\nm,h=b v=3 3\n", Precision.NANOSECOND, 0).points();
    List<Point> decoded = PointBatch.decode(PointBatch.encode(same));
    assertThat(decoded.get(1).tagValues()).isSameAs(decoded.get(0).tagValues());
    assertThat(decoded.get(2).fieldNames()).isSameAs(decoded.get(0).fieldNames());
  }

  @Test
  void rejectsMalformedBodies() {
    byte[] good = PointBatch.encode(LineProtocolParser.parse("m,h=a v=1,s=\"x\" 1\n", Precision.NANOSECOND, 0).points());
    assertThatThrownBy(() -> PointBatch.decode(Arrays.copyOf(good, good.length - 1))).isInstanceOf(IllegalArgumentException.class);
    byte[] bad = good.clone();
    bad[0] = 9;
    assertThatThrownBy(() -> PointBatch.decode(bad)).hasMessageContaining("version 9");
    assertThatThrownBy(() -> PointBatch.decode(Arrays.copyOf(good, good.length + 1))).hasMessageContaining("trailing");
  }

  @Test
  void walRecordKeepsItsHeaderAndGivesCanonicalText() throws Exception {
    List<Point> points = LineProtocolParser.parse("cpu,host=a\\ b usage=1.5,n=2i,s=\"q\\\"\" 10\n", Precision.NANOSECOND, 0).points();
    WalRecord r = WalRecord.of(42L, "db", "cpu", 7L << 16, points);
    WalRecord back = WalRecord.decode(r.encode());
    assertThat(back.shardId()).isEqualTo(42L);
    assertThat(back.db()).isEqualTo("db");
    assertThat(back.table()).isEqualTo("cpu");
    assertThat(back.version()).isEqualTo(7L << 16);
    assertThat(back.pointCount()).isEqualTo(1);
    assertThat(back.text()).isEqualTo("cpu,host=a\\ b usage=1.5,n=2i,s=\"q\\\"\" 10\n");
    WalRecord tomb = WalRecord.decode(new WalRecord(1L, "db", "cpu", Long.MIN_VALUE, new byte[0]).encode());
    assertThat(tomb.version()).isEqualTo(Long.MIN_VALUE);
    assertThat(tomb.decodePoints()).isEmpty();
  }
}
