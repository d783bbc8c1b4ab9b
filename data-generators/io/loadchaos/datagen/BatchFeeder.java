package io.loadchaos.datagen;

import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A Gatling feeder (an {@code Iterator<Map<String, Object>>}, so no Gatling import) that yields one
 * ready line-protocol body per record. Records: "body" (byte[]), "batchId" (Long, {@link BatchId}),
 * "writer" (Integer), "seq" (Long), "points" (Integer). Ends after {@code maxBatches} records or at
 * the end of the writer's share of the volume, whichever is first. Not thread-safe (Gatling feeders
 * are polled under a lock).
 */
public final class BatchFeeder implements Iterator<Map<String, Object>> {
  private final LineProtocolGenerator gen;
  private final int writer;
  private final long endSeq;
  private final BatchBuffer buffer = new BatchBuffer();
  private long seq;

  public BatchFeeder(LineProtocolGenerator gen, int writer, long firstSeq, long maxBatches) {
    if (firstSeq < 0 || maxBatches < 0) {
      throw new IllegalArgumentException("firstSeq and maxBatches must be >= 0 (got " + firstSeq + ", " + maxBatches + ")");
    }
    gen.globalBatch(writer, firstSeq); // validates the writer
    this.gen = gen;
    this.writer = writer;
    this.seq = firstSeq;
    long available = gen.batchCount(writer);
    long end = maxBatches > Long.MAX_VALUE - firstSeq ? Long.MAX_VALUE : firstSeq + maxBatches;
    this.endSeq = Math.min(end, available);
  }

  @Override
  public boolean hasNext() {
    return seq < endSeq;
  }

  @Override
  public Map<String, Object> next() {
    if (!hasNext()) {
      throw new NoSuchElementException("writer " + writer + " has no batch " + seq + " (ends before " + endSeq + ")");
    }
    int points = gen.writeBatch(writer, seq, buffer);
    long id = BatchId.of(writer, seq);
    Map<String, Object> record = Map.of(
        "body", buffer.toByteArray(),
        "batchId", id,
        "writer", writer,
        "seq", seq,
        "points", points);
    seq++;
    return record;
  }

  /** The sequence number the next record will carry. */
  public long nextSeq() {
    return seq;
  }
}
