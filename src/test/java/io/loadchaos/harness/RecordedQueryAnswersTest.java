package io.loadchaos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.check.QueryCorrectnessCheck;
import io.loadchaos.config.Knobs;
import io.loadchaos.config.RunConfig;
import io.loadchaos.datagen.BatchId;
import io.loadchaos.datagen.DatasetSpec;
import io.loadchaos.datagen.GeneratorConfig;
import io.loadchaos.datagen.LineProtocolGenerator;
import io.loadchaos.history.History;
import io.loadchaos.history.QueryLedger;
import io.loadchaos.history.QueryLedger.Answer;
import io.loadchaos.history.QueryLedger.Group;
import io.loadchaos.report.ResultsJson;
import io.loadchaos.target.QueryApi;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The answers a real run recorded (QueryAcrossHashPartitionsSimulation on a healthy reference
 * cluster: 28 load queries over HTTP and Flight, 18 in the final round, its history and run.json)
 * pass; the same answers with one value altered by one fail, naming the answer and the group.
 */
class RecordedQueryAnswersTest {
  private History history;
  private List<Answer> answers;
  private QueryCorrectnessCheck check;

  @BeforeEach
  void loadTheRecordedRun() throws Exception {
    Path dir = Path.of(getClass().getResource("recorded-queries").toURI());
    RunManifest m = ResultsJson.mapper().readValue(dir.resolve("run.json").toFile(), RunManifest.class);
    Map<String, String> knobs = m.knobs();
    RunConfig config = RunConfig.resolve(k -> knobs.get(k.substring("loadchaos.".length())), e -> null, Map.of());
    DatasetSpec dataset = Run.datasetOf(config);
    LineProtocolGenerator gen = new LineProtocolGenerator(dataset, new GeneratorConfig(config.get(Knobs.SEED),
        config.get(Knobs.WRITERS), config.get(Knobs.BATCH_SIZE), m.anchorEpochNanos()));
    DatagenQueryPoints points = new DatagenQueryPoints(gen);
    var templates = QueryTemplates.of(dataset, points, "cpu", "host", BatchId.of(0, 0), QueryApi.SQL);
    history = History.load(dir.resolve("history.csv"), List.of());
    answers = QueryLedger.load(dir.resolve(QueryLedger.FILE)).answers();
    check = new QueryCorrectnessCheck(QueryTemplates.meanings(templates), points, history.ops(), List.of(), 1_000_000);
  }

  @Test
  void theRecordedAnswersAreRight() {
    QueryCorrectnessCheck.Findings f = check.run(answers, true);
    assertThat(f.examples).isEmpty();
    assertThat(f.loadCompared).isEqualTo(28);
    assertThat(f.finalCompared).isEqualTo(18);
    assertThat(f.exactSums).isGreaterThan(0);
  }

  @Test
  void aFinalCountLowerByOneFails() {
    var f = check.run(alterFinal("across-partitions", "2", "host_7", g -> new Group(g.key(), g.count() - 1, g.sum())), true);
    assertThat(f.wrongAnswers).isEqualTo(1);
    assertThat(f.examples).singleElement().asString()
        .matches("across-partitions via node 2 in the final round: group host=host_7 count (\\d+) not in \\[\\d+, \\d+\\]")
        .satisfies(e -> {
          long bound = countOf("across-partitions", "2", "host_7");
          assertThat(e).endsWith("count " + (bound - 1) + " not in [" + bound + ", " + bound + "]");
        });
  }

  @Test
  void aFinalCountHigherByOneFails() {
    var f = check.run(alterFinal("shard-key-equality", "3", null, g -> new Group(g.key(), g.count() + 1, g.sum())), true);
    assertThat(f.examples).singleElement().asString().startsWith("shard-key-equality via node 3 in the final round: group host=");
  }

  @Test
  void aSumOffByOneFails() {
    var f = check.run(alterFinal("integer-sum", "1", "host_3", g -> new Group(g.key(), g.count(), g.sum() + 1)), true);
    assertThat(f.examples).singleElement().asString()
        .startsWith("integer-sum via node 1 in the final round: group host=host_3 sum(used) ")
        .endsWith("(count " + countOf("integer-sum", "1", "host_3") + " is exact)");
  }

  @Test
  void aGroupDroppingOneRowFailsEvenWithAConsistentSum() {
    // what a GROUP BY that drops one row of one group answers: one row fewer, its value missing from the sum
    var f = check.run(alterFinal("integer-sum", "2", "host_11", g -> new Group(g.key(), g.count() - 1, g.sum() - 1_000_000)), true);
    assertThat(f.examples).singleElement().asString().contains("group host=host_11 count");
  }

  @Test
  void aLoadAnswerWithAPhantomGroupFails() {
    List<Answer> out = new ArrayList<>();
    boolean[] done = {false};
    for (Answer a : answers) {
      if (!done[0] && !a.finalRound() && a.template().equals("across-partitions") && a.answered()) {
        List<Group> gs = new ArrayList<>(a.groups());
        gs.add(new Group("host_99", 1, null));
        a = new Answer(a.template(), a.kind(), a.node(), a.nodeId(), a.startMicros(), a.endMicros(), true, 200, null, null, gs, false);
        done[0] = true;
      }
      out.add(a);
    }
    assertThat(done[0]).isTrue();
    assertThat(check.run(out, true).examples).singleElement().asString()
        .contains("group host=host_99 was never written, yet returned with count 1");
  }

  private long countOf(String template, String nodeId, String group) {
    return final_(template, nodeId).groups().stream().filter(g -> g.key().equals(group)).findFirst().orElseThrow().count();
  }

  private Answer final_(String template, String nodeId) {
    return answers.stream().filter(a -> a.finalRound() && a.template().equals(template) && a.nodeId().equals(nodeId))
        .findFirst().orElseThrow();
  }

  /** The answers with one group of one final-round answer changed ({@code group} null: its first group). */
  private List<Answer> alterFinal(String template, String nodeId, String group, UnaryOperator<Group> change) {
    Answer target = final_(template, nodeId);
    List<Answer> out = new ArrayList<>();
    for (Answer a : answers) {
      if (a != target) {
        out.add(a);
        continue;
      }
      List<Group> gs = new ArrayList<>();
      boolean changed = false;
      for (Group g : a.groups()) {
        boolean hit = !changed && (group == null || g.key().equals(group));
        gs.add(hit ? change.apply(g) : g);
        changed |= hit;
      }
      assertThat(changed).as("group " + group + " in " + a).isTrue();
      out.add(new Answer(a.template(), a.kind(), a.node(), a.nodeId(), a.startMicros(), a.endMicros(), true, 200, null, null, gs, true));
    }
    return out;
  }
}
