package io.loadchaos.target;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
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
}
