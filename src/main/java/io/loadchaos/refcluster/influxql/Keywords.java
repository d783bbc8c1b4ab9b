package io.loadchaos.refcluster.influxql;

import java.util.Locale;
import java.util.Set;

/** InfluxQL's reserved words: unquoted, they are never identifiers. */
final class Keywords {
  private static final Set<String> RESERVED = Set.of(
      "ALL", "ALTER", "ANY", "AS", "ASC", "BEGIN", "BY", "CREATE", "CONTINUOUS", "DATABASE", "DATABASES", "DEFAULT", "DELETE",
      "DESC", "DESTINATIONS", "DIAGNOSTICS", "DISTINCT", "DROP", "DURATION", "END", "EVERY", "EXPLAIN", "FIELD", "FOR", "FROM",
      "GRANT", "GRANTS", "GROUP", "GROUPS", "IN", "INF", "INSERT", "INTO", "KEY", "KEYS", "KILL", "LIMIT", "MEASUREMENT",
      "MEASUREMENTS", "NAME", "OFFSET", "ON", "ORDER", "PASSWORD", "POLICY", "POLICIES", "PRIVILEGES", "QUERIES", "QUERY",
      "READ", "REPLICATION", "RESAMPLE", "RETENTION", "REVOKE", "SELECT", "SERIES", "SET", "SHARD", "SHARDS", "SLIMIT",
      "SOFFSET", "STATS", "SUBSCRIPTION", "SUBSCRIPTIONS", "TAG", "TO", "USER", "USERS", "VALUES", "WHERE", "WITH", "WRITE",
      "AND", "OR", "SHOW");

  private Keywords() {}

  static boolean isKeyword(String word) {
    return RESERVED.contains(word.toUpperCase(Locale.ROOT));
  }
}
