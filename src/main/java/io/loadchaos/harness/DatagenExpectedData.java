package io.loadchaos.harness;

import io.loadchaos.check.ExpectedData;
import io.loadchaos.datagen.BatchId;
import io.loadchaos.datagen.DatasetSpec;
import io.loadchaos.datagen.LineProtocolGenerator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The expected side of read-back: regenerates any batch's points from the data generator. */
public final class DatagenExpectedData implements ExpectedData {
  private final LineProtocolGenerator generator;
  private final Map<String, List<String>> tagKeys = new LinkedHashMap<>();

  public DatagenExpectedData(DatasetSpec spec, LineProtocolGenerator generator) {
    this.generator = generator;
    spec.tables().forEach(t -> tagKeys.put(t.name(), t.tags().stream().map(tag -> tag.name()).toList()));
  }

  @Override
  public Map<String, List<String>> tagKeysByTable() {
    return tagKeys;
  }

  @Override
  public void forEachPoint(long batchId, Consumer<Point> visitor) {
    generator.forEachPoint(BatchId.writer(batchId), BatchId.seq(batchId),
        p -> visitor.accept(new Point(p.table(), p.seriesKey(), p.timestampNanos(), p.fields(), p.overwrites())));
  }
}
