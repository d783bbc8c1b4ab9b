package io.loadchaos.refcluster.wal;

import io.loadchaos.refcluster.lp.LineProtocolWriter;
import io.loadchaos.refcluster.lp.Point;
import io.loadchaos.refcluster.lp.PointBatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One durable write: one shard's points in the binary {@link PointBatch} form (ns timestamps),
 * stamped with the coordinator's version so replays and hinted handoff resolve overwrites the same
 * way everywhere. An empty {@code points} body carries no points (the DROPPED tombstone).
 */
public record WalRecord(long shardId, String db, String table, long version, byte[] points) {

  /** A record of these points (encoded once). */
  public static WalRecord of(long shardId, String db, String table, long version, List<Point> points) {
    return new WalRecord(shardId, db, table, version, PointBatch.encode(points));
  }

  public byte[] encode() {
    ByteArrayOutputStream bos = new ByteArrayOutputStream(points.length + 32 + 3 * (db.length() + table.length()));
    try (DataOutputStream out = new DataOutputStream(bos)) {
      out.writeLong(shardId);
      out.writeUTF(db);
      out.writeUTF(table);
      out.writeLong(version);
      out.writeInt(points.length);
      out.write(points);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bos.toByteArray();
  }

  public static WalRecord decode(byte[] body) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
    long shard = in.readLong();
    String db = in.readUTF();
    String table = in.readUTF();
    long version = in.readLong();
    int n = in.readInt();
    if (n < 0 || n > body.length) {
      throw new IOException("malformed WAL record: points length " + n);
    }
    byte[] pts = new byte[n];
    in.readFully(pts);
    return new WalRecord(shard, db, table, version, pts);
  }

  /** The points, decoded (no text parsing). */
  public List<Point> decodePoints() {
    return PointBatch.decode(points);
  }

  public int pointCount() {
    return PointBatch.count(points);
  }

  /** The points as canonical line protocol (ns timestamps), one line each: for logs, tools and tests. */
  public String text() {
    StringBuilder sb = new StringBuilder(points.length * 2);
    for (Point p : decodePoints()) {
      LineProtocolWriter.appendPoint(sb, p);
    }
    return sb.toString();
  }
}
