package io.loadchaos.harness;

import io.loadchaos.check.QueryMeaning;
import io.loadchaos.datagen.BatchId;
import io.loadchaos.datagen.GeneratedPoint;
import io.loadchaos.datagen.LineProtocolGenerator;
import io.loadchaos.datagen.TableSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The written points as the query check sees them, regenerated per batch from the data generator. */
public final class DatagenQueryPoints implements QueryMeaning.Points {
  private final LineProtocolGenerator generator;
  private final List<TableSpec> tables;
  private final List<Map<String, Integer>> tagIndex;

  public DatagenQueryPoints(LineProtocolGenerator generator) {
    this.generator = generator;
    this.tables = generator.spec().tables();
    this.tagIndex = tables.stream().map(t -> {
      Map<String, Integer> m = new HashMap<>();
      for (int i = 0; i < t.tags().size(); i++) m.put(t.tags().get(i).name(), i);
      return m;
    }).toList();
  }

  @Override
  public void forEachPoint(long batchId, Consumer<QueryMeaning.QueryPoint> visitor) {
    View view = new View();
    generator.forEachPoint(BatchId.writer(batchId), BatchId.seq(batchId), p -> {
      view.p = p;
      visitor.accept(view);
    });
  }

  private final class View implements QueryMeaning.QueryPoint {
    GeneratedPoint p;

    @Override
    public String table() {
      return tables.get(p.tableOrdinal()).name();
    }

    @Override
    public long timestampNanos() {
      return p.timestampNanos();
    }

    @Override
    public String tag(String key) {
      Integer i = tagIndex.get(p.tableOrdinal()).get(key);
      return i == null ? null : tables.get(p.tableOrdinal()).tags().get(i).value(p.tagValueIndex(i));
    }

    @Override
    public Long integerField(String name) {
      return p.fields().get(name) instanceof Long l ? l : null;
    }

    @Override
    public boolean repeatsKey() {
      return p.overwrites();
    }
  }
}
