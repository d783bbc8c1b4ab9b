package io.loadchaos.target;

/**
 * The query endpoints loadchaos can read a cluster through. Every one streams rows as JSON
 * objects (column -> value), so read-back, checks and the query load treat them alike.
 */
public enum QueryApi {
  /** InfluxDB 3 SQL: {@code /api/v3/query_sql}, JSON Lines. */
  SQL("sql", "/api/v3/query_sql"),
  /** InfluxDB 3 InfluxQL: {@code /api/v3/query_influxql}, JSON Lines with an {@code iox::measurement} column. */
  INFLUXQL_V3("influxql v3", "/api/v3/query_influxql"),
  /** InfluxDB 1.x compatible InfluxQL: {@code /query}, chunked series JSON. */
  INFLUXQL_V1("influxql v1", "/query");

  private final String label;
  private final String path;

  QueryApi(String label, String path) {
    this.label = label;
    this.path = path;
  }

  public String label() {
    return label;
  }

  public String path() {
    return path;
  }

  public boolean influxql() {
    return this != SQL;
  }
}
