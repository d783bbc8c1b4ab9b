package io.loadchaos.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's chromium in headless mode, driven over the DevTools protocol on 127.0.0.1: loads a
 * page, collects console errors, uncaught exceptions and blocked requests, evaluates expressions.
 * Closing stops the browser and all its child processes and deletes the profile.
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final Path profile;
  private final Process process;
  private final WebSocket ws;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();

  private HeadlessChromium(Path profile, Process process, WebSocket ws) {
    this.profile = profile;
    this.process = process;
    this.ws = ws;
  }

  static HeadlessChromium start() throws Exception {
    Path profile = Files.createTempDirectory("loadchaos-chromium-");
    Process p = null;
    try {
      p = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
          "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
          "about:blank")
          .redirectErrorStream(true)
          .redirectOutput(profile.resolve("chromium.log").toFile())
          .start();
      Path portFile = profile.resolve("DevToolsActivePort");
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
        if (!p.isAlive()) throw new IllegalStateException("chromium exited: " + Files.readString(profile.resolve("chromium.log")));
        if (System.nanoTime() > deadline) throw new IllegalStateException("chromium did not open its DevTools port");
        Thread.sleep(100);
      }
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
      HttpClient http = HttpClient.newHttpClient();
      String wsUrl = null;
      while (wsUrl == null) {
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode t : JSON.readTree(list)) {
          if (t.path("type").asText().equals("page")) wsUrl = t.path("webSocketDebuggerUrl").asText();
        }
        if (wsUrl == null) {
          if (System.nanoTime() > deadline) throw new IllegalStateException("chromium opened no page: " + list);
          Thread.sleep(100);
        }
      }
      Holder holder = new Holder();
      WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
          .buildAsync(URI.create(wsUrl), holder).get(30, TimeUnit.SECONDS);
      HeadlessChromium c = new HeadlessChromium(profile, p, socket);
      holder.owner = c;
      return c;
    } catch (Exception | Error e) {
      stop(p);
      deleteTree(profile);
      throw e;
    }
  }

  /** What loading a page produced. */
  record Load(List<String> problems) {}

  /** Opens the file, waits for its load event, returns console errors, exceptions and blocked loads. */
  Load open(Path file) throws Exception {
    call("Runtime.enable", JSON.createObjectNode());
    call("Log.enable", JSON.createObjectNode());
    call("Page.enable", JSON.createObjectNode());
    events.clear();
    ObjectNode nav = JSON.createObjectNode().put("url", file.toUri().toString());
    JsonNode r = call("Page.navigate", nav);
    if (r.has("errorText")) throw new IllegalStateException("navigation failed: " + r.get("errorText").asText());
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (events.stream().noneMatch(e -> e.path("method").asText().equals("Page.loadEventFired"))) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("page did not finish loading");
      Thread.sleep(50);
    }
    // a round trip after the load event, so that messages logged during it have arrived
    evaluate("1");
    List<String> problems = new ArrayList<>();
    for (JsonNode e : events) {
      String m = e.path("method").asText();
      JsonNode p = e.path("params");
      switch (m) {
        case "Runtime.exceptionThrown" -> problems.add("exception: " + p.path("exceptionDetails"));
        case "Runtime.consoleAPICalled" -> {
          String type = p.path("type").asText();
          if (type.equals("error") || type.equals("warning") || type.equals("assert")) problems.add("console." + type + ": " + p.path("args"));
        }
        case "Log.entryAdded" -> {
          String level = p.path("entry").path("level").asText();
          if (level.equals("error") || level.equals("warning")) problems.add("log " + level + ": " + p.path("entry").path("text").asText());
        }
        default -> { }
      }
    }
    return new Load(problems);
  }

  /** The value of a JavaScript expression in the page (strings, numbers, booleans). */
  JsonNode evaluate(String expression) throws Exception {
    ObjectNode p = JSON.createObjectNode().put("expression", expression).put("returnByValue", true);
    JsonNode r = call("Runtime.evaluate", p);
    if (r.has("exceptionDetails")) throw new IllegalStateException("evaluating " + expression + ": " + r.get("exceptionDetails"));
    return r.path("result").path("value");
  }

  private JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
    msg.set("params", params);
    ws.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
    JsonNode reply = f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (reply.has("error")) throw new IllegalStateException(method + " failed: " + reply.get("error"));
    return reply.path("result");
  }

  private void onMessage(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      if (n.has("id")) {
        CompletableFuture<JsonNode> f = pending.remove(n.get("id").asInt());
        if (f != null) f.complete(n);
      } else {
        events.add(n);
      }
    } catch (IOException e) {
      events.add(JSON.createObjectNode().put("method", "Runtime.exceptionThrown").put("unparsable", text));
    }
  }

  @Override
  public void close() {
    try {
      ws.abort();
    } finally {
      stop(process);
      deleteTree(profile);
    }
  }

  private static void stop(Process p) {
    if (p == null) return;
    List<ProcessHandle> children = p.descendants().toList();
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    // the zygote, GPU and renderer processes must not outlive the test
    for (ProcessHandle c : children) {
      if (c.isAlive()) c.destroyForcibly();
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    } catch (IOException e) {
      // best effort: a leftover temp profile is harmless
    }
  }

  /** Reassembles fragmented text frames and hands whole messages to the owner. */
  private static final class Holder implements WebSocket.Listener {
    volatile HeadlessChromium owner;
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String msg = partial.toString();
        partial.setLength(0);
        HeadlessChromium o = owner;
        if (o != null) o.onMessage(msg);
      }
      webSocket.request(1);
      return null;
    }
  }
}
