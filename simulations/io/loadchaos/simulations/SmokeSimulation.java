package io.loadchaos.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import com.sun.net.httpserver.HttpServer;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * The smallest end-to-end run: a local HTTP sink that accepts line protocol, real HTTP requests
 * against it, and Gatling assertions. Knobs: {@code -Dsmoke.users} (default 20),
 * {@code -Dsmoke.seconds} (5), {@code -Dsmoke.p99} (ms, 1000). {@code -Dsmoke.p99=0} makes the
 * run fail on purpose.
 */
public class SmokeSimulation extends Simulation {

  private static final int USERS = Integer.getInteger("smoke.users", 20);
  private static final int SECONDS = Integer.getInteger("smoke.seconds", 5);
  private static final int P99_MS = Integer.getInteger("smoke.p99", 1000);

  private final LongAdder bytesReceived = new LongAdder();
  private final HttpServer sink = startSink();
  private final String baseUrl = "http://127.0.0.1:" + sink.getAddress().getPort();

  private HttpServer startSink() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/ping", ex -> {
        ex.sendResponseHeaders(204, -1);
        ex.close();
      });
      server.createContext("/api/v3/write_lp", ex -> {
        bytesReceived.add(ex.getRequestBody().readAllBytes().length);
        ex.sendResponseHeaders(204, -1);
        ex.close();
      });
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final HttpProtocolBuilder protocol =
      http.baseUrl(baseUrl).warmUp(baseUrl + "/ping").contentTypeHeader("text/plain; charset=utf-8");

  private final ScenarioBuilder writes =
      scenario("smoke-writes")
          .repeat(50, "n")
          .on(
              exec(session -> session.set("body", lineProtocol(session.userId(), session.getInt("n"))))
                  .exec(
                      http("write_lp")
                          .post("/api/v3/write_lp?db=smoke&precision=ns")
                          .body(StringBody("#{body}"))
                          .check(status().is(204)))
                  .pause(Duration.ofMillis(SECONDS * 1000L / 50)));

  private static String lineProtocol(long user, int n) {
    long ts = 1_700_000_000_000_000_000L + user * 1_000_000L + n;
    return "cpu,host=h" + user + " usage=" + (n % 100) + ".5," + "n=" + n + "i " + ts + "\n";
  }

  {
    setUp(writes.injectOpen(rampUsers(USERS).during(1))).protocols(protocol)
        .assertions(
            global().failedRequests().percent().is(0.0),
            global().responseTime().percentile(99.0).lte(P99_MS));
  }

  @Override
  public void after() {
    sink.stop(0);
    System.out.println("[smoke] sink received " + bytesReceived.sum() + " bytes of line protocol");
  }
}
