package io.loadchaos.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZipfTest {

  @Test
  void samplerFollowsTheZipfLaw() {
    int n = 1000;
    double s = 1.2;
    var sampler = new ZipfSampler(n, s);
    long[] counts = new long[n + 1];
    int samples = 400_000;
    for (int i = 0; i < samples; i++) {
      long k = sampler.sample(Mix.at(12345, i));
      assertThat(k).isBetween(1L, (long) n);
      counts[(int) k]++;
    }
    double harmonic = 0;
    for (int k = 1; k <= n; k++) {
      harmonic += Math.pow(k, -s);
    }
    for (int k : new int[] {1, 2, 3, 10}) {
      double expected = Math.pow(k, -s) / harmonic;
      assertThat((double) counts[k] / samples).as("P(%d)", k).isCloseTo(expected, within(expected * 0.05));
    }
  }

  @Test
  void tinyAndHugeCardinalitiesStayInRange() {
    for (long n : new long[] {1, 2, 3, 10_000_000_000L}) {
      for (double s : new double[] {0.5, 1.0, 2.5}) {
        var sampler = new ZipfSampler(n, s);
        long ones = 0;
        for (int i = 0; i < 10_000; i++) {
          long k = sampler.sample(Mix.at(n * 31 + (long) (s * 10), i));
          assertThat(k).isBetween(1L, n);
          ones += k == 1 ? 1 : 0;
        }
        if (n <= 3) {
          assertThat(ones).as("n=%d s=%s", n, s).isGreaterThanOrEqualTo(10_000 / n);
        }
      }
    }
  }

  @Test
  void zipfTagValuesAreSkewedInTheGeneratedData() {
    DatasetSpec spec = DatasetSpec.builtin("edge-cases").withPoints(100_000);
    var gen = TestData.gen(spec, 1, 1, 10_000);
    Map<String, Long> customers = new HashMap<>();
    Map<String, Long> regions = new HashMap<>();
    for (long s = 0; s < gen.batchCount(0); s++) {
      gen.forEachPoint(0, s, p -> {
        if (p.table().equals("skewed")) {
          customers.merge(p.tags().get("customer"), 1L, Long::sum);
          regions.merge(p.tags().get("region"), 1L, Long::sum);
        }
      });
    }
    long total = customers.values().stream().mapToLong(Long::longValue).sum();
    // the hottest customer takes far more than the uniform 1/1000 share
    assertThat(customers.get("cust-0")).isGreaterThan(total / 10);
    assertThat((double) customers.get("cust-0") / customers.get("cust-1")).isCloseTo(Math.pow(2, 1.2), within(0.25));
    // the uniform tag is flat
    assertThat(regions).hasSize(5);
    regions.values().forEach(c -> assertThat((double) c / total).isCloseTo(0.2, within(0.02)));
  }
}
