package io.loadchaos.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecValidationTest {
  private static final String VALID = """
      name: ok
      precision: ms
      time:
        start: now-1h
        interval: 10s
        late: {ratio: 0.1, max_lateness: 5m}
      volume: {points: 1000}
      tables:
        - name: cpu
          tags:
            - {name: host, cardinality: 10, prefix: h, shard_key: true}
          fields:
            - {name: v, type: float}
      """;

  private static DatasetSpec parse(String yaml) {
    return DatasetSpec.parse(yaml, "test.yaml");
  }

  @Test
  void validSpecParses() {
    DatasetSpec spec = parse(VALID);
    assertThat(spec.name()).isEqualTo("ok");
    assertThat(spec.precision()).isEqualTo("ms");
    assertThat(spec.seriesCount()).isEqualTo(10);
    assertThat(spec.tables().get(0).shardKeys()).containsExactly("host");
    assertThat(spec.tables().get(0).fields().get(0).type()).isEqualTo(FieldType.FLOAT);
    assertThat(spec.time().startFromNow()).isEqualTo(Duration.ofHours(-1));
  }

  @Test
  void unknownFieldTypeNamesTheFieldAndTheAllowedTypes() {
    assertThatThrownBy(() -> parse(VALID.replace("type: float", "type: floot")))
        .isInstanceOf(DatasetSpecException.class)
        .hasMessageContaining("test.yaml")
        .hasMessageContaining("tables[0].fields[0].type")
        .hasMessageContaining("'floot'")
        .hasMessageContaining("allowed: float, integer, unsigned, boolean, string");
  }

  @Test
  void zeroCardinalityIsRejected() {
    assertThatThrownBy(() -> parse(VALID.replace("cardinality: 10", "cardinality: 0")))
        .hasMessageContaining("tables[0].tags[0]")
        .hasMessageContaining("cardinality must be >= 1 (got 0)");
  }

  @Test
  void negativeRatioIsRejected() {
    assertThatThrownBy(() -> parse(VALID.replace("ratio: 0.1", "ratio: -0.1")))
        .hasMessageContaining("time.late.ratio must be in [0, 1]");
  }

  @Test
  void ratiosSummingAboveOneAreRejected() {
    String yaml = VALID.replace("late: {ratio: 0.1, max_lateness: 5m}",
        "late: {ratio: 0.6, max_lateness: 5m}\n  future: {ratio: 0.3, max_ahead: 1m}\n  out_of_order: {ratio: 0.2, window: 1m}");
    assertThatThrownBy(() -> parse(yaml))
        .hasMessageContaining("out_of_order.ratio + late.ratio + future.ratio must be <= 1");
  }

  @Test
  void unknownPrecisionNamesTheAllowedValues() {
    assertThatThrownBy(() -> parse(VALID.replace("precision: ms", "precision: xs")))
        .hasMessageContaining("precision: unknown precision 'xs'; allowed: ns, us, ms, s");
  }

  @Test
  void otherMistakesNameTheirField() {
    assertThatThrownBy(() -> parse(VALID.replace("shard_key: true", "shard_keys: true")))
        .hasMessageContaining("tables[0].tags[0].shard_keys: unknown key; allowed:");
    assertThatThrownBy(() -> parse(VALID.replace("interval: 10s", "interval: 10 seconds")))
        .hasMessageContaining("time.interval: '10 seconds' is not a duration like");
    assertThatThrownBy(() -> parse(VALID.replace("interval: 10s", "interval: 1500us")))
        .hasMessageContaining("time.interval").hasMessageContaining("not a whole number of ms");
    assertThatThrownBy(() -> parse(VALID.replace("prefix: h,", "prefix: h, distribution: zipff,")))
        .hasMessageContaining("tables[0].tags[0].distribution: unknown value 'zipff'; allowed: sequential, uniform, zipf");
    assertThatThrownBy(() -> parse(VALID.replace("start: now-1h", "start: yesterday")))
        .hasMessageContaining("time.start");
    assertThatThrownBy(() -> parse(VALID.replace("{name: v, type: float}", "{name: host, type: float}")))
        .hasMessageContaining("'host' is declared twice");
    assertThatThrownBy(() -> parse(VALID.replace("name: cpu", "name: \"a\\\\b\"")))
        .hasMessageContaining("must not contain a backslash");
    assertThatThrownBy(() -> parse(VALID.replace("points: 1000", "points: 0")))
        .hasMessageContaining("volume.points must be >= 1");
    assertThatThrownBy(() -> parse("name: [unclosed")).hasMessageContaining("not valid YAML");
  }

  @Test
  void loadNamesTheFileAndResolveKnowsBuiltinsAndPaths(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, VALID.replace("precision: ms", "precision: minutes"));
    assertThatThrownBy(() -> DatasetSpec.load(bad)).hasMessageStartingWith(bad.toString() + ": precision");
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, VALID);
    assertThat(DatasetSpec.resolve(good.toString()).name()).isEqualTo("ok");
    for (String name : DatasetSpec.BUILTINS) {
      assertThat(DatasetSpec.resolve(name).name()).isEqualTo(name);
    }
    assertThat(DatasetSpec.builtin("high-cardinality").seriesCount()).isGreaterThanOrEqualTo(1_000_000);
    assertThatThrownBy(() -> DatasetSpec.builtin("nope")).hasMessageContaining("allowed: devops, iot");
    assertThatThrownBy(() -> DatasetSpec.resolve(dir.resolve("missing.yaml").toString()))
        .hasMessageContaining("neither a built-in");
  }

  @Test
  void javaBuiltSpecsAreValidatedToo() {
    assertThatThrownBy(() -> TagSpec.sequential("t", 0)).hasMessageContaining("cardinality must be >= 1");
    assertThatThrownBy(() -> TagSpec.ofValues("t", Distribution.UNIFORM, List.of("a", "")))
        .hasMessageContaining("no empty tag values");
    assertThatThrownBy(() -> TableSpec.of("t", List.of(), List.of())).hasMessageContaining("at least one field");
    var table = TableSpec.of("t", List.of(TagSpec.uniform("k", 3)), List.of(FieldSpec.FloatField.random("v", 0, 1, 2)));
    var spec = DatasetSpec.of("java", "us", TimeSpec.inOrder(Duration.ofMinutes(-5), Duration.ofSeconds(1)), 10L, List.of(table));
    assertThat(spec.seriesCount()).isEqualTo(3);
    assertThatThrownBy(() -> DatasetSpec.of("java", "minutes", spec.time(), 10L, List.of(table)))
        .hasMessageContaining("allowed: ns, us, ms, s");
  }
}
