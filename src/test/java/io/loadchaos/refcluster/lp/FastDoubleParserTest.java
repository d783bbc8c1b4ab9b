package io.loadchaos.refcluster.lp;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FastDoubleParserTest {

  private static void check(String v) {
    byte[] b = v.getBytes(StandardCharsets.UTF_8);
    double fast = FastDoubleParser.parse(b, 0, b.length);
    if (!Double.isNaN(fast)) {
      assertThat(Double.doubleToRawLongBits(fast)).as(v).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(v)));
    }
  }

  @Test
  void agreesWithParseDoubleOnRandomDecimals() {
    Random r = new Random(7);
    int handled = 0;
    for (int i = 0; i < 1_000_000; i++) {
      StringBuilder sb = new StringBuilder();
      if (r.nextInt(4) == 0) {
        sb.append(r.nextBoolean() ? '-' : '+');
      }
      int intDigits = r.nextInt(12);
      for (int k = 0; k < intDigits; k++) {
        sb.append((char) ('0' + r.nextInt(10)));
      }
      if (r.nextBoolean()) {
        sb.append('.');
        int n = r.nextInt(20);
        for (int k = 0; k < n; k++) {
          sb.append((char) ('0' + r.nextInt(10)));
        }
      }
      if (r.nextInt(5) == 0) {
        sb.append(r.nextBoolean() ? 'e' : 'E');
        if (r.nextBoolean()) {
          sb.append(r.nextBoolean() ? '-' : '+');
        }
        sb.append(r.nextInt(r.nextBoolean() ? 30 : 330));
      }
      String v = sb.toString();
      try {
        Double.parseDouble(v);
      } catch (NumberFormatException e) {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        assertThat(FastDoubleParser.parse(b, 0, b.length)).as(v).isNaN();
        continue;
      }
      check(v);
      handled++;
    }
    assertThat(handled).isGreaterThan(500_000);
  }

  @Test
  void agreesOnShortestReprsOfRandomDoubles() {
    Random r = new Random(11);
    for (int i = 0; i < 500_000; i++) {
      double d = switch (i % 4) {
        case 0 -> r.nextDouble() * 1000;
        case 1 -> (r.nextInt(100_000)) / 7.0;
        case 2 -> Double.longBitsToDouble(r.nextLong() & 0x7FFFFFFFFFFFFFFFL);
        default -> r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
      };
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        continue;
      }
      String v = Double.toString(d);
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      double fast = FastDoubleParser.parse(b, 0, b.length);
      if (!Double.isNaN(fast)) {
        assertThat(fast).as(v).isEqualTo(d);
      }
      check(new BigDecimal(d).round(new MathContext(19)).toPlainString());
      check(new BigDecimal(d).round(new MathContext(17)).toString());
    }
  }

  @Test
  void handlesEdgesAndDeclinesTheRest() {
    for (String v : new String[] {"0", "-0", "-0.0", "+0", "0.0", ".5", "5.", "1e3", "1E+3", ".5e-2", "9007199254740993", "9007199254740992",
        "9999999999999999999", "1.7976931348623157e308", "2.2250738585072014e-308", "4.9e-324", "123456789012345678.9", "0.1", "0.3",
        "1e22", "1e23", "8.98846567431158e307", "0.000001", "1.00000000000000011102230246251565404236316680908203125"}) {
      check(v);
    }
    for (String v : new String[] {"", "-", ".", "e3", "1e", "1e+", "1.5d", "0x1p3", "1..2", "NaN", "1,2"}) {
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      assertThat(FastDoubleParser.parse(b, 0, b.length)).as(v).isNaN();
    }
    byte[] b = "15.285714285714286".getBytes(StandardCharsets.UTF_8);
    assertThat(FastDoubleParser.parse(b, 0, b.length)).isEqualTo(15.285714285714286);
  }
}
