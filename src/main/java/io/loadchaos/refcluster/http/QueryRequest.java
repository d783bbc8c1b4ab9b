package io.loadchaos.refcluster.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of a query request: a POST's JSON object or form body, then the URL's query
 * string for anything the body did not set. A JSON {@code params} object arrives as its JSON text.
 */
final class QueryRequest {
  private QueryRequest() {}

  static Map<String, String> params(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    Map<String, String> params = new HashMap<>();
    if (req.method() == HttpMethod.POST) {
      MediaType type = req.headers().contentType();
      String text = req.contentUtf8();
      if (type != null && type.is(MediaType.FORM_DATA)) {
        QueryParams.fromQueryString(text).forEach((k, v) -> params.put(k, v));
      } else if (!text.isBlank()) {
        JsonNode n;
        try {
          n = Json.MAPPER.readTree(text);
        } catch (IOException e) {
          throw new ApiException(400, "query body is not JSON: expected {\"db\":...,\"q\":...,\"format\":...}");
        }
        if (n == null || !n.isObject()) {
          throw new ApiException(400, "query body must be a JSON object: {\"db\":...,\"q\":...,\"format\":...}");
        }
        n.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
      }
    } else if (req.method() != HttpMethod.GET) {
      throw new ApiException(405, "use GET or POST for " + ctx.path());
    }
    ctx.queryParams().forEach((k, v) -> params.putIfAbsent(k, v));
    return params;
  }

  /** The {@code params} of a query (a JSON object of placeholder name to value); empty when absent. */
  static Map<String, Object> bindings(Map<String, String> params) {
    String json = params.get("params");
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      Map<String, Object> m = Json.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
      return m == null ? Map.of() : m;
    } catch (IOException e) {
      throw new ApiException(400, "invalid 'params': expected a JSON object of placeholder name to value, like {\"host\":\"h1\"}");
    }
  }
}
