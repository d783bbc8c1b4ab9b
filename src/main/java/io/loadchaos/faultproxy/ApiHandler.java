package io.loadchaos.faultproxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Toxiproxy 2.x REST routes. Bodies are read as JSON whatever the Content-Type says, because
 * toxiproxy-java posts JSON as a form.
 */
final class ApiHandler implements HttpHandler {
  /** A Toxiproxy version, so clients that compare versions treat this as 2.x; suffix names us. */
  static final String VERSION = "2.12.0-loadchaos";

  private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProxyRegistry registry;

  ApiHandler(ProxyRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try {
      String agent = ex.getRequestHeaders().getFirst("User-Agent");
      if (agent != null && agent.startsWith("Mozilla/")) {
        // Toxiproxy refuses browsers, so a web page cannot reconfigure the network.
        throw new ApiException(403, "User agent not allowed");
      }
      route(ex);
    } catch (ApiException e) {
      ObjectNode err = JsonNodeFactory.instance.objectNode();
      err.put("error", e.getMessage());
      err.put("status", e.status());
      send(ex, e.status(), err);
    } catch (RuntimeException e) {
      log.warn("API {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
      ObjectNode err = JsonNodeFactory.instance.objectNode();
      err.put("error", String.valueOf(e.getMessage()));
      err.put("status", 500);
      send(ex, 500, err);
    } finally {
      ex.close();
    }
  }

  private void route(HttpExchange ex) throws IOException, ApiException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    List<String> parts = List.of(path.replaceAll("^/+", "").replaceAll("/+$", "").split("/", -1));
    String first = parts.get(0);
    boolean update = method.equals("POST") || method.equals("PATCH");
    switch (parts.size()) {
      case 1 -> {
        switch (first) {
          case "version" -> {
            requireMethod(method, "GET");
            ObjectNode v = JsonNodeFactory.instance.objectNode();
            v.put("version", VERSION);
            send(ex, 200, v);
          }
          case "proxies" -> {
            if (method.equals("GET")) {
              send(ex, 200, registry.listJson());
            } else {
              requireMethod(method, "POST");
              send(ex, 201, registry.create(body(ex)).toJson());
            }
          }
          case "populate" -> {
            requireMethod(method, "POST");
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            var arr = out.putArray("proxies");
            for (TcpProxy p : registry.populate(body(ex))) {
              arr.add(p.toJson());
            }
            send(ex, 201, out);
          }
          case "reset" -> {
            requireMethod(method, "POST");
            registry.reset();
            send(ex, 204, null);
          }
          default -> throw new ApiException(404, "404 page not found");
        }
      }
      case 2 -> {
        requirePrefix(first);
        String name = parts.get(1);
        switch (method) {
          case "GET" -> send(ex, 200, registry.get(name).toJson());
          case "DELETE" -> {
            registry.delete(name);
            send(ex, 204, null);
          }
          default -> {
            if (!update) {
              throw methodNotAllowed(method);
            }
            send(ex, 200, registry.update(name, body(ex)).toJson());
          }
        }
      }
      case 3 -> {
        requirePrefix(first);
        requireToxics(parts.get(2));
        TcpProxy p = registry.get(parts.get(1));
        if (method.equals("GET")) {
          send(ex, 200, ProxyRegistry.toxicsJson(p));
        } else {
          requireMethod(method, "POST");
          send(ex, 200, p.addToxic(ToxicSpec.fromCreateBody(body(ex))).toJson());
        }
      }
      case 4 -> {
        requirePrefix(first);
        requireToxics(parts.get(2));
        TcpProxy p = registry.get(parts.get(1));
        String toxic = parts.get(3);
        switch (method) {
          case "GET" -> {
            ToxicSpec t = p.find(toxic);
            if (t == null) {
              throw ApiException.toxicNotFound();
            }
            send(ex, 200, t.toJson());
          }
          case "DELETE" -> {
            p.removeToxic(toxic);
            send(ex, 204, null);
          }
          default -> {
            if (!update) {
              throw methodNotAllowed(method);
            }
            send(ex, 200, p.updateToxic(toxic, body(ex)).toJson());
          }
        }
      }
      default -> throw new ApiException(404, "404 page not found");
    }
  }

  private static void requirePrefix(String first) throws ApiException {
    if (!first.equals("proxies")) {
      throw new ApiException(404, "404 page not found");
    }
  }

  private static void requireToxics(String part) throws ApiException {
    if (!part.equals("toxics")) {
      throw new ApiException(404, "404 page not found");
    }
  }

  private static void requireMethod(String method, String allowed) throws ApiException {
    if (!method.equals(allowed)) {
      throw methodNotAllowed(method);
    }
  }

  private static ApiException methodNotAllowed(String method) {
    return new ApiException(405, "method " + method + " not allowed on this route");
  }

  private static JsonNode body(HttpExchange ex) throws IOException, ApiException {
    byte[] bytes = ex.getRequestBody().readAllBytes();
    if (bytes.length == 0) {
      throw ApiException.badBody("EOF");
    }
    try {
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ApiException.badBody(e.getOriginalMessage());
    }
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    if (body == null) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
