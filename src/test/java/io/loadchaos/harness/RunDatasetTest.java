package io.loadchaos.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.config.RunConfig;
import io.loadchaos.datagen.FieldSpec;
import io.loadchaos.datagen.FieldType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dataset a run writes, and that check --run regenerates from run.json's knobs. */
class RunDatasetTest {

  private static RunConfig config(Map<String, String> knobs) {
    return RunConfig.resolve(k -> knobs.get(k.substring("loadchaos.".length())), e -> null, Map.of());
  }

  @Test
  void fieldTypesNoUnsignedTurnsUnsignedFieldsIntoIntegers() {
    var ds = Run.datasetOf(config(Map.of("dataset", "devops", "fieldTypes", "no-unsigned")));
    assertThat(ds.points()).isEmpty();
    FieldSpec free = ds.tables().get(1).fields().stream().filter(f -> f.name().equals("free")).findFirst().orElseThrow();
    assertThat(free.type()).isEqualTo(FieldType.INTEGER);
  }

  @Test
  void aRunJsonWithoutTheKnobMeansAllTypes() {
    var ds = Run.datasetOf(config(Map.of("dataset", "devops")));
    assertThat(ds.tables().get(1).fields()).extracting(FieldSpec::type).contains(FieldType.UNSIGNED);
  }

  @Test
  void aBadValueNamesTheKnob() {
    assertThatThrownBy(() -> config(Map.of("fieldTypes", "no-uint")))
        .hasMessageContaining("-Dloadchaos.fieldTypes='no-uint': expected one of all, no-unsigned");
  }
}
