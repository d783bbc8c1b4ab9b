package io.loadchaos.check;

import java.util.function.Consumer;

/** Reads what a cluster stores, one table at a time, as points. */
public interface ActualData {
  /** Streams every row of {@code table}. */
  void scan(String table, Consumer<ExpectedData.Point> rows) throws Exception;
}
