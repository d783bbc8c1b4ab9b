package io.loadchaos.target;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParsingTest {

  @Test
  void prometheusSamplesAreKeptPerSeriesAndSummedPerName() {
    var m = PrometheusText.parse("""
        # HELP loadchaos_hints_pending hints
        # TYPE loadchaos_hints_pending gauge
        loadchaos_hints_pending{peer="2"} 3.0
        loadchaos_hints_pending{peer="3"} 4.0
        loadchaos_writes_total 10
        """);
    assertThat(m.get("loadchaos_hints_pending")).isEqualTo(7.0);
    assertThat(m.get("loadchaos_hints_pending{peer=\"3\"}")).isEqualTo(4.0);
    assertThat(m.get("loadchaos_writes_total")).isEqualTo(10.0);
  }

  @Test
  void rowsDecodeIntoSeriesKeyTimeAndFields() throws Exception {
    var row = new ObjectMapper().readTree("{\"time\":\"2024-01-01T00:00:01.000000002\",\"region\":\"eu\",\"host\":\"a\",\"v\":1.5,\"n\":3,\"ok\":true,\"s\":null}");
    var p = RowDecoder.decode("cpu", row, List.of("host", "region"));
    assertThat(p.seriesKey()).isEqualTo("host=a,region=eu");
    assertThat(p.timestampNanos()).isEqualTo(1_704_067_201_000_000_002L);
    assertThat(p.fields()).containsOnlyKeys("v", "n", "ok");
    assertThat(RowDecoder.timeNanos(new ObjectMapper().readTree("\"2024-01-01T00:00:01Z\""))).isEqualTo(1_704_067_201_000_000_000L);
    assertThat(RowDecoder.timeNanos(new ObjectMapper().readTree("17"))).isEqualTo(17L);
  }

  @Test
  void localIsoTimesDecodeLikeJavaTime() {
    var rnd = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      long nanos = rnd.nextLong() % 4_000_000_000_000_000_000L;
      var t = LocalDateTime.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), (int) Math.floorMod(nanos, 1_000_000_000L),
          ZoneOffset.UTC);
      // ISO_LOCAL_DATE_TIME prints 0, 3, 6 or 9 fraction digits: trim further to cover 1..9
      String text = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
      if (text.contains(".") && rnd.nextBoolean()) text = text.replaceAll("0+$", "");
      if (text.endsWith(".")) text = text.substring(0, text.length() - 1);
      if (t.getYear() < 0 || t.getYear() > 9999) continue;
      assertThat(RowDecoder.localIsoNanos(text)).as(text).isEqualTo(nanos);
    }
    assertThat(RowDecoder.localIsoNanos("2024-01-01 00:00:01.5")).isEqualTo(1_704_067_201_500_000_000L);
    // anything else is left to java.time (zones, offsets, impossible dates)
    assertThat(RowDecoder.localIsoNanos("2024-01-01T00:00:01Z")).isEqualTo(Long.MIN_VALUE);
    assertThat(RowDecoder.localIsoNanos("2024-02-30T00:00:01")).isEqualTo(Long.MIN_VALUE);
    assertThat(RowDecoder.localIsoNanos("2024-01-01T00:00:01.")).isEqualTo(Long.MIN_VALUE);
    assertThat(RowDecoder.localIsoNanos("2024-01-01T24:00:00")).isEqualTo(Long.MIN_VALUE);
  }
}
