package io.loadchaos.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class LineProtocolRoundTripTest {
  static final List<String> BUILTINS = DatasetSpec.BUILTINS;

  @Test
  void strictParserHandlesEveryEscapeRuleAndRejectsAmbiguousLines() {
    var line = StrictLineProtocolParser.parse(
        "m\\ x\\,y=z,k\\ \\,\\==v\\ \\,\\= f\\=\\,\\ 1=1.5,i=-3i,u=7u,b=true,s=\"q\\\"b\\\\\" 123");
    assertThat(line.measurement()).isEqualTo("m x,y=z");
    assertThat(line.tags()).containsExactly(Map.entry("k ,=", "v ,="));
    assertThat(line.fields()).containsExactly(Map.entry("f=, 1", 1.5), Map.entry("i", -3L), Map.entry("u", 7L),
        Map.entry("b", true), Map.entry("s", "q\"b\\"));
    assertThat(line.timestamp()).isEqualTo(123);
    assertThatThrownBy(() -> StrictLineProtocolParser.parse("m,t= f=1 1")).hasMessageContaining("empty tag");
    assertThatThrownBy(() -> StrictLineProtocolParser.parse("m,t=a\\b f=1 1")).hasMessageContaining("stray backslash");
    assertThatThrownBy(() -> StrictLineProtocolParser.parse("m f=\"a\\x\" 1")).hasMessageContaining("bad escape");
    assertThatThrownBy(() -> StrictLineProtocolParser.parse("m f=NaN 1")).hasMessageContaining("not a float");
    assertThatThrownBy(() -> StrictLineProtocolParser.parse("m,t=a b f=1 1")).hasMessageContaining("expected '='");
  }

  @ParameterizedTest
  @FieldSource("BUILTINS")
  void everyLineOfEveryBuiltinSpecParsesBackToTheGeneratedPoint(String name) {
    DatasetSpec spec = DatasetSpec.builtin(name);
    spec = spec.withPoints(Math.min(spec.points().orElse(40_000), 40_000));
    var gen = TestData.gen(spec, 7, 3, 997);
    long lines = 0;
    for (int w = 0; w < 3; w++) {
      for (long s = 0; s < gen.batchCount(w); s++) {
        var parsed = StrictLineProtocolParser.parseAll(gen.batch(w, s));
        var expected = TestData.points(gen, w, s);
        assertThat(parsed).hasSize(expected.size());
        for (int j = 0; j < parsed.size(); j++) {
          var got = parsed.get(j);
          var want = expected.get(j);
          assertThat(got.measurement()).isEqualTo(want.table());
          assertThat(got.tags()).isEqualTo(want.tags());
          assertThat(got.fields()).isEqualTo(want.fields());
          assertThat(got.timestamp() * spec.precisionNanos()).isEqualTo(want.nanos());
        }
        lines += parsed.size();
      }
    }
    assertThat(lines).isEqualTo(spec.points().getAsLong());
  }

  @Test
  void edgeCaseSpecExercisesEveryEscapeRuleAndEveryType() {
    DatasetSpec spec = DatasetSpec.builtin("edge-cases").withPoints(20_000);
    var gen = TestData.gen(spec, 1, 1, 5000);
    Set<String> tagValues = new HashSet<>();
    Set<Object> strings = new HashSet<>();
    Set<FieldType> types = EnumSet.noneOf(FieldType.class);
    StringBuilder raw = new StringBuilder();
    for (long s = 0; s < gen.batchCount(0); s++) {
      byte[] body = gen.batch(0, s);
      raw.append(new String(body, StandardCharsets.UTF_8));
      for (var line : StrictLineProtocolParser.parseAll(body)) {
        tagValues.addAll(line.tags().values());
        if (line.measurement().equals("weird table,with space=eq")) {
          strings.add(line.fields().get("text"));
          assertThat(line.tags()).containsKey("tag key,with=all three");
          assertThat(line.fields()).containsKey("field key,=x");
        }
        for (Object v : line.fields().values()) {
          types.add(v instanceof Double ? FieldType.FLOAT : v instanceof Long ? FieldType.INTEGER
              : v instanceof Boolean ? FieldType.BOOLEAN : FieldType.STRING);
        }
      }
    }
    var weird = spec.tables().get(0);
    assertThat(tagValues).containsAll(weird.tags().get(0).values());
    assertThat(strings).containsExactlyInAnyOrderElementsOf(((FieldSpec.StringField) weird.fields().get(5)).values());
    assertThat(types).contains(FieldType.FLOAT, FieldType.INTEGER, FieldType.BOOLEAN, FieldType.STRING);
    // each escape is present in the raw bytes: measurement comma/space, key equals, string quote and backslash
    assertThat(raw).contains("weird\\ table\\,with\\ space=eq,", "tag\\ key\\,with\\=all\\ three=", "=trailing\\ ",
        "text=\"say \\\"hi\\\"\"", "text=\"trailing\\\\\"", "text=\"\"", "big_uint=", "u,", "i,");
  }

  @Test
  void floatsPrintExactlyAndParseToTheSameDouble() {
    var field = FieldSpec.FloatField.random("v", -1e6, 1e6, 6);
    var spec = DatasetSpec.of("floats", "ns", TimeSpec.inOrder(Duration.ofHours(-1), Duration.ofSeconds(1)),
        50_000L, List.of(TableSpec.of("t", List.of(TagSpec.sequential("s", 1000)), List.of(field))));
    var gen = TestData.gen(spec, 3, 1, 50_000);
    var parsed = StrictLineProtocolParser.parseAll(gen.batch(0, 0));
    var expected = TestData.points(gen, 0, 0);
    for (int j = 0; j < parsed.size(); j++) {
      double want = (Double) expected.get(j).fields().get("v");
      assertThat(parsed.get(j).fields().get("v")).isEqualTo(want);
      assertThat(Double.parseDouble(Double.toString(want))).isEqualTo(want);
    }
  }
}
