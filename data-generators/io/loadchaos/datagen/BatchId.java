package io.loadchaos.datagen;

/** A batch id packs the writer into the top 16 bits and the sequence number into the low 48. */
public final class BatchId {
  public static final int MAX_WRITER = 0xFFFF;
  public static final long MAX_SEQ = (1L << 48) - 1;

  private BatchId() {}

  public static long of(int writer, long seq) {
    if (writer < 0 || writer > MAX_WRITER) {
      throw new IllegalArgumentException("writer must be in 0.." + MAX_WRITER + " (got " + writer + ")");
    }
    if (seq < 0 || seq > MAX_SEQ) {
      throw new IllegalArgumentException("seq must be in 0.." + MAX_SEQ + " (got " + seq + ")");
    }
    return ((long) writer << 48) | seq;
  }

  public static int writer(long id) {
    return (int) (id >>> 48);
  }

  public static long seq(long id) {
    return id & MAX_SEQ;
  }

  public static String toString(long id) {
    return writer(id) + ":" + seq(id);
  }
}
