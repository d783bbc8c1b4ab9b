package io.loadchaos.refcluster.lp;

/** The five line-protocol field types; a field keeps its first type for the life of a table. */
public enum FieldType {
  FLOAT("DOUBLE"),
  INTEGER("BIGINT"),
  UINTEGER("UBIGINT"),
  STRING("VARCHAR"),
  BOOLEAN("BOOLEAN");

  private final String sqlType;

  FieldType(String sqlType) {
    this.sqlType = sqlType;
  }

  /** The DuckDB column type that holds this field. */
  public String sqlType() {
    return sqlType;
  }
}
