package io.loadchaos.refcluster.lp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LineProtocolParserTest {

  @Test
  void parsesEscapesTypesAndSortsTags() {
    ParseResult r = LineProtocolParser.parse(
        "my\\ meas,zone=a\\,b,host=h\\=1 f=1.5,i=-3i,u=7u,s=\"say \\\"hi\\\" \\\\ ok\",b=t,B=FALSE 1700000000000000000\n", Precision.NANOSECOND, 0);
    assertThat(r.errors()).isEmpty();
    Point p = r.points().get(0);
    assertThat(p.measurement()).isEqualTo("my meas");
    assertThat(p.tagKeys()).containsExactly("host", "zone");
    assertThat(p.tagValues()).containsExactly("h=1", "a,b");
    assertThat(p.fieldNames()).containsExactly("f", "i", "u", "s", "b", "B");
    assertThat(p.fieldTypes()).containsExactly(FieldType.FLOAT, FieldType.INTEGER, FieldType.UINTEGER, FieldType.STRING, FieldType.BOOLEAN, FieldType.BOOLEAN);
    assertThat(p.fieldValues()).containsExactly(1.5, -3L, 7L, "say \"hi\" \\ ok", true, false);
    assertThat(p.timeNs()).isEqualTo(1_700_000_000_000_000_000L);
  }

  @Test
  void roundTripsThroughTheWriter() {
    String in = "m\\,x,t\\ k=v\\=1 a=1.25,b=2i,c=\"q\\\"\\\\\",d=f 42\n";
    Point p = LineProtocolParser.parse(in, Precision.NANOSECOND, 0).points().get(0);
    StringBuilder sb = new StringBuilder();
    LineProtocolWriter.appendPoint(sb, p);
    Point again = LineProtocolParser.parse(sb.toString(), Precision.NANOSECOND, 0).points().get(0);
    assertThat(again.seriesKey()).isEqualTo(p.seriesKey());
    assertThat(again.fieldValues()).containsExactly(p.fieldValues());
    assertThat(again.fieldTypes()).containsExactly(p.fieldTypes());
    assertThat(again.timeNs()).isEqualTo(42);
  }

  @Test
  void reportsEachBadLineWithItsNumberAndKeepsTheGoodOnes() {
    ParseResult r = LineProtocolParser.parse(
        "# comment\ngood v=1 1\n\nnofields 1\nm v=1i2 1\nm v=\"open 1\nm,t= v=1\nm v=1 notatime\nm v=abc\n  good2 v=2 2\r\n", Precision.NANOSECOND, 0);
    assertThat(r.points()).extracting(Point::measurement).containsExactly("good", "good2");
    assertThat(r.lineNumberOf(1)).isEqualTo(10);
    assertThat(r.errors()).extracting(LineError::lineNumber).containsExactly(4, 5, 6, 7, 8, 9);
    assertThat(r.errors().get(0).message()).contains("field '1': expected '='");
    assertThat(r.errors().get(1).message()).contains("invalid float value '1i2'");
    assertThat(r.errors().get(2).message()).contains("unterminated string");
    assertThat(r.errors().get(3).message()).contains("tag 't': empty value");
    assertThat(r.errors().get(4).message()).contains("invalid timestamp 'notatime'");
    assertThat(r.errors().get(5).message()).contains("invalid value 'abc'");
    assertThat(r.errors().get(1).originalLine()).isEqualTo("m v=1i2 1");
  }

  @Test
  void appliesPrecisionAndDefaultTime() {
    assertThat(LineProtocolParser.parse("m v=1 1700000000", Precision.SECOND, 0).points().get(0).timeNs()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(LineProtocolParser.parse("m v=1 1700000000123", Precision.AUTO, 0).points().get(0).timeNs()).isEqualTo(1_700_000_000_123_000_000L);
    assertThat(LineProtocolParser.parse("m v=1 1700000000", Precision.AUTO, 0).points().get(0).timeNs()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(LineProtocolParser.parse("m v=1", Precision.SECOND, 77).points().get(0).timeNs()).isEqualTo(77);
    assertThat(Precision.parse("ms", Precision.NANOSECOND)).isEqualTo(Precision.MILLISECOND);
    assertThat(Precision.parse("u", Precision.NANOSECOND)).isEqualTo(Precision.MICROSECOND);
  }

  @Test
  void fastDecimalPathAgreesWithDoubleParseDouble() {
    Random r = new Random(42);
    for (int i = 0; i < 200_000; i++) {
      StringBuilder sb = new StringBuilder();
      if (r.nextBoolean()) {
        sb.append('-');
      }
      sb.append(r.nextInt(1_000_000));
      if (r.nextBoolean()) {
        sb.append('.');
        int n = r.nextInt(10);
        for (int k = 0; k < n; k++) {
          sb.append(r.nextInt(10));
        }
      }
      String v = sb.toString();
      Point p = LineProtocolParser.parse("m f=" + v, Precision.NANOSECOND, 0).points().get(0);
      assertThat((Double) p.fieldValues()[0]).as(v).isEqualTo(Double.parseDouble(v));
    }
    assertThat(LineProtocolParser.parse("m f=1e3,g=.5,h=5.,k=-0.0", Precision.NANOSECOND, 0).points().get(0).fieldValues())
        .containsExactly(1000.0, 0.5, 5.0, -0.0);
    assertThat(LineProtocolParser.parse("m f=-", Precision.NANOSECOND, 0).errors()).hasSize(1);
    assertThat(LineProtocolParser.parse("m f=.", Precision.NANOSECOND, 0).errors()).hasSize(1);
  }
}
