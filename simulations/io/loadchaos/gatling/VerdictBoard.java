package io.loadchaos.gatling;

import com.sun.net.httpserver.HttpServer;
import io.loadchaos.check.Verdict;
import io.loadchaos.report.ResultsJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Serves each verdict of the run at {@code /verdicts/<index>} on 127.0.0.1: 200 when it passed,
 * 500 when it failed or is unknown. Gatling requests these after the load, so every verdict shows
 * up by name in Gatling's console and HTML report, and a Gatling assertion on them fails Maven
 * while the report is still written.
 */
final class VerdictBoard implements AutoCloseable {
  private final HttpServer server;
  private final List<Verdict> verdicts = new CopyOnWriteArrayList<>();

  VerdictBoard() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/ping", ex -> {
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    server.createContext("/verdicts/", ex -> {
      String idx = ex.getRequestURI().getPath().substring("/verdicts/".length());
      int status;
      byte[] body;
      try {
        Verdict v = verdicts.get(Integer.parseInt(idx));
        status = v.passed() ? 200 : 500;
        body = ResultsJson.mapper().writeValueAsBytes(v);
      } catch (RuntimeException e) {
        status = 404;
        body = ("{\"error\":\"no verdict " + idx + "\"}").getBytes();
      }
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void publish(List<Verdict> vs) {
    verdicts.clear();
    verdicts.addAll(vs);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
