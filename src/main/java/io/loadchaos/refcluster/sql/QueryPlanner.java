package io.loadchaos.refcluster.sql;

import io.loadchaos.refcluster.catalog.ShardDef;
import io.loadchaos.refcluster.catalog.ShardRouter;
import io.loadchaos.refcluster.catalog.TableSnapshot;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides which shards a SQL query needs. Deliberately conservative: it only prunes when the query
 * reads one table and its text has no OR/NOT, using {@code time} comparisons with literal
 * timestamps (or {@code now() - INTERVAL '...'}) and equalities (or IN lists) on every shard key.
 * Anything it does not understand keeps the shard; DuckDB applies the real predicate afterwards.
 */
public final class QueryPlanner {
  private static final Pattern OR_NOT = Pattern.compile("(?i)\\b(OR|NOT)\\b");
  private static final Pattern SELECT = Pattern.compile("(?i)\\bSELECT\\b");
  private static final Pattern COMBINE = Pattern.compile("(?i)\\b(JOIN|UNION|INTERSECT|EXCEPT|WITH)\\b");
  private static final String TS = "(?:TIMESTAMP\\s*)?'([^']+)'";
  private static final Pattern TIME_CMP = Pattern.compile("(?i)(?<![\\w.])\"?time\"?\\s*(>=|<=|>|<|=)\\s*" + TS);
  private static final Pattern TIME_BETWEEN =
      Pattern.compile("(?i)(?<![\\w.])\"?time\"?\\s+BETWEEN\\s+" + TS + "\\s+AND\\s+" + TS);
  private static final Pattern TIME_NOW =
      Pattern.compile("(?i)(?<![\\w.])\"?time\"?\\s*(>=|>)\\s*now\\(\\)\\s*-\\s*INTERVAL\\s*'(\\d+)\\s*(second|minute|hour|day)s?'");

  private QueryPlanner() {}

  /** Inclusive time bounds in ns that every needed row satisfies. */
  public record TimeBounds(long min, long max) {
    public static final TimeBounds ALL = new TimeBounds(Long.MIN_VALUE, Long.MAX_VALUE);

    boolean overlaps(ShardDef s) {
      return s.timeEnd() > min && s.timeStart() <= max;
    }
  }

  /** Tables of the database the SQL text mentions (as a word or a quoted identifier). */
  public static List<TableSnapshot> referencedTables(String sql, List<TableSnapshot> tables) {
    List<TableSnapshot> out = new ArrayList<>();
    for (TableSnapshot t : tables) {
      Pattern p = Pattern.compile("(?i)(?<![\\w])" + Pattern.quote(t.table()) + "(?![\\w])");
      if (p.matcher(sql).find()) {
        out.add(t);
      }
    }
    return out;
  }

  /** One table, one SELECT, no OR/NOT/JOIN/UNION: every literal predicate restricts every row read. */
  public static boolean prunable(String sql, int tableCount) {
    String bare = stripStrings(sql);
    Matcher select = SELECT.matcher(bare);
    int selects = 0;
    while (select.find()) {
      selects++;
    }
    return tableCount == 1 && selects == 1 && !OR_NOT.matcher(bare).find() && !COMBINE.matcher(bare).find();
  }

  public static TimeBounds timeBounds(String sql) {
    long min = Long.MIN_VALUE;
    long max = Long.MAX_VALUE;
    Matcher m = TIME_CMP.matcher(sql);
    while (m.find()) {
      Long t = parseTime(m.group(2));
      if (t == null) {
        continue;
      }
      switch (m.group(1)) {
        case ">=":
        case ">":
          min = Math.max(min, t);
          break;
        case "<=":
        case "<":
          max = Math.min(max, t);
          break;
        default:
          min = Math.max(min, t);
          max = Math.min(max, t);
      }
    }
    m = TIME_BETWEEN.matcher(sql);
    while (m.find()) {
      Long a = parseTime(m.group(1));
      Long b = parseTime(m.group(2));
      if (a != null && b != null) {
        min = Math.max(min, a);
        max = Math.min(max, b);
      }
    }
    m = TIME_NOW.matcher(sql);
    while (m.find()) {
      long n = Long.parseLong(m.group(2));
      long unit;
      switch (m.group(3).toLowerCase(Locale.ROOT)) {
        case "second":
          unit = 1_000_000_000L;
          break;
        case "minute":
          unit = 60_000_000_000L;
          break;
        case "hour":
          unit = 3_600_000_000_000L;
          break;
        default:
          unit = 86_400_000_000_000L;
      }
      // a minute of slack for clock differences between client and node
      long t = System.currentTimeMillis() * 1_000_000L - n * unit - 60_000_000_000L;
      min = Math.max(min, t);
    }
    return new TimeBounds(min, max);
  }

  /**
   * Partitions a query can touch given equalities on the shard keys, or null when any key lacks a
   * literal equality (every partition is needed then).
   */
  public static Set<Integer> partitions(String sql, List<String> shardKeys, int numPartitions) {
    if (numPartitions <= 1 || shardKeys.isEmpty()) {
      return null;
    }
    List<List<String>> valuesPerKey = new ArrayList<>();
    for (String key : shardKeys) {
      List<String> vals = literalValues(sql, key);
      if (vals == null) {
        return null;
      }
      valuesPerKey.add(vals);
    }
    Set<Integer> out = new HashSet<>();
    combine(shardKeys, valuesPerKey, 0, new ArrayList<>(), numPartitions, out);
    return out;
  }

  private static void combine(List<String> keys, List<List<String>> vals, int i, List<String> cur, int n, Set<Integer> out) {
    if (out.size() > 4096) {
      return;
    }
    if (i == keys.size()) {
      out.add(ShardRouter.partition(keys, cur, n));
      return;
    }
    for (String v : vals.get(i)) {
      cur.add(v);
      combine(keys, vals, i + 1, cur, n, out);
      cur.remove(cur.size() - 1);
    }
  }

  private static List<String> literalValues(String sql, String key) {
    String k = "(?<![\\w.])\"?" + Pattern.quote(key) + "\"?";
    Matcher eq = Pattern.compile("(?i)" + k + "\\s*=\\s*'((?:[^']|'')*)'").matcher(sql);
    List<String> vals = new ArrayList<>();
    while (eq.find()) {
      vals.add(eq.group(1).replace("''", "'"));
    }
    Matcher in = Pattern.compile("(?i)" + k + "\\s+IN\\s*\\(([^)]*)\\)").matcher(sql);
    while (in.find()) {
      Matcher lit = Pattern.compile("'((?:[^']|'')*)'").matcher(in.group(1));
      while (lit.find()) {
        vals.add(lit.group(1).replace("''", "'"));
      }
    }
    if (vals.isEmpty()) {
      return null;
    }
    // several equalities on one key in a conjunction: the row must match all, keep them all (superset)
    return vals;
  }

  public static List<ShardDef> prune(String sql, TableSnapshot t, TimeBounds bounds) {
    List<ShardDef> out = new ArrayList<>();
    for (ShardDef s : t.shardList()) {
      if (!bounds.overlaps(s)) {
        continue;
      }
      Set<Integer> parts = partitions(sql, s.shardKeys(), s.numHashPartitions());
      if (parts != null && !parts.contains(s.partition())) {
        continue;
      }
      out.add(s);
    }
    return out;
  }

  static Long parseTime(String s) {
    String v = s.trim();
    try {
      return toNanos(OffsetDateTime.parse(v).toInstant());
    } catch (DateTimeParseException e) {
      // try without zone below
    }
    try {
      return toNanos(Instant.parse(v));
    } catch (DateTimeParseException e) {
      // try without zone below
    }
    try {
      String iso = v.replace(' ', 'T');
      if (iso.length() == 10) {
        iso = iso + "T00:00:00";
      }
      return toNanos(LocalDateTime.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static long toNanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  private static String stripStrings(String sql) {
    return sql.replaceAll("'(?:[^']|'')*'", "''");
  }
}
