package io.loadchaos.history;

/** The kinds of operation a run records. */
public enum OpKind {
  WRITE("write"), QUERY_SQL("query-sql"), QUERY_FLIGHT("query-flight");

  private final String label;

  OpKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static OpKind ofLabel(String label) {
    for (OpKind k : values()) if (k.label.equals(label)) return k;
    throw new IllegalArgumentException("unknown operation kind '" + label + "'");
  }
}
