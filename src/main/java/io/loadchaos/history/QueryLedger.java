package io.loadchaos.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The answers of a run's queries, next to the {@link History}: which template, through which
 * node, when, whether it was answered, and the aggregate values per group it returned. One entry
 * per query (a few groups each), so memory grows with queries, never with points. Saved as
 * {@code queries.jsonl} in the run folder, one answer per line.
 */
public final class QueryLedger {
  public static final String FILE = "queries.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private final List<Answer> answers = new ArrayList<>();

  /** One aggregate row: the group's key ("" when the query has no GROUP BY), its count and sum (null: not asked). */
  public record Group(String key, long count, Long sum) {}

  /**
   * One query. {@code answered}: the node returned a result ({@code error} is null); otherwise the
   * error it failed with. {@code problem}: the result could not be read as the template's
   * aggregates (a missing column, a non-numeric count); {@code groups} is then empty.
   * {@code finalRound}: asked after heal and settle, when no write was in flight.
   */
  public record Answer(String template, String kind, int node, String nodeId, long startMicros, long endMicros,
      boolean answered, int status, String error, String problem, List<Group> groups, boolean finalRound) {
    public Answer {
      groups = groups == null ? List.of() : List.copyOf(groups);
    }

    public static Answer error(String template, OpKind kind, int node, String nodeId, long start, long end, int status,
        String error, boolean finalRound) {
      return new Answer(template, kind.label(), node, nodeId, start, end, false, status, error, null, List.of(), finalRound);
    }

    public static Answer of(String template, OpKind kind, int node, String nodeId, long start, long end, String problem,
        List<Group> groups, boolean finalRound) {
      return new Answer(template, kind.label(), node, nodeId, start, end, true, 200, null, problem, groups, finalRound);
    }
  }

  public synchronized void add(Answer a) {
    answers.add(a);
  }

  public synchronized List<Answer> answers() {
    return List.copyOf(answers);
  }

  /** Forgets the final round's answers (a re-check asks its own). */
  public synchronized void dropFinalRound() {
    answers.removeIf(Answer::finalRound);
  }

  public synchronized int size() {
    return answers.size();
  }

  /** Writes every answer to {@code file} atomically (temp file + rename). */
  public void save(Path file) throws IOException {
    List<Answer> snapshot = answers();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp)) {
      for (Answer a : snapshot) {
        w.write(JSON.writeValueAsString(a));
        w.newLine();
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads a ledger written by {@link #save}; an absent file (a run from before the ledger) is empty. */
  public static QueryLedger load(Path file) throws IOException {
    QueryLedger l = new QueryLedger();
    if (!Files.isRegularFile(file)) return l;
    try (BufferedReader r = Files.newBufferedReader(file)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) continue;
        try {
          l.add(JSON.readValue(line, Answer.class));
        } catch (IOException e) {
          throw new IOException(file + ":" + n + ": " + e.getMessage(), e);
        }
      }
    }
    return l;
  }
}
