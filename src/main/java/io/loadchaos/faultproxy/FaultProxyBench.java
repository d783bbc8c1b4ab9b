package io.loadchaos.faultproxy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Bulk throughput and round-trip overhead of a proxy without toxics, each compared with a direct
 * connection to the same local server. Client, servers and proxy share this JVM; the proxy's own
 * CPU is read from its I/O threads.
 */
final class FaultProxyBench {
  private static final int BLOCK = 64 * 1024;

  /** Connections of the many-connections run: a cluster's worth of clients and peers. */
  private static final int CONNECTIONS = 50;

  private final int seconds;
  private final int requests;
  private final int requestBytes;
  private final int ioThreads;

  FaultProxyBench(int seconds, int requests, int requestBytes, int ioThreads) {
    this.seconds = seconds;
    this.requests = requests;
    this.requestBytes = requestBytes;
    this.ioThreads = ioThreads;
  }

  record Result(
      int ioThreads,
      double directMbPerSec,
      double proxiedMbPerSec,
      double proxyCpuSecondsPerGb,
      int requestBytes,
      long[] directRttMicros,
      long[] proxiedRttMicros,
      int connections,
      double proxiedRequestsPerSec,
      double proxyCpuMicrosPerRequest) {

    String report() {
      long dMed = pct(directRttMicros, 50);
      long dP99 = pct(directRttMicros, 99);
      long pMed = pct(proxiedRttMicros, 50);
      long pP99 = pct(proxiedRttMicros, 99);
      StringBuilder b = new StringBuilder();
      b.append(
          String.format(
              Locale.ROOT,
              "faultproxy bench: no toxics, 127.0.0.1, %d I/O thread(s)%n",
              ioThreads));
      b.append(String.format(Locale.ROOT, "throughput direct   %8.1f MB/s%n", directMbPerSec));
      b.append(
          String.format(
              Locale.ROOT,
              "throughput proxied  %8.1f MB/s  (proxy CPU %.2f core-s per GB)%n",
              proxiedMbPerSec,
              proxyCpuSecondsPerGb));
      b.append(
          String.format(
              Locale.ROOT,
              "round trip %d B direct   median %5d us  p99 %6d us%n",
              requestBytes,
              dMed,
              dP99));
      b.append(
          String.format(
              Locale.ROOT,
              "round trip %d B proxied  median %5d us  p99 %6d us%n",
              requestBytes,
              pMed,
              pP99));
      b.append(
          String.format(
              Locale.ROOT,
              "added per request        median %5d us  p99 %6d us%n",
              pMed - dMed,
              pP99 - dP99));
      b.append(
          String.format(
              Locale.ROOT,
              "%d connections at once  %8.0f requests/s proxied  (proxy CPU %.1f us per request)%n",
              connections,
              proxiedRequestsPerSec,
              proxyCpuMicrosPerRequest));
      return b.toString();
    }

    static long pct(long[] sorted, int p) {
      return sorted[Math.min(sorted.length - 1, (int) ((long) sorted.length * p / 100))];
    }
  }

  Result run() throws Exception {
    try (ServerSocket sink = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FaultProxyServer server =
            FaultProxyServer.start(new InetSocketAddress("127.0.0.1", 0), ioThreads)) {
      Thread echoLoop = daemon("bench-echo", () -> serveEcho(echo));
      echoLoop.start();
      ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", server.apiAddress().getPort());
      Proxy toSink =
          client.createProxy("bench-sink", "127.0.0.1:0", "127.0.0.1:" + sink.getLocalPort());
      Proxy toEcho =
          client.createProxy("bench-echo", "127.0.0.1:0", "127.0.0.1:" + echo.getLocalPort());

      double direct = throughput(sink, sink.getLocalPort());
      long cpuBefore = ioThreadCpuNanos();
      long[] moved = new long[1];
      double proxied = throughput(sink, port(toSink), moved);
      long cpu = ioThreadCpuNanos() - cpuBefore;
      double cpuPerGb = moved[0] == 0 ? 0 : cpu / 1e9 / (moved[0] / 1e9);

      long[] directRtt = roundTrips(echo.getLocalPort());
      long[] proxiedRtt = roundTrips(port(toEcho));

      int perConnection = Math.max(10, requests / 10);
      long cpuBeforeMany = ioThreadCpuNanos();
      double perSecond = concurrentRoundTrips(port(toEcho), perConnection);
      double cpuMicrosPerRequest =
          (ioThreadCpuNanos() - cpuBeforeMany) / 1e3 / ((double) CONNECTIONS * perConnection);
      return new Result(
          ioThreads,
          direct,
          proxied,
          cpuPerGb,
          requestBytes,
          directRtt,
          proxiedRtt,
          CONNECTIONS,
          perSecond,
          cpuMicrosPerRequest);
    }
  }

  private double throughput(ServerSocket sink, int port) throws Exception {
    return throughput(sink, port, new long[1]);
  }

  /** Streams blocks for the set time; the rate is what the sink received over its receive time. */
  private double throughput(ServerSocket sink, int port, long[] movedOut) throws Exception {
    CompletableFuture<double[]> received =
        CompletableFuture.supplyAsync(
            () -> {
              try (Socket s = sink.accept();
                  InputStream in = s.getInputStream()) {
                byte[] buf = new byte[BLOCK];
                long total = 0;
                int n = in.read(buf);
                long start = System.nanoTime();
                while (n >= 0) {
                  total += n;
                  n = in.read(buf);
                }
                return new double[] {total, (System.nanoTime() - start) / 1e9};
              } catch (IOException e) {
                throw new IllegalStateException("bench sink failed: " + e.getMessage(), e);
              }
            });
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      byte[] block = new byte[BLOCK];
      Arrays.fill(block, (byte) 'x');
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < end) {
        out.write(block);
      }
      s.shutdownOutput();
      double[] r = received.get(60, TimeUnit.SECONDS);
      movedOut[0] = (long) r[0];
      return r[0] / 1e6 / r[1];
    }
  }

  /** Round trips on many connections at once; returns requests per second over all of them. */
  private double concurrentRoundTrips(int port, int perConnection) throws Exception {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);
    try {
      long start = System.nanoTime();
      for (int c = 0; c < CONNECTIONS; c++) {
        done.add(
            CompletableFuture.runAsync(
                () -> {
                  try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setTcpNoDelay(true);
                    s.setSoTimeout(10_000);
                    byte[] msg = new byte[requestBytes];
                    for (int i = 0; i < perConnection; i++) {
                      s.getOutputStream().write(msg);
                      if (s.getInputStream().readNBytes(requestBytes).length != requestBytes) {
                        throw new IOException("echo closed early");
                      }
                    }
                  } catch (IOException e) {
                    throw new IllegalStateException("bench client failed: " + e.getMessage(), e);
                  }
                },
                clients));
      }
      CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
      return (double) CONNECTIONS * perConnection / ((System.nanoTime() - start) / 1e9);
    } finally {
      clients.shutdownNow();
    }
  }

  /** Sorted round-trip times in microseconds, after a warm-up. */
  private long[] roundTrips(int port) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      byte[] msg = new byte[requestBytes];
      Arrays.fill(msg, (byte) 'r');
      int warmup = Math.min(2000, requests);
      long[] rtt = new long[requests];
      for (int i = 0; i < warmup + requests; i++) {
        long start = System.nanoTime();
        out.write(msg);
        if (in.readNBytes(requestBytes).length != requestBytes) {
          throw new IOException("echo closed early");
        }
        if (i >= warmup) {
          rtt[i - warmup] = (System.nanoTime() - start) / 1000;
        }
      }
      Arrays.sort(rtt);
      return rtt;
    }
  }

  private static void serveEcho(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        daemon(
                "bench-echo-conn",
                () -> {
                  try (s;
                      InputStream in = s.getInputStream();
                      OutputStream out = s.getOutputStream()) {
                    s.setTcpNoDelay(true);
                    byte[] buf = new byte[BLOCK];
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                      out.write(buf, 0, n);
                    }
                  } catch (IOException e) {
                    // client gone
                  }
                })
            .start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private static int port(Proxy p) {
    return Integer.parseInt(p.getListen().substring(p.getListen().lastIndexOf(':') + 1));
  }

  private static long ioThreadCpuNanos() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("faultproxy-io")) {
        long cpu = mx.getThreadCpuTime(t.getId());
        if (cpu > 0) {
          total += cpu;
        }
      }
    }
    return total;
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
