package io.loadchaos.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Why writes were not ok: per HTTP status ({@link #NO_RESPONSE} for connection errors and timeouts)
 * the attempts that ended fail or info, and the first {@link #MAX_BODIES} distinct response bodies,
 * abbreviated to {@link #MAX_BODY_CHARS}. Thread-safe (the load records from many Gatling threads)
 * and bounded: counters per status, at most a few short strings each. Also spots a target that
 * rejects unsigned integers and logs a hint naming the knob, once.
 */
public final class WriteRejections {
  public static final int NO_RESPONSE = -1;
  public static final int MAX_BODIES = 5;
  public static final int MAX_BODY_CHARS = 200;
  public static final String UNSIGNED_KNOB = "-Dloadchaos.fieldTypes=no-unsigned";

  // InfluxDB 1.x: "unable to parse '<line>': invalid number" where the line holds a token like free=123u
  private static final Pattern UNSIGNED_TOKEN = Pattern.compile("=-?\\d+u(?=[,\\s']|\\\\n|$)");
  private static final Pattern UNSIGNED_WORD = Pattern.compile("(?i)unsigned");

  private final Map<Integer, PerStatus> byStatus = new ConcurrentHashMap<>();
  private final AtomicReference<String> hint = new AtomicReference<>();
  private final Consumer<String> log;

  /** @param log where the hint goes (the run log) when it is first seen */
  public WriteRejections(Consumer<String> log) {
    this.log = log;
  }

  /** A collector that logs nothing (tests, reports). */
  public WriteRejections() {
    this(line -> {});
  }

  /** A collector holding what a saved run recorded (check --run); {@code saved} may be null. */
  public static WriteRejections restore(Summary saved, Consumer<String> log) {
    WriteRejections r = new WriteRejections(log);
    if (saved == null) return r;
    if (saved.statuses() != null) {
      for (Status s : saved.statuses()) {
        PerStatus p = r.byStatus.computeIfAbsent(s.status(), PerStatus::new);
        p.fail.add(s.fail());
        p.info.add(s.info());
        if (s.bodies() != null) s.bodies().forEach(p::offer);
      }
    }
    r.hint.set(saved.hint());
    return r;
  }

  /**
   * Records one write attempt. Ok attempts are ignored.
   *
   * @param status the HTTP status, or a negative number when there was no response
   * @param body the response body; with no response, the exception text if the client gave one; may be null
   */
  public void record(int status, Outcome outcome, String body) {
    if (outcome == Outcome.OK) return;
    int key = status < 0 ? NO_RESPONSE : status;
    PerStatus p = byStatus.computeIfAbsent(key, PerStatus::new);
    (outcome == Outcome.FAIL ? p.fail : p.info).increment();
    if (body == null || body.isEmpty()) return;
    if (!p.full) p.offer(body);
    if (hint.get() == null && rejectsUnsigned(body)) {
      String h = "the target rejects unsigned integer fields (e.g. " + label(key) + " \"" + abbreviate(body)
          + "\"); rerun with " + UNSIGNED_KNOB;
      if (hint.compareAndSet(null, h)) log.accept("hint: " + h);
    }
  }

  /** True when the body says that unsigned integers are not supported. */
  static boolean rejectsUnsigned(String body) {
    if (body == null) return false;
    if (UNSIGNED_WORD.matcher(body).find()) return true;
    return body.contains("invalid number") && UNSIGNED_TOKEN.matcher(body).find();
  }

  /** The hint naming the knob, or null if no rejection pointed at unsigned integers. */
  public String hint() {
    return hint.get();
  }

  /** A consistent-enough copy for the reports: statuses in ascending order (no response first). */
  public Summary summary() {
    List<Status> out = new ArrayList<>();
    for (PerStatus p : byStatus.values()) out.add(p.snapshot());
    out.sort(Comparator.comparingInt(Status::status));
    return new Summary(List.copyOf(out), hint.get());
  }

  /** "400", or "no response" for a connection error or timeout. */
  public static String label(int status) {
    return status < 0 ? "no response" : Integer.toString(status);
  }

  /** At most {@link #MAX_BODY_CHARS} characters on one line (whitespace runs become one space). */
  static String abbreviate(String body) {
    StringBuilder b = new StringBuilder(Math.min(body.length(), MAX_BODY_CHARS) + 3);
    boolean space = false;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (Character.isWhitespace(c)) {
        space = b.length() > 0;
        continue;
      }
      if (b.length() + (space ? 1 : 0) >= MAX_BODY_CHARS) {
        // never split a surrogate pair
        if (Character.isLowSurrogate(c)) b.setLength(b.length() - 1);
        return b.append("...").toString();
      }
      if (space) {
        b.append(' ');
        space = false;
      }
      b.append(c);
    }
    return b.toString();
  }

  /** Attempts per status: fail and info counts, and the first distinct bodies. */
  public record Status(int status, long fail, long info, List<String> bodies) {
    public long attempts() {
      return fail + info;
    }

    public String label() {
      return WriteRejections.label(status);
    }
  }

  /** What results.json holds under {@code rejectedWrites}. {@code hint} is null without one. */
  public record Summary(List<Status> statuses, String hint) {
    public static final Summary NONE = new Summary(List.of(), null);

    public long attempts() {
      return statuses == null ? 0 : statuses.stream().mapToLong(Status::attempts).sum();
    }

    /**
     * Console lines: {@code rejected writes: 400 x1335 (fail 1335, info 0) "unable to parse ..."}, one per
     * status with its first body, then the hint. Empty when every write was ok.
     */
    public List<String> consoleLines() {
      List<String> out = new ArrayList<>();
      if (statuses != null) {
        for (Status s : statuses) {
          String counts = "fail " + s.fail() + ", info " + s.info();
          String body = s.bodies() == null || s.bodies().isEmpty() ? "" : " \"" + s.bodies().get(0) + "\"";
          out.add("rejected writes: " + s.label() + " x" + s.attempts() + " (" + counts + ")" + body);
        }
      }
      if (hint != null) out.add("hint: " + hint);
      return out;
    }
  }

  private static final class PerStatus {
    final int status;
    final LongAdder fail = new LongAdder();
    final LongAdder info = new LongAdder();
    private final List<String> bodies = new ArrayList<>(MAX_BODIES);
    // read without the lock: once full, recording costs two counter increments
    volatile boolean full;

    PerStatus(int status) {
      this.status = status;
    }

    void offer(String body) {
      String a = abbreviate(body);
      synchronized (this) {
        if (bodies.size() < MAX_BODIES && !bodies.contains(a)) bodies.add(a);
        full = bodies.size() >= MAX_BODIES;
      }
    }

    Status snapshot() {
      synchronized (this) {
        return new Status(status, fail.sum(), info.sum(), List.copyOf(bodies));
      }
    }
  }
}
