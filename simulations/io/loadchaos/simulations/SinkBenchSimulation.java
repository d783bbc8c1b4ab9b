package io.loadchaos.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import com.sun.net.httpserver.HttpServer;
import io.gatling.javaapi.core.Simulation;
import io.loadchaos.datagen.BatchFeeder;
import io.loadchaos.datagen.DatasetSpec;
import io.loadchaos.datagen.GeneratorConfig;
import io.loadchaos.datagen.LineProtocolGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * Harness benchmark: how many points/s one Gatling JVM pushes (data generator + Gatling HTTP) into
 * a trivial local 204 sink, so the harness is never what limits a run. Knobs: {@code -Dbench.users}
 * (8), {@code -Dbench.seconds} (20), {@code -Dbench.batchSize} (5000). Prints
 * {@code [bench] ... points/s}.
 */
public class SinkBenchSimulation extends Simulation {
  private static final int USERS = Integer.getInteger("bench.users", 8);
  private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
  private static final int BATCH = Integer.getInteger("bench.batchSize", 5000);

  private final LongAdder bytes = new LongAdder();
  private final LongAdder bodies = new LongAdder();
  private final HttpServer sink = startSink();
  private final String url = "http://127.0.0.1:" + sink.getAddress().getPort();
  private final LineProtocolGenerator generator = new LineProtocolGenerator(DatasetSpec.builtin("devops").unbounded(),
      new GeneratorConfig(42, USERS, BATCH, System.currentTimeMillis() / 1000 * 1_000_000_000L));
  private long startNanos;

  private HttpServer startSink() {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
      s.createContext("/", ex -> {
        byte[] buf = new byte[1 << 16];
        long n = 0;
        try (InputStream in = ex.getRequestBody()) {
          for (int r; (r = in.read(buf)) > 0; ) n += r;
        }
        bytes.add(n);
        bodies.increment();
        ex.sendResponseHeaders(204, -1);
        ex.close();
      });
      s.setExecutor(Executors.newFixedThreadPool(4));
      s.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  {
    var writes = scenario("bench-writes");
    var chain = feed(new SharedFeeder(generator, USERS))
        .exec(http("write").post(url + "/api/v3/write_lp?db=bench&precision=millisecond").body(ByteArrayBody("#{body}"))
            .check(status().is(204)));
    setUp(writes.during(Duration.ofSeconds(SECONDS)).on(chain).injectOpen(atOnceUsers(USERS)))
        .protocols(http.warmUp(url + "/").contentTypeHeader("text/plain; charset=utf-8"))
        .assertions(global().failedRequests().count().is(0L));
  }

  /** One feeder for all users: writer = record % users, in (writer, seq) order. */
  static final class SharedFeeder implements Iterator<Map<String, Object>> {
    private final BatchFeeder[] feeders;
    private long next;

    SharedFeeder(LineProtocolGenerator gen, int writers) {
      feeders = new BatchFeeder[writers];
      for (int w = 0; w < writers; w++) feeders[w] = new BatchFeeder(gen, w, 0, Long.MAX_VALUE);
    }

    @Override
    public boolean hasNext() {
      return true;
    }

    @Override
    public synchronized Map<String, Object> next() {
      return feeders[(int) (next++ % feeders.length)].next();
    }
  }

  @Override
  public void before() {
    startNanos = System.nanoTime();
  }

  @Override
  public void after() {
    double secs = (System.nanoTime() - startNanos) / 1e9;
    sink.stop(0);
    long points = bodies.sum() * BATCH;
    System.out.printf(Locale.ROOT, "[bench] %d batches of %d points in %.1f s: %.0f points/s, %.1f MB/s into a local 204 sink%n",
        bodies.sum(), BATCH, secs, points / secs, bytes.sum() / secs / 1e6);
  }
}
