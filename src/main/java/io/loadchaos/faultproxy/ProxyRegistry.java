package io.loadchaos.faultproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** All proxies by name, with the operations of the Toxiproxy REST API. */
final class ProxyRegistry {
  private final EventLoopGroup group;

  /** Sorted by name: Toxiproxy's JSON encoder sorts the keys of GET /proxies. */
  private final Map<String, TcpProxy> proxies = new TreeMap<>();

  /** Deliberate defect: a toxic change reaches only connections opened after it. */
  volatile boolean toxicsOnNewConnectionsOnly;

  ProxyRegistry(EventLoopGroup group) {
    this.group = group;
  }

  synchronized ObjectNode listJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    for (TcpProxy p : proxies.values()) {
      n.set(p.name, p.toJson());
    }
    return n;
  }

  synchronized TcpProxy get(String name) throws ApiException {
    TcpProxy p = proxies.get(name);
    if (p == null) {
      throw ApiException.proxyNotFound();
    }
    return p;
  }

  /** POST /proxies: 409 if the name exists; a proxy that cannot listen is not added. */
  synchronized TcpProxy create(JsonNode body) throws ApiException {
    ProxyInput in = ProxyInput.parse(body, "");
    if (proxies.containsKey(in.name())) {
      throw new ApiException(409, "proxy already exists");
    }
    TcpProxy p = new TcpProxy(group, in.name(), in.listen(), in.upstream(), () -> toxicsOnNewConnectionsOnly);
    if (in.enabled()) {
      p.start();
    }
    proxies.put(p.name, p);
    return p;
  }

  /**
   * POST /populate: validates the whole list first, then adds each proxy or replaces one whose
   * listen or upstream differs (an identical one is kept with its toxics), like Toxiproxy.
   */
  synchronized List<TcpProxy> populate(JsonNode body) throws ApiException {
    if (!body.isArray()) {
      throw ApiException.badBody("expected a JSON array of proxies");
    }
    List<ProxyInput> inputs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < body.size(); i++) {
      ProxyInput in = ProxyInput.parse(body.get(i), " at proxy " + (i + 1));
      if (!names.add(in.name())) {
        throw ApiException.badBody("duplicate proxy name \"" + in.name() + "\"");
      }
      inputs.add(in);
    }
    List<TcpProxy> result = new ArrayList<>();
    for (ProxyInput in : inputs) {
      TcpProxy existing = proxies.get(in.name());
      if (existing != null
          && existing.upstream().equals(in.upstream())
          && sameListen(existing.listen(), in.listen())) {
        result.add(existing);
        continue;
      }
      if (existing != null) {
        existing.stop();
        proxies.remove(in.name());
      }
      TcpProxy p = new TcpProxy(group, in.name(), in.listen(), in.upstream(), () -> toxicsOnNewConnectionsOnly);
      if (in.enabled()) {
        p.start();
      }
      proxies.put(p.name, p);
      result.add(p);
    }
    return result;
  }

  private static boolean sameListen(String current, String requested) {
    return current.equals(requested);
  }

  /** POST /proxies/{name}: fields left out keep their current values. */
  TcpProxy update(String name, JsonNode body) throws ApiException {
    TcpProxy p = get(name);
    if (!body.isObject()) {
      throw ApiException.badBody("expected a JSON object");
    }
    String listen = ProxyInput.text(body, "listen", p.listen(), "");
    String upstream = ProxyInput.text(body, "upstream", p.upstream(), "");
    boolean enabled = ProxyInput.bool(body, "enabled", p.enabled(), "");
    p.update(listen, upstream, enabled);
    return p;
  }

  synchronized void delete(String name) throws ApiException {
    TcpProxy p = get(name);
    p.stop();
    proxies.remove(name);
  }

  /** POST /reset: every proxy enabled, every toxic removed. */
  synchronized void reset() throws ApiException {
    for (TcpProxy p : proxies.values()) {
      p.start();
      p.removeAllToxics();
    }
  }

  synchronized void closeAll() {
    for (TcpProxy p : proxies.values()) {
      p.stop();
    }
    proxies.clear();
  }

  static ArrayNode toxicsJson(TcpProxy p) {
    ArrayNode arr = JsonNodeFactory.instance.arrayNode();
    for (ToxicSpec t : p.toxics()) {
      arr.add(t.toJson());
    }
    return arr;
  }

  /** The fields of a proxy in a create or populate body. */
  record ProxyInput(String name, String listen, String upstream, boolean enabled) {
    static ProxyInput parse(JsonNode body, String where) throws ApiException {
      if (body == null || !body.isObject()) {
        throw ApiException.badBody("expected a JSON object" + where);
      }
      String name = text(body, "name", "", where);
      if (name.isEmpty()) {
        throw ApiException.missingField("name" + where);
      }
      String upstream = text(body, "upstream", "", where);
      if (upstream.isEmpty()) {
        throw ApiException.missingField("upstream" + where);
      }
      // Toxiproxy listens on every interface for an empty listen; this project stays on loopback.
      String listen = text(body, "listen", "", where);
      if (listen.isEmpty()) {
        listen = "127.0.0.1:0";
      }
      HostPort.parse("listen" + where, listen);
      HostPort.parse("upstream" + where, upstream);
      return new ProxyInput(name, listen, upstream, bool(body, "enabled", true, where));
    }

    static String text(JsonNode body, String field, String dflt, String where) throws ApiException {
      JsonNode v = body.get(field);
      if (v == null || v.isNull()) {
        return dflt;
      }
      if (!v.isTextual()) {
        throw ApiException.badBody("field '" + field + "'" + where + " must be a string, got " + v);
      }
      return v.asText();
    }

    static boolean bool(JsonNode body, String field, boolean dflt, String where)
        throws ApiException {
      JsonNode v = body.get(field);
      if (v == null || v.isNull()) {
        return dflt;
      }
      if (!v.isBoolean()) {
        throw ApiException.badBody(
            "field '" + field + "'" + where + " must be true or false, got " + v);
      }
      return v.asBoolean();
    }
  }
}
