package io.loadchaos.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.check.ExpectedData;
import io.loadchaos.harness.DatagenExpectedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code fieldTypes=no-unsigned}: unsigned fields written as signed integers, same values, same determinism. */
class FieldTypesTest {
  // the built-in specs' unsigned fields, preceded by the separator before a field key
  private static final Pattern UNSIGNED_FIELD = Pattern.compile("([ ,])(free|big_uint|memory_bytes)=(\\d+)u(?=[ ,])");
  private static final Pattern ANY_UNSIGNED_TOKEN = Pattern.compile("=\\d+u(?=[ ,\\n])");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"devops", "edge-cases", "high-cardinality"})
  void noUnsignedWritesTheSameValuesWithTheIntegerSuffix(String name) throws Exception {
    DatasetSpec all = DatasetSpec.builtin(name).withPoints(6_000);
    DatasetSpec signed = all.withFieldTypes(FieldTypes.NO_UNSIGNED);
    assertThat(signed.tables().stream().flatMap(t -> t.fields().stream()).map(FieldSpec::type))
        .doesNotContain(FieldType.UNSIGNED).contains(FieldType.INTEGER);
    var genAll = TestData.gen(all, 11, 3, 700);
    var genSigned = TestData.gen(signed, 11, 3, 700);
    long replaced = 0;
    for (int w = 0; w < 3; w++) {
      for (long s = 0; s < genAll.batchCount(w); s++) {
        String withU = new String(genAll.batch(w, s), StandardCharsets.UTF_8);
        String withI = new String(genSigned.batch(w, s), StandardCharsets.UTF_8);
        assertThat(ANY_UNSIGNED_TOKEN.matcher(withI).find()).as("a u suffix in " + name).isFalse();
        // byte for byte the same line protocol but for u -> i at the unsigned fields
        Matcher m = UNSIGNED_FIELD.matcher(withU);
        StringBuilder expected = new StringBuilder();
        while (m.find()) {
          m.appendReplacement(expected, "$1$2=$3i");
          replaced++;
        }
        m.appendTail(expected);
        assertThat(withI).isEqualTo(expected.toString());
        // the typed values are equal (the strict parser reads 5i and 5u as the same Long)
        var a = StrictLineProtocolParser.parseAll(withU.getBytes(StandardCharsets.UTF_8));
        var b = StrictLineProtocolParser.parseAll(withI.getBytes(StandardCharsets.UTF_8));
        for (int j = 0; j < a.size(); j++) assertThat(b.get(j).fields()).isEqualTo(a.get(j).fields());
      }
    }
    assertThat(replaced).as("unsigned values in the output").isPositive();
  }

  @Test
  void theExpectedDataOfReadBackIsWhatWasWritten() {
    DatasetSpec spec = DatasetSpec.builtin("devops").unbounded().withFieldTypes(FieldTypes.NO_UNSIGNED);
    var gen = TestData.gen(spec, 42, 4, 500);
    ExpectedData expected = new DatagenExpectedData(spec, gen);
    int mem = 0;
    for (int w = 0; w < 4; w++) {
      for (long s = 0; s < 5; s++) {
        var written = StrictLineProtocolParser.parseAll(gen.batch(w, s));
        List<ExpectedData.Point> points = new ArrayList<>();
        expected.forEachPoint(BatchId.of(w, s), points::add);
        assertThat(points).hasSize(written.size());
        for (int j = 0; j < written.size(); j++) {
          var line = written.get(j);
          var p = points.get(j);
          assertThat(p.table()).isEqualTo(line.measurement());
          assertThat(p.timestampNanos()).isEqualTo(line.timestamp() * spec.precisionNanos());
          assertThat(p.fields()).isEqualTo(line.fields());
          if (line.measurement().equals("mem")) {
            mem++;
            assertThat(p.fields().get("free")).isInstanceOf(Long.class);
          }
        }
      }
    }
    assertThat(mem).isPositive();
  }

  @Test
  void deterministicAndEveryBatchRegeneratesAlone() throws Exception {
    DatasetSpec spec = DatasetSpec.builtin("devops").withPoints(20_000).withFieldTypes(FieldTypes.NO_UNSIGNED);
    String first = TestData.sha256(TestData.gen(spec, 5, 2, 900));
    assertThat(TestData.sha256(TestData.gen(DatasetSpec.builtin("devops").withPoints(20_000)
        .withFieldTypes(FieldTypes.NO_UNSIGNED), 5, 2, 900))).isEqualTo(first);
    assertThat(TestData.sha256(TestData.gen(DatasetSpec.builtin("devops").withPoints(20_000), 5, 2, 900)))
        .isNotEqualTo(first);
    var gen = TestData.gen(spec, 5, 2, 900);
    byte[] late = gen.batch(1, 7);
    assertThat(TestData.gen(spec, 5, 2, 900).batch(1, 7)).isEqualTo(late);
  }

  @Test
  void allKeepsTheSpecAndSpecsWithoutUnsignedFieldsAreUnchanged() {
    DatasetSpec devops = DatasetSpec.builtin("devops");
    assertThat(devops.withFieldTypes(FieldTypes.ALL)).isSameAs(devops);
    DatasetSpec iot = DatasetSpec.builtin("iot");
    assertThat(iot.tables().stream().flatMap(t -> t.fields().stream()).map(FieldSpec::type)).doesNotContain(FieldType.UNSIGNED);
    assertThat(iot.withFieldTypes(FieldTypes.NO_UNSIGNED)).isSameAs(iot);
    DatasetSpec signed = devops.withFieldTypes(FieldTypes.NO_UNSIGNED);
    assertThat(signed.name()).isEqualTo(devops.name());
    assertThat(signed.seriesCount()).isEqualTo(devops.seriesCount());
    assertThat(signed.points()).isEqualTo(devops.points());
  }

  @Test
  void parseNamesWhatItAccepts() {
    assertThat(FieldTypes.parse("no-unsigned")).isEqualTo(FieldTypes.NO_UNSIGNED);
    assertThat(FieldTypes.parse(" ALL ")).isEqualTo(FieldTypes.ALL);
    assertThatThrownBy(() -> FieldTypes.parse("no-uint")).isInstanceOf(DatasetSpecException.class)
        .hasMessage("field types: unknown value 'no-uint'; allowed: all, no-unsigned");
  }

  @Test
  void datagenCommandTakesFieldTypes() throws Exception {
    Path withU = dir.resolve("all.lp");
    Path withI = dir.resolve("signed.lp");
    assertThat(datagen("--spec", "devops", "--points", "1000", "--now", "2026-11-26T00:00:00Z", "--out", withU.toString()))
        .isZero();
    assertThat(datagen("--spec", "devops", "--points", "1000", "--now", "2026-11-26T00:00:00Z", "--field-types",
        "no-unsigned", "--out", withI.toString())).isZero();
    String u = Files.readString(withU);
    String i = Files.readString(withI);
    assertThat(u).contains(",free=").containsPattern("free=\\d+u,");
    assertThat(i).doesNotContainPattern("=\\d+u[ ,]").containsPattern("free=\\d+i,");
    assertThat(i).isEqualTo(UNSIGNED_FIELD.matcher(u).replaceAll("$1$2=$3i"));
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new DatagenCommand());
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("--spec", "devops", "--points", "10", "--field-types", "none", "--out", withI.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("field types: unknown value 'none'; allowed: all, no-unsigned");
  }

  private static int datagen(String... args) {
    return new CommandLine(new DatagenCommand()).execute(args);
  }
}
