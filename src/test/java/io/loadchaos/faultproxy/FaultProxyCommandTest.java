package io.loadchaos.faultproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import io.loadchaos.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI as a real child process (SIGTERM ends it cleanly) and its input errors. */
class FaultProxyCommandTest {
  @TempDir Path tmp;

  @Test
  void runsAsAProcessWithAConfigAndStopsOnSigterm() throws Exception {
    try (EchoServer echo = new EchoServer()) {
      Path config = tmp.resolve("proxies.json");
      Files.writeString(
          config,
          "[{\"name\":\"cfg\",\"listen\":\"127.0.0.1:0\",\"upstream\":\""
              + echo.address()
              + "\"}]");
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      Process child =
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  Main.class.getName(),
                  "faultproxy",
                  "--api",
                  "127.0.0.1:0",
                  "--config",
                  config.toString())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      try {
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        Pattern api = Pattern.compile("Toxiproxy API on http://127\\.0\\.0\\.1:(\\d+)");
        // Read in the background so a child that never prints fails the test instead of hanging it.
        CompletableFuture<Integer> announced =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                      Matcher m = api.matcher(line);
                      if (m.find()) {
                        return Integer.parseInt(m.group(1));
                      }
                    }
                    return -1;
                  } catch (IOException e) {
                    return -1;
                  }
                });
        int apiPort = announced.get(60, TimeUnit.SECONDS);
        assertThat(apiPort).isPositive();
        ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", apiPort);
        Proxy p = client.getProxy("cfg");
        p.toxics().latency("l", ToxicDirection.DOWNSTREAM, 50);
        int proxyPort = ProxyFixture.port(p);
        try (Socket s = ProxyFixture.connect(p)) {
          long ns = ProxyFixture.roundTrip(s, "hi".getBytes(StandardCharsets.US_ASCII));
          assertThat(TimeUnit.NANOSECONDS.toMillis(ns)).isGreaterThanOrEqualTo(45L);
        }
        child.destroy(); // SIGTERM
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        for (int port : List.of(apiPort, proxyPort)) {
          assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
              .isInstanceOf(ConnectException.class);
        }
      } finally {
        child.destroyForcibly();
        child.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static String errorsOf(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute(args)).isNotZero();
    return err.toString();
  }

  @Test
  void badApiAddressIsNamed() {
    assertThat(errorsOf("faultproxy", "--api", "nowhere"))
        .contains("--api: expected host:port, got 'nowhere'");
  }

  @Test
  void unreadableConfigIsNamed() {
    assertThat(
            errorsOf(
                "faultproxy",
                "--api",
                "127.0.0.1:0",
                "--config",
                tmp.resolve("nope.json").toString()))
        .contains("--config: cannot read file")
        .contains("nope.json");
  }

  @Test
  void invalidConfigNamesTheFileAndTheProblem() throws Exception {
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "[{\"name\":\"x\"}]");
    assertThat(errorsOf("faultproxy", "--api", "127.0.0.1:0", "--config", bad.toString()))
        .contains("bad.json")
        .contains("missing required field: upstream at proxy 1");
    Files.writeString(bad, "[{");
    assertThat(errorsOf("faultproxy", "--api", "127.0.0.1:0", "--config", bad.toString()))
        .contains("bad.json: not valid JSON");
  }

  @Test
  void benchPrintsThroughputAndOverhead() {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("faultproxy", "bench", "--seconds", "1", "--requests", "200")).isZero();
    Matcher mbs = Pattern.compile("throughput proxied +([0-9.]+) MB/s").matcher(out.toString());
    assertThat(mbs.find()).as(out.toString()).isTrue();
    assertThat(Double.parseDouble(mbs.group(1))).isPositive();
    assertThat(out.toString()).contains("added per request").contains("requests/s proxied");
  }

  @Test
  void benchRejectsOutOfRangeKnobs() {
    assertThat(errorsOf("faultproxy", "bench", "--seconds", "0"))
        .contains("--seconds: expected 1..120, got 0");
  }
}
