package io.loadchaos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.check.QueryMeaning;
import io.loadchaos.datagen.BatchId;
import io.loadchaos.datagen.DatasetSpec;
import io.loadchaos.datagen.GeneratorConfig;
import io.loadchaos.datagen.LineProtocolGenerator;
import io.loadchaos.target.QueryApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The templates of the devops dataset: their text in SQL and InfluxQL, and what each one means. */
class QueryTemplatesTest {
  private static final DatasetSpec DEVOPS = DatasetSpec.resolve("devops").unbounded();
  private static final LineProtocolGenerator GEN = new LineProtocolGenerator(DEVOPS, new GeneratorConfig(42, 4, 500, 1_796_128_082_000_000_000L));

  private static Map<String, QueryTemplates.Template> of(QueryApi api) {
    List<QueryTemplates.Template> ts = QueryTemplates.of(DEVOPS, new DatagenQueryPoints(GEN), "cpu", "host", BatchId.of(0, 0), api);
    Map<String, QueryTemplates.Template> out = new LinkedHashMap<>();
    ts.forEach(t -> out.put(t.name(), t));
    return out;
  }

  @Test
  void sqlTemplatesAndTheirMeaning() {
    var t = of(QueryApi.SQL);
    assertThat(t.keySet()).containsExactly("one-shard", "all-shards", "shard-key-equality", "across-partitions", "latest-rows",
        "integer-sum");
    assertThat(t.get("across-partitions").text()).isEqualTo("SELECT \"host\", count(*) AS n FROM \"cpu\" GROUP BY \"host\"");
    assertThat(t.get("across-partitions").meaning()).isEqualTo(QueryMeaning.all("cpu").groupBy("host"));
    // the one integer field of devops small enough to sum: mem.used (0 .. 2^36)
    assertThat(t.get("integer-sum").text())
        .isEqualTo("SELECT \"host\", count(*) AS n, sum(\"used\") AS s FROM \"mem\" GROUP BY \"host\"");
    assertThat(t.get("integer-sum").meaning()).isEqualTo(QueryMeaning.all("mem").groupBy("host").sum("used"));
    QueryMeaning eq = t.get("shard-key-equality").meaning();
    assertThat(eq.equalKey()).isEqualTo("host");
    assertThat(t.get("shard-key-equality").text()).contains("WHERE \"host\" = '" + eq.equalValue() + "' GROUP BY \"host\"");
    QueryMeaning shard = t.get("one-shard").meaning();
    assertThat(shard.toNanos() - shard.fromNanos()).isEqualTo(60_000_000_000L);
    assertThat(shard.fromNanos() % 60_000_000_000L).isZero();
    assertThat(t.get("latest-rows").meaning().limit()).isEqualTo(10);
  }

  @Test
  void influxqlCountsAFieldEveryPointHasAndGroupsByTagAlone() {
    var t = of(QueryApi.INFLUXQL_V3);
    assertThat(t.get("all-shards").text()).isEqualTo("SELECT count(\"usage_user\") AS n FROM \"cpu\"");
    assertThat(t.get("across-partitions").text()).isEqualTo("SELECT count(\"usage_user\") AS n FROM \"cpu\" GROUP BY \"host\"");
    assertThat(t.get("integer-sum").text()).isEqualTo("SELECT count(\"used\") AS n, sum(\"used\") AS s FROM \"mem\" GROUP BY \"host\"");
    // the meaning does not depend on the language
    assertThat(QueryTemplates.meanings(List.copyOf(t.values()))).isEqualTo(QueryTemplates.meanings(List.copyOf(of(QueryApi.SQL).values())));
  }
}
