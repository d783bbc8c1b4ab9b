package io.loadchaos.history;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ledger of every operation of a run: invoke and outcome, in parallel primitive arrays (about
 * 30 bytes per operation, independent of the points in a batch). Expected data is never stored:
 * the checkers regenerate it from the batch ids.
 */
public final class History {
  private static final int UNSET = Integer.MIN_VALUE;

  private volatile long startNanos;
  private int size;
  private byte[] kind = new byte[1024];
  private long[] batchId = new long[1024];
  private short[] node = new short[1024];
  private long[] startMicros = new long[1024];
  private int[] latencyMicros = new int[1024];
  private byte[] outcome = new byte[1024];
  private short[] status = new short[1024];
  private int[] points = new int[1024];
  private final List<FaultEvent> faults = new ArrayList<>();
  private volatile boolean writeAcknowledged;

  /** A new, empty ledger whose clock starts now. */
  public History() {
    this(System.nanoTime());
  }

  History(long startNanos) {
    this.startNanos = startNanos;
  }

  /**
   * Sets the clock's zero to now: called when the load starts, so second 0 of every timeline is
   * the first second of load, not of cluster start-up. Only before anything was recorded.
   */
  public synchronized void restartClock() {
    if (size > 0 || !faults.isEmpty()) throw new IllegalStateException("the history already has records");
    startNanos = System.nanoTime();
  }

  /** Microseconds since this run started; the one clock of load, faults and phases. */
  public long nowMicros() {
    return (System.nanoTime() - startNanos) / 1000;
  }

  /** Records the start of an operation; returns its handle for {@link #complete}. */
  public synchronized int invoke(OpKind k, long batch, int nodeIndex, int pointCount) {
    return append(k, batch, nodeIndex, nowMicros(), UNSET, null, 0, pointCount);
  }

  /** Records the outcome of an operation started with {@link #invoke}. */
  public synchronized void complete(int op, Outcome o, int httpStatus) {
    if (op < 0 || op >= size) throw new IllegalArgumentException("no operation " + op);
    long end = nowMicros();
    latencyMicros[op] = (int) Math.min(Integer.MAX_VALUE, Math.max(0, end - startMicros[op]));
    outcome[op] = (byte) o.ordinal();
    status[op] = (short) httpStatus;
    if (o == Outcome.OK && kind[op] == OpKind.WRITE.ordinal()) writeAcknowledged = true;
  }

  /** Whether any write has been acknowledged yet (before that, a table may not exist to be queried). */
  public boolean anyWriteAcknowledged() {
    return writeAcknowledged;
  }

  /** Records a whole operation at once (start time in run microseconds). */
  public synchronized int record(OpKind k, long batch, int nodeIndex, long startUs, long latencyUs,
      Outcome o, int httpStatus, int pointCount) {
    return append(k, batch, nodeIndex, startUs, (int) Math.min(Integer.MAX_VALUE, latencyUs), o,
        httpStatus, pointCount);
  }

  private int append(OpKind k, long batch, int nodeIndex, long startUs, int latencyUs, Outcome o,
      int httpStatus, int pointCount) {
    if (size == kind.length) grow();
    int i = size++;
    kind[i] = (byte) k.ordinal();
    batchId[i] = batch;
    node[i] = (short) nodeIndex;
    startMicros[i] = startUs;
    latencyMicros[i] = latencyUs;
    outcome[i] = (byte) (o == null ? -1 : o.ordinal());
    if (o == Outcome.OK && k == OpKind.WRITE) writeAcknowledged = true;
    status[i] = (short) httpStatus;
    points[i] = pointCount;
    return i;
  }

  private void grow() {
    int n = kind.length * 2;
    kind = Arrays.copyOf(kind, n);
    batchId = Arrays.copyOf(batchId, n);
    node = Arrays.copyOf(node, n);
    startMicros = Arrays.copyOf(startMicros, n);
    latencyMicros = Arrays.copyOf(latencyMicros, n);
    outcome = Arrays.copyOf(outcome, n);
    status = Arrays.copyOf(status, n);
    points = Arrays.copyOf(points, n);
  }

  public synchronized void addFault(FaultEvent e) {
    faults.add(e);
  }

  /** Replaces the event with the same name and start (its heal completed). */
  public synchronized void updateFault(FaultEvent before, FaultEvent after) {
    int i = faults.indexOf(before);
    if (i >= 0) faults.set(i, after);
    else faults.add(after);
  }

  public synchronized List<FaultEvent> faults() {
    return List.copyOf(faults);
  }

  /** A consistent copy of all operations; operations still in flight count as {@code INFO}. */
  public synchronized List<Op> ops() {
    List<Op> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) out.add(op(i));
    return out;
  }

  public synchronized int size() {
    return size;
  }

  private Op op(int i) {
    boolean done = latencyMicros[i] != UNSET;
    return new Op(OpKind.values()[kind[i]], batchId[i], node[i], startMicros[i],
        done ? latencyMicros[i] : -1, done && outcome[i] >= 0 ? Outcome.values()[outcome[i]] : Outcome.INFO,
        status[i], points[i]);
  }

  /** Approximate heap bytes used by the ledger's arrays. */
  public synchronized long footprintBytes() {
    return (long) kind.length * (1 + 8 + 2 + 8 + 4 + 1 + 2 + 4);
  }

  /** One recorded operation. {@code latencyMicros < 0}: it never completed. */
  public record Op(OpKind kind, long batchId, int node, long startMicros, long latencyMicros,
      Outcome outcome, int status, int points) {
    public long endMicros() {
      return latencyMicros < 0 ? startMicros : startMicros + latencyMicros;
    }
  }

  // ---- persistence: a CSV file that a finished run can be re-checked from ----

  static final String HEADER = "kind,batch_id,node,start_us,latency_us,outcome,status,points";

  /** Writes the operations to {@code file} atomically (temp file + rename). */
  public void save(Path file) throws IOException {
    List<Op> snapshot = ops();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp)) {
      w.write(HEADER);
      w.newLine();
      for (Op op : snapshot) {
        w.write(op.kind().label() + "," + op.batchId() + "," + op.node() + "," + op.startMicros() + ","
            + op.latencyMicros() + "," + op.outcome().name().toLowerCase() + "," + op.status() + ","
            + op.points());
        w.newLine();
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads a ledger written by {@link #save}; errors name the line. */
  public static History load(Path file, List<FaultEvent> faults) throws IOException {
    History h = new History(0);
    try (BufferedReader r = Files.newBufferedReader(file)) {
      String header = r.readLine();
      if (!HEADER.equals(header)) {
        throw new IOException(file + ":1: expected header '" + HEADER + "'");
      }
      String line;
      int n = 1;
      while ((line = r.readLine()) != null) {
        n++;
        String[] f = line.split(",");
        try {
          if (f.length != 8) throw new IllegalArgumentException("expected 8 fields, got " + f.length);
          h.record(OpKind.ofLabel(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]),
              Long.parseLong(f[4]), Outcome.valueOf(f[5].toUpperCase()), Integer.parseInt(f[6]),
              Integer.parseInt(f[7]));
        } catch (IllegalArgumentException e) {
          throw new IOException(file + ":" + n + ": " + e.getMessage(), e);
        }
      }
    }
    faults.forEach(h::addFault);
    return h;
  }
}
