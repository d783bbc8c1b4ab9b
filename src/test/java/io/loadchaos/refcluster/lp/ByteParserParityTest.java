package io.loadchaos.refcluster.lp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The byte[] parser gives exactly what the former String parser gave: points, errors, line numbers. */
class ByteParserParityTest {

  private static void same(String body, Precision precision) {
    ParseResult a = LegacyLineProtocolParser.parse(body, precision, 99);
    ParseResult b = LineProtocolParser.parse(body, precision, 99);
    String ctx = "body: " + body;
    assertThat(b.nonEmptyLines()).as(ctx).isEqualTo(a.nonEmptyLines());
    assertThat(b.errors()).as(ctx).isEqualTo(a.errors());
    assertThat(b.points()).as(ctx).hasSameSizeAs(a.points());
    for (int i = 0; i < a.points().size(); i++) {
      Point p = a.points().get(i);
      Point q = b.points().get(i);
      assertThat(q.measurement()).as(ctx).isEqualTo(p.measurement());
      assertThat(q.tagKeys()).as(ctx).containsExactly(p.tagKeys());
      assertThat(q.tagValues()).as(ctx).containsExactly(p.tagValues());
      assertThat(q.fieldNames()).as(ctx).containsExactly(p.fieldNames());
      assertThat(q.fieldTypes()).as(ctx).containsExactly(p.fieldTypes());
      assertThat(Arrays.asList(q.fieldValues())).as(ctx).isEqualTo(Arrays.asList(p.fieldValues()));
      assertThat(q.timeNs()).as(ctx).isEqualTo(p.timeNs());
      assertThat(q.seriesKey()).as(ctx).isEqualTo(p.seriesKey());
      assertThat(b.lineNumberOf(i)).as(ctx).isEqualTo(a.lineNumberOf(i));
    }
  }

  @Test
  void sameResultsOnTrickyLines() {
    String[] lines = {
        "my\\ meas,zone=a\\,b,host=h\\=1 f=1.5,i=-3i,u=7u,s=\"say \\\"hi\\\" \\\\ ok\",b=t,B=FALSE 1700000000000000000",
        "m\\,x,t\\ k=v\\=1 a=1.25,b=2i,c=\"q\\\"\\\\\",d=f 42", "# comment", "", "   ", "\t m v=1 1", "m v=1 1\r", "m v=1i2 1",
        "m v=\"open 1", "m,t= v=1", "m v=1 notatime", "m v=abc", "nofields 1", "m", "m,", "m, v=1", "m,t v=1", "m,time=1 v=1",
        "m time=1", "m v=1,v=2i,w=3 5", "m v=1,w=2,v=\"x\" 5", "m,b=2,a=1,c=3 v=1", "m,a=1,a=2 v=1", "m v=1  2  ", "m v=1 2 3",
        "m v=1x 2", "m v=", "m v=,w=1", "m  v=1", "m v=1,", "m v=1,=2", "m v=-", "m v=.", "m v=+.5", "m v=1e3,w=1E-3,x=.5e2",
        "m v=1.5d", "m v=0x1p3", "m v=NaN", "m v=+Infinity", "m v=1e400", "m v=1e-400", "m v=9223372036854775807i",
        "m v=9223372036854775808i", "m v=-9223372036854775808i", "m v=18446744073709551615u", "m v=18446744073709551616u",
        "m v=-1u", "m v=+1u", "m v=+5i", "m v=i", "m v=u", "m v=tru", "m v=True,w=TRUE,x=F,y=false", "m v=1 99999999999999999999",
        "m v=1 -5", "m v=1 +5", "m v=1 9223372036854775807", "m v=1 9223372036854775808", "m v=1 -9223372036854775808",
        "m v=1 -9223372036854775809", "m v=1 1700000000000000000", "m v=1 9999999999999999999", "m v=1 1000000000000000000",
        "m v=9223372036854775806i,w=-9223372036854775807i,x=1234567890123456789i", "m v=1 12345678901234567890", "m,é=ü v=\"ß\" 1", "mé v=1x", "m v=1é", "mé,t=1 ü=1,x=yé 2",
        "m,t=a\\b v=1", "m v=1\\ 2", "m\\ v=1", "m v=\"a\\x\"", "m v=\"\\\\\"", "m v=1 1\\", "m,t=\\ v=1", "m v=3.141592653589793238462",
        "m v=15.285714285714286,w=0.1,x=123456789012345678,y=1234567890123456789012", "m 1=1", "m,=1 v=1", "m v=\"a,b c=d\" 3",
        "m v=1\t2", "m,t=1\tv=1", "m v=٣i", "m\u00a0v=1"};
    for (String l : lines) {
      for (Precision p : new Precision[] {Precision.NANOSECOND, Precision.AUTO, Precision.SECOND}) {
        same(l, p);
        same(l + "\n", p);
      }
    }
    same(String.join("\n", lines), Precision.NANOSECOND);
    same(String.join("\r\n", lines) + "\n", Precision.AUTO);
    same("m v=1 1\n" + "x".repeat(3000) + " v=zzz", Precision.NANOSECOND);
    same("m v=1 1\n" + "é".repeat(3000) + " v=zzz", Precision.NANOSECOND);
  }

  @Test
  void sameResultsOnRandomLines() {
    Random r = new Random(3);
    String alphabet = "ab,, ==\\\\\"\"tfTFiu0123456789..-+eE#\tééü\r";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      int lines = 1 + r.nextInt(4);
      for (int l = 0; l < lines; l++) {
        if (r.nextBoolean()) {
          // a plausible line with random damage
          sb.append("m").append(r.nextInt(3)).append(",h=").append(r.nextInt(3)).append(" v=").append(r.nextInt(100) / 7.0).append(",w=")
              .append(r.nextInt(10)).append(r.nextBoolean() ? "i" : "").append(" ").append(r.nextInt(1000));
          if (r.nextInt(3) == 0) {
            sb.insert(r.nextInt(sb.length() + 1), alphabet.charAt(r.nextInt(alphabet.length())));
          }
        } else {
          int n = r.nextInt(30);
          for (int k = 0; k < n; k++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
          }
        }
        sb.append('\n');
      }
      same(sb.toString(), i % 2 == 0 ? Precision.NANOSECOND : Precision.AUTO);
    }
  }

  @Test
  void sameResultsOnBenchData() {
    StringBuilder sb = new StringBuilder();
    for (int n = 0; n < 2000; n++) {
      sb.append("cpu,host=host-").append(n % 100).append(",region=r").append(n % 5).append(",dc=dc1 usage_user=").append((n % 1000) / 10.0)
          .append(",usage_system=").append((n % 777) / 7.0).append(",procs=").append(n % 300).append("i,ok=t ").append(1_700_000_000_000_000_000L + n)
          .append('\n');
    }
    same(sb.toString(), Precision.NANOSECOND);
    // a second parse on the same thread reuses the interned tokens
    ParseResult a = LineProtocolParser.parse(sb.toString(), Precision.NANOSECOND, 0);
    ParseResult b = LineProtocolParser.parse(sb.toString(), Precision.NANOSECOND, 0);
    assertThat(b.points().get(0).tagValues()[0]).isSameAs(a.points().get(0).tagValues()[0]);
    assertThat(a.points().get(1).fieldNames()).isSameAs(a.points().get(0).fieldNames());
  }
}
