package io.loadchaos.faultproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.Slicer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every REST route and error code, through toxiproxy-java where it has a call, raw HTTP else. */
class FaultProxyApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private ProxyFixture fx;

  @BeforeEach
  void start() throws IOException {
    fx = new ProxyFixture();
  }

  @AfterEach
  void stop() throws IOException {
    fx.close();
  }

  private record Reply(int status, JsonNode body) {}

  private Reply call(String method, String path, String body, String contentType) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + fx.server.apiAddress().getPort() + path));
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
  }

  private Reply call(String method, String path, String body) throws Exception {
    return call(method, path, body, "application/json");
  }

  private static void assertError(Reply r, int status, String messageStart) {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.body().get("status").asInt()).isEqualTo(status);
    assertThat(r.body().get("error").asText()).startsWith(messageStart);
  }

  @Test
  void versionIsAToxiproxyTwoVersion() throws Exception {
    Reply r = call("GET", "/version", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("version").asText()).startsWith("2.");
  }

  @Test
  void createShowsTheRealListenAddressAndEchoesTheFullProxyObject() throws Exception {
    Proxy p = fx.proxy("db");
    assertThat(p.getName()).isEqualTo("db");
    assertThat(p.getListen()).matches("127\\.0\\.0\\.1:\\d+").isNotEqualTo("127.0.0.1:0");
    assertThat(p.getUpstream()).isEqualTo(fx.echo.address());
    assertThat(p.isEnabled()).isTrue();

    Reply shown = call("GET", "/proxies/db", null);
    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.body().get("listen").asText()).isEqualTo(p.getListen());
    assertThat(shown.body().get("enabled").asBoolean()).isTrue();
    assertThat(shown.body().get("toxics").isArray()).isTrue();

    Reply all = call("GET", "/proxies", null);
    assertThat(all.body().get("db").get("upstream").asText()).isEqualTo(fx.echo.address());
    assertThat(fx.client.getProxies()).extracting(Proxy::getName).containsExactly("db");
    assertThat(fx.client.getProxy("db").getListen()).isEqualTo(p.getListen());
  }

  @Test
  void createAnswers201AndAcceptsJsonPostedAsAForm() throws Exception {
    String body =
        "{\"name\":\"form\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + fx.echo.address() + "\"}";
    Reply r = call("POST", "/proxies", body, "application/x-www-form-urlencoded");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.body().get("name").asText()).isEqualTo("form");
    assertThat(r.body().get("toxics").size()).isZero();
  }

  @Test
  void createErrors() throws Exception {
    fx.proxy("dup");
    assertThatThrownBy(() -> fx.proxy("dup"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("[409] proxy already exists");
    assertError(
        call("POST", "/proxies", "{\"upstream\":\"127.0.0.1:1\"}"),
        400,
        "missing required field: name");
    assertError(
        call("POST", "/proxies", "{\"name\":\"x\"}"), 400, "missing required field: upstream");
    assertError(call("POST", "/proxies", "{not json"), 400, "bad request body");
    assertError(call("POST", "/proxies", null), 400, "bad request body: EOF");
    assertError(
        call("POST", "/proxies", "{\"name\":\"x\",\"upstream\":\"nope\"}"),
        400,
        "bad request body: upstream: expected host:port");
    assertError(
        call(
            "POST",
            "/proxies",
            "{\"name\":\"x\",\"upstream\":\"127.0.0.1:1\",\"enabled\":\"yes\"}"),
        400,
        "bad request body: field 'enabled' must be true or false");
    String taken = fx.client.getProxy("dup").getListen();
    assertError(
        call(
            "POST",
            "/proxies",
            "{\"name\":\"clash\",\"listen\":\"" + taken + "\",\"upstream\":\"127.0.0.1:1\"}"),
        500,
        "listen tcp " + taken);
    assertThat(call("GET", "/proxies/clash", null).status()).isEqualTo(404);
  }

  @Test
  void createDisabledDoesNotListen() throws Exception {
    Reply r =
        call(
            "POST",
            "/proxies",
            "{\"name\":\"off\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\",\"enabled\":false}");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.body().get("enabled").asBoolean()).isFalse();
  }

  @Test
  void updateChangesUpstreamAndEnabledAndKeepsOmittedFields() throws Exception {
    Proxy p = fx.proxy("u");
    String listen = p.getListen();
    p.setUpstream("127.0.0.1:9");
    assertThat(p.getUpstream()).isEqualTo("127.0.0.1:9");
    assertThat(p.getListen()).isEqualTo(listen);
    assertThat(p.isEnabled()).isTrue();
    p.disable();
    assertThat(p.isEnabled()).isFalse();
    p.enable();
    assertThat(p.isEnabled()).isTrue();
    assertThat(p.getListen()).isEqualTo(listen);
    Reply patched = call("PATCH", "/proxies/u", "{\"enabled\":false}");
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.body().get("enabled").asBoolean()).isFalse();
    assertError(
        call("POST", "/proxies/u", "{\"listen\":7}"),
        400,
        "bad request body: field 'listen' must be a string");
    assertError(call("POST", "/proxies/missing", "{\"enabled\":true}"), 404, "proxy not found");
  }

  @Test
  void deleteRemovesTheProxy() throws Exception {
    Proxy p = fx.proxy("gone");
    p.delete();
    assertThat(fx.client.getProxyOrNull("gone")).isNull();
    assertError(call("GET", "/proxies/gone", null), 404, "proxy not found");
    assertError(call("DELETE", "/proxies/gone", null), 404, "proxy not found");
  }

  @Test
  void toxicLifecycleThroughToxiproxyJava() throws Exception {
    Proxy p = fx.proxy("t");
    Latency lat = p.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 150).setJitter(20);
    assertThat(lat.getLatency()).isEqualTo(150);
    assertThat(lat.getJitter()).isEqualTo(20);
    assertThat(lat.getToxicity()).isEqualTo(1.0f);
    p.toxics().bandwidth("bw", ToxicDirection.UPSTREAM, 100);
    p.toxics().timeout("to", ToxicDirection.DOWNSTREAM, 0);
    p.toxics().resetPeer("rp", ToxicDirection.UPSTREAM, 10);
    p.toxics().slowClose("sc", ToxicDirection.DOWNSTREAM, 5);
    p.toxics().limitData("ld", ToxicDirection.DOWNSTREAM, 1000);
    Slicer sl = p.toxics().slicer("sl", ToxicDirection.UPSTREAM, 100, 1000).setSizeVariation(10);
    assertThat(sl.getAverageSize()).isEqualTo(100);
    assertThat(sl.getSizeVariation()).isEqualTo(10);
    assertThat(sl.getDelay()).isEqualTo(1000);

    List<? extends Toxic> all = p.toxics().getAll();
    // Upstream toxics are listed first, each stream in creation order, as Toxiproxy does.
    assertThat(all)
        .extracting(Toxic::getName)
        .containsExactly("bw", "rp", "sl", "slow", "to", "sc", "ld");
    Latency fetched = p.toxics().get("slow", Latency.class);
    assertThat(fetched.getLatency()).isEqualTo(150);
    assertThat(fetched.getJitter()).isEqualTo(20);
    fetched.setToxicity(0.5f);
    assertThat(p.toxics().get("slow").getToxicity()).isEqualTo(0.5f);

    Reply shown = call("GET", "/proxies/t/toxics/slow", null);
    assertThat(shown.body().get("type").asText()).isEqualTo("latency");
    assertThat(shown.body().get("stream").asText()).isEqualTo("downstream");
    assertThat(shown.body().get("attributes").get("latency").asLong()).isEqualTo(150);
    assertThat(call("GET", "/proxies/t", null).body().get("toxics").size()).isEqualTo(7);

    fetched.remove();
    assertThat(p.toxics().getAll()).extracting(Toxic::getName).doesNotContain("slow");
  }

  @Test
  void toxicErrors() throws Exception {
    Proxy p = fx.proxy("e");
    p.toxics().latency("l", ToxicDirection.DOWNSTREAM, 1);
    assertThatThrownBy(() -> p.toxics().latency("l", ToxicDirection.DOWNSTREAM, 1))
        .hasMessageContaining("[409] toxic already exists");
    assertError(
        call("POST", "/proxies/e/toxics", "{\"type\":\"smoke\"}"),
        400,
        "invalid toxic type: 'smoke'");
    assertError(
        call("POST", "/proxies/e/toxics", "{\"type\":\"latency\",\"stream\":\"sideways\"}"),
        400,
        "stream was invalid, can be either upstream or downstream");
    assertError(
        call(
            "POST",
            "/proxies/e/toxics",
            "{\"type\":\"latency\",\"name\":\"neg\",\"attributes\":{\"latency\":-5}}"),
        400,
        "bad request body: attribute 'latency' of a latency toxic must be >= 0");
    assertError(call("POST", "/proxies/e/toxics", "[1]"), 400, "bad request body");
    assertError(
        call("POST", "/proxies/nope/toxics", "{\"type\":\"latency\"}"), 404, "proxy not found");
    assertError(call("GET", "/proxies/nope/toxics", null), 404, "proxy not found");
    assertError(call("GET", "/proxies/e/toxics/none", null), 404, "toxic not found");
    assertError(call("POST", "/proxies/e/toxics/none", "{\"toxicity\":1}"), 404, "toxic not found");
    assertError(call("DELETE", "/proxies/e/toxics/none", null), 404, "toxic not found");
  }

  @Test
  void toxicDefaultsAndPartialUpdateLikeToxiproxy() throws Exception {
    fx.proxy("d");
    Reply created = call("POST", "/proxies/d/toxics", "{\"type\":\"latency\"}");
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.body().get("name").asText()).isEqualTo("latency_downstream");
    assertThat(created.body().get("stream").asText()).isEqualTo("downstream");
    assertThat(created.body().get("toxicity").asDouble()).isEqualTo(1.0);
    assertThat(created.body().get("attributes").get("latency").asLong()).isZero();
    assertThat(created.body().get("attributes").get("jitter").asLong()).isZero();

    Reply updated =
        call("POST", "/proxies/d/toxics/latency_downstream", "{\"attributes\":{\"jitter\":7}}");
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.body().get("attributes").get("jitter").asLong()).isEqualTo(7);
    assertThat(updated.body().get("attributes").get("latency").asLong()).isZero();
    assertThat(
            call("GET", "/proxies/d/toxics", null)
                .body()
                .get(0)
                .get("attributes")
                .get("jitter")
                .asLong())
        .isEqualTo(7);
    Reply deleted = call("DELETE", "/proxies/d/toxics/latency_downstream", null);
    assertThat(deleted.status()).isEqualTo(204);
  }

  @Test
  void populateCreatesKeepsAndReplaces() throws Exception {
    String one =
        "{\"name\":\"a\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + fx.echo.address() + "\"}";
    Reply r =
        call(
            "POST",
            "/populate",
            "[" + one + ",{\"name\":\"b\",\"upstream\":\"127.0.0.1:1\",\"enabled\":false}]");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.body().get("proxies")).hasSize(2);
    String aListen = r.body().get("proxies").get(0).get("listen").asText();

    // Same listen and upstream: kept as is (with its toxics).
    fx.client.getProxy("a").toxics().latency("kept", ToxicDirection.DOWNSTREAM, 1);
    String same =
        "{\"name\":\"a\",\"listen\":\""
            + aListen
            + "\",\"upstream\":\""
            + fx.echo.address()
            + "\"}";
    Reply again = call("POST", "/populate", "[" + same + "]");
    assertThat(again.status()).as(String.valueOf(again.body())).isEqualTo(201);
    assertThat(again.body().get("proxies").get(0).get("toxics")).hasSize(1);

    // A changed upstream replaces it.
    Reply replaced =
        call(
            "POST",
            "/populate",
            "[{\"name\":\"a\",\"listen\":\"" + aListen + "\",\"upstream\":\"127.0.0.1:2\"}]");
    assertThat(replaced.status()).as(String.valueOf(replaced.body())).isEqualTo(201);
    assertThat(replaced.body().get("proxies").get(0).get("upstream").asText())
        .isEqualTo("127.0.0.1:2");
    assertThat(replaced.body().get("proxies").get(0).get("toxics")).isEmpty();

    assertError(
        call("POST", "/populate", "[" + one + ",{\"name\":\"c\"}]"),
        400,
        "missing required field: upstream at proxy 2");
    assertError(call("POST", "/populate", "{}"), 400, "bad request body");
  }

  @Test
  void resetEnablesEveryProxyAndRemovesEveryToxic() throws Exception {
    Proxy a = fx.proxy("a");
    Proxy b = fx.proxy("b");
    a.toxics().latency("l", ToxicDirection.DOWNSTREAM, 100);
    b.toxics().timeout("t", ToxicDirection.UPSTREAM, 0);
    b.disable();
    fx.client.reset();
    assertThat(fx.client.getProxy("a").toxics().getAll()).isEmpty();
    assertThat(fx.client.getProxy("b").toxics().getAll()).isEmpty();
    assertThat(fx.client.getProxy("b").isEnabled()).isTrue();
    assertThat(call("POST", "/reset", null).status()).isEqualTo(204);
  }

  @Test
  void unknownRoutesWrongMethodsAndBrowsers() throws Exception {
    assertError(call("GET", "/nothing", null), 404, "404 page not found");
    assertError(call("GET", "/proxies/a/b/c/d", null), 404, "404 page not found");
    assertError(call("PUT", "/proxies", "{}"), 405, "method PUT not allowed");
    assertError(call("DELETE", "/reset", null), 405, "method DELETE not allowed");
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + fx.server.apiAddress().getPort() + "/proxies"))
                .header("User-Agent", "Mozilla/5.0")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
  }
}
