package io.loadchaos.refcluster.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.refcluster.lp.LineProtocolParser;
import io.loadchaos.refcluster.lp.Point;
import io.loadchaos.refcluster.lp.Precision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shuffle-values defect moves whole field sets between a series' timestamps and nothing else. */
class RotateValuesTest {

  @Test
  void eachSeriesTakesItsNextPointsFieldsAndKeepsItsTimestampsAndTags() {
    String lp = "m,h=a v=1i,s=\"x\" 10\nm,h=b v=7i 11\nm,h=a v=2i 20\nm,h=a v=3i,f=0.5 30\n";
    List<Point> in = LineProtocolParser.parse(lp, Precision.NANOSECOND, 0).points();
    List<Point> out = WriteCoordinator.rotateValues(in);
    assertThat(out).extracting(Point::seriesKey).containsExactly("m,h=a", "m,h=b", "m,h=a", "m,h=a");
    assertThat(out).extracting(Point::timeNs).containsExactly(10L, 11L, 20L, 30L);
    assertThat(out).extracting(p -> List.of(p.fieldNames())).containsExactly(List.of("v"), List.of("v"), List.of("v", "f"),
        List.of("v", "s"));
    assertThat(out).extracting(p -> List.of(p.fieldValues())).containsExactly(List.of(2L), List.of(7L), List.of(3L, 0.5),
        List.of(1L, "x"));
  }
}
