package io.loadchaos.refcluster.replication;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadchaos.refcluster.catalog.ShardDef;
import io.loadchaos.refcluster.wal.WalRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The node-to-node write message (and the hint queue entry): the shard it belongs to, so the owner
 * learns shards it has not seen, and the WAL record itself.
 */
public record ReplicaWrite(ShardDef shard, WalRecord record) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public byte[] encode() {
    try {
      byte[] s = JSON.writeValueAsBytes(shard);
      byte[] r = record.encode();
      return ByteBuffer.allocate(4 + s.length + r.length).putInt(s.length).put(s).put(r).array();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    return new ReplicaWrite(shard, WalRecord.decode(r));
  }
}
