package io.loadchaos.refcluster.wal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One durable write: canonical line protocol (ns timestamps) for one shard, stamped with the
 * coordinator's version so replays and hinted handoff resolve overwrites the same way everywhere.
 */
public record WalRecord(long shardId, String db, String table, long version, byte[] lineProtocol) {

  public byte[] encode() {
    ByteArrayOutputStream bos = new ByteArrayOutputStream(lineProtocol.length + 64);
    try (DataOutputStream out = new DataOutputStream(bos)) {
      out.writeLong(shardId);
      out.writeUTF(db);
      out.writeUTF(table);
      out.writeLong(version);
      out.writeInt(lineProtocol.length);
      out.write(lineProtocol);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bos.toByteArray();
  }

  public static WalRecord decode(byte[] body) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body));
    long shard = in.readLong();
    String db = in.readUTF();
    String table = in.readUTF();
    long version = in.readLong();
    byte[] lp = new byte[in.readInt()];
    in.readFully(lp);
    return new WalRecord(shard, db, table, version, lp);
  }

  public String text() {
    return new String(lineProtocol, StandardCharsets.UTF_8);
  }
}
