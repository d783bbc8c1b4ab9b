package io.loadchaos.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.history.QueryLedger.Answer;
import io.loadchaos.history.QueryLedger.Group;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryLedgerTest {
  @TempDir Path dir;

  @Test
  void answersSurviveSaveAndLoad() throws IOException {
    QueryLedger l = new QueryLedger();
    Answer ok = Answer.of("across-partitions", OpKind.QUERY_FLIGHT, 1, "2", 100, 250, null,
        List.of(new Group("host_1", 411, null), new Group("host_2", 7, 12345678901234L)), false);
    Answer err = Answer.error("one-shard", OpKind.QUERY_SQL, 0, "1", 300, 310, 503, "shard 5 has no reachable owner", false);
    Answer fin = Answer.of("all-shards", OpKind.QUERY_SQL, 2, "3", 900, 910, "no count column 'n' in [x]", List.of(), true);
    l.add(ok);
    l.add(err);
    l.add(fin);
    Path file = dir.resolve(QueryLedger.FILE);
    l.save(file);
    QueryLedger back = QueryLedger.load(file);
    assertThat(back.answers()).containsExactly(ok, err, fin);
    back.dropFinalRound();
    assertThat(back.answers()).containsExactly(ok, err);
  }

  @Test
  void aRunFromBeforeTheLedgerHasNoAnswersAndABadLineIsNamed() throws IOException {
    assertThat(QueryLedger.load(dir.resolve("absent.jsonl")).size()).isZero();
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"template\":\"a\"}\nnot json\n");
    assertThatThrownBy(() -> QueryLedger.load(bad)).isInstanceOf(IOException.class).hasMessageContaining("bad.jsonl:2:");
  }
}
