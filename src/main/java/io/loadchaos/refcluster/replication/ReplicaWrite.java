package io.loadchaos.refcluster.replication;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadchaos.refcluster.catalog.ShardDef;
import io.loadchaos.refcluster.wal.WalRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The node-to-node write message (and the hint queue entry): the shard it belongs to, so the owner
 * learns shards it has not seen, and the WAL record itself (points in binary form). The encoding
 * is computed once and shared by every peer send and hint of the same write.
 */
public final class ReplicaWrite {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ShardDef shard;
  private final WalRecord record;
  private volatile byte[] encoded;

  public ReplicaWrite(ShardDef shard, WalRecord record) {
    this.shard = Objects.requireNonNull(shard);
    this.record = Objects.requireNonNull(record);
  }

  private ReplicaWrite(ShardDef shard, WalRecord record, byte[] encoded) {
    this(shard, record);
    this.encoded = encoded;
  }

  public ShardDef shard() {
    return shard;
  }

  public WalRecord record() {
    return record;
  }

  /** The wire form; do not modify the returned array. */
  public byte[] encode() {
    byte[] e = encoded;
    if (e == null) {
      try {
        byte[] s = JSON.writeValueAsBytes(shard);
        byte[] r = record.encode();
        e = ByteBuffer.allocate(4 + s.length + r.length).putInt(s.length).put(s).put(r).array();
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      encoded = e;
    }
    return e;
  }

  public static ReplicaWrite decode(byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int n = b.getInt();
    if (n < 0 || n > bytes.length - 4) {
      throw new IOException("malformed replica write: shard header length " + n);
    }
    ShardDef shard = JSON.readValue(bytes, 4, n, ShardDef.class);
    byte[] r = new byte[bytes.length - 4 - n];
    b.position(4 + n);
    b.get(r);
    return new ReplicaWrite(shard, WalRecord.decode(r), bytes);
  }

  @Override
  public String toString() {
    return "ReplicaWrite[shard=" + shard.id() + ", db=" + record.db() + ", table=" + record.table() + ", version=" + record.version() + "]";
  }
}
