package io.loadchaos.refcluster.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast timestamp text of query answers is exactly the formatter's. */
class ResultFormatTest {

  private static void same(LocalDateTime t) {
    assertThat(ResultFormat.isoLocal(t)).as(t.toString()).isEqualTo(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t));
  }

  @Test
  void timestampsPrintAsTheIsoLocalFormatterPrintsThem() {
    same(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 0));
    same(LocalDateTime.of(2024, 1, 1, 0, 0, 1, 1));
    same(LocalDateTime.of(2024, 12, 31, 23, 59, 59, 999_999_999));
    same(LocalDateTime.of(2024, 2, 29, 9, 5, 7, 500_000_000));
    same(LocalDateTime.of(1970, 1, 1, 0, 0, 0, 120));
    same(LocalDateTime.of(0, 1, 1, 0, 0, 0, 0));
    same(LocalDateTime.of(9999, 12, 31, 23, 59, 59, 10));
    same(LocalDateTime.of(-1, 1, 1, 0, 0, 0, 0));
    same(LocalDateTime.of(10_000, 1, 1, 0, 0, 0, 1_000));
    Random r = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      int nano = switch (i % 4) {
        case 0 -> r.nextInt(1_000_000_000);
        case 1 -> r.nextInt(1_000) * 1_000_000;
        case 2 -> r.nextInt(1_000_000) * 1_000;
        default -> 0;
      };
      same(LocalDateTime.of(r.nextInt(10_000), 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60), nano));
    }
  }
}
