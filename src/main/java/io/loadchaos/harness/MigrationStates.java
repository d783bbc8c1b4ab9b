package io.loadchaos.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Judges one shard's migration states from two sources: the states the harness polled itself
 * and the state history the cluster lists. The move cycle is
 * {@code Stable -> MigratingSnapshot -> MigratingWAL -> AwaitingCutover -> Stable}.
 * <ul>
 *   <li>polled: an in-order subsequence of cycles (a state too short to be polled may be missed,
 *       never reordered), and a subsequence of the history (a polled state the history lacks, or
 *       in another order, is a disagreement);</li>
 *   <li>history: Stable, then whole cycles;</li>
 *   <li>a move the harness started must have been seen leaving Stable by at least one source.</li>
 * </ul>
 */
final class MigrationStates {
  static final List<String> CYCLE = List.of("Stable", "MigratingSnapshot", "MigratingWAL", "AwaitingCutover");
  static final String CYCLE_TEXT = "Stable -> MigratingSnapshot -> MigratingWAL -> AwaitingCutover -> Stable";

  private MigrationStates() {}

  /** The judgement of one shard; {@code problem} is null when it is fine. */
  record Judgement(String shard, boolean moved, String problem, String polledText, String historyText) {
    String describe() {
      return "shard " + shard + ": polled " + polledText + ", history " + historyText + (problem == null ? "" : " -> " + problem);
    }
  }

  /** Consecutive repeats removed. */
  static List<String> collapse(List<String> states) {
    List<String> out = new ArrayList<>();
    for (String s : states) if (out.isEmpty() || !out.get(out.size() - 1).equals(s)) out.add(s);
    return out;
  }

  static Judgement judge(String shard, List<String> polledStates, List<String> historyStates, boolean startedByHarness) {
    List<String> polled = collapse(polledStates);
    List<String> history = collapse(historyStates);
    boolean polledMoving = polled.stream().anyMatch(s -> !s.equals("Stable"));
    boolean historyMoving = history.stream().anyMatch(s -> !s.equals("Stable"));
    boolean moved = polledMoving || historyMoving || startedByHarness;
    String p = polled.isEmpty() ? "nothing" : String.join(" -> ", polled);
    String h = history.isEmpty() ? "nothing" : String.join(" -> ", history);
    if (!moved) return new Judgement(shard, false, null, p, h);
    List<String> problems = new ArrayList<>();
    if (startedByHarness && !polledMoving && !historyMoving) {
      problems.add("the harness started a move but neither its polling nor the listing's history saw the shard leave Stable");
    }
    String order = outOfOrder(polled);
    if (order != null) problems.add("polled states out of order (" + order + ")");
    if (!history.isEmpty() && historyMoving && !wholeCycles(history)) problems.add("history is not Stable then whole cycles");
    if (historyMoving || !history.isEmpty()) {
      String missing = notSubsequence(polled, history);
      if (missing != null) problems.add("polling and history disagree: " + missing);
    } else if (polledMoving) {
      problems.add("the listing has no history for a shard the harness saw moving");
    }
    return new Judgement(shard, true, problems.isEmpty() ? null : String.join("; ", problems), p, h);
  }

  /** Null when every transition moves forward in the cycle (or completes it at Stable), else the first bad one. */
  static String outOfOrder(List<String> polled) {
    for (int i = 0; i < polled.size(); i++) {
      if (!CYCLE.contains(polled.get(i))) return "unknown state " + polled.get(i);
      if (i == 0) continue;
      int a = CYCLE.indexOf(polled.get(i - 1));
      int b = CYCLE.indexOf(polled.get(i));
      // forward within a move, or back to Stable (the cutover completed, later states unseen)
      if (b <= a && b != 0) return polled.get(i - 1) + " -> " + polled.get(i);
    }
    return null;
  }

  static boolean wholeCycles(List<String> history) {
    if (!history.get(0).equals("Stable") || (history.size() - 1) % CYCLE.size() != 0) return false;
    for (int i = 1; i < history.size(); i++) if (!history.get(i).equals(CYCLE.get(i % CYCLE.size()))) return false;
    return true;
  }

  /**
   * Null when {@code polled} is a subsequence of {@code history}; else which polled state the
   * history lacks at that point. A leading Stable polled before the listing's first entry is
   * matched by the history's initial Stable.
   */
  static String notSubsequence(List<String> polled, List<String> history) {
    int j = 0;
    for (int i = 0; i < polled.size(); i++) {
      String s = polled.get(i);
      while (j < history.size() && !history.get(j).equals(s)) j++;
      if (j == history.size()) {
        return "polled " + s + (i == 0 ? "" : " after " + String.join(" -> ", polled.subList(0, i))) + " is not in the history in that order";
      }
      j++;
    }
    return null;
  }

  /** Statuses of one shard from the harness's polled records, in time order. */
  static List<String> polledStatuses(String shard, List<Map<String, Object>> records) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> r : records) if (shard.equals(r.get("shard"))) out.add(String.valueOf(r.get("status")));
    return out;
  }
}
