package io.loadchaos.faultproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One configured toxic, immutable: a change through the API makes a new instance, so links can
 * compare what they run against what is configured.
 */
record ToxicSpec(
    String name, ToxicType type, Direction stream, float toxicity, Map<String, Long> attributes) {

  long attr(String key) {
    return attributes.getOrDefault(key, 0L);
  }

  /**
   * Parses a create body; defaults like Toxiproxy: stream downstream, toxicity 1, name type_stream.
   */
  static ToxicSpec fromCreateBody(JsonNode body) throws ApiException {
    if (!body.isObject()) {
      throw ApiException.badBody("expected a JSON object");
    }
    String typeName = text(body, "type", "");
    String streamName = text(body, "stream", "downstream");
    Direction stream = Direction.parse(streamName);
    String name = text(body, "name", "");
    if (name.isEmpty()) {
      name = typeName + "_" + streamName;
    }
    ToxicType type = ToxicType.parse(typeName);
    float toxicity = number(body, "toxicity", 1.0f);
    Map<String, Long> attrs = new LinkedHashMap<>();
    for (String a : type.attributes) {
      attrs.put(a, 0L);
    }
    mergeAttributes(type, attrs, body.get("attributes"));
    return new ToxicSpec(name, type, stream, toxicity, Map.copyOf(attrs));
  }

  /** Applies an update body (partial "attributes" and/or "toxicity"), like Toxiproxy's merge. */
  ToxicSpec updatedWith(JsonNode body) throws ApiException {
    if (!body.isObject()) {
      throw ApiException.badBody("expected a JSON object");
    }
    Map<String, Long> attrs = new LinkedHashMap<>(attributes);
    mergeAttributes(type, attrs, body.get("attributes"));
    float newToxicity = number(body, "toxicity", toxicity);
    return new ToxicSpec(name, type, stream, newToxicity, Map.copyOf(attrs));
  }

  ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    ObjectNode a = n.putObject("attributes");
    for (String key : type.attributes) {
      a.put(key, attr(key));
    }
    n.put("name", name);
    n.put("type", type.wireName);
    n.put("stream", stream.wireName);
    n.put("toxicity", toxicity);
    return n;
  }

  private static void mergeAttributes(ToxicType type, Map<String, Long> into, JsonNode given)
      throws ApiException {
    if (given == null || given.isNull()) {
      return;
    }
    if (!given.isObject()) {
      throw ApiException.badBody("'attributes' must be a JSON object");
    }
    // Unknown attribute names are ignored, as Toxiproxy's JSON decoding does.
    for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!type.attributes.contains(e.getKey())) {
        continue;
      }
      JsonNode v = e.getValue();
      if (!v.isIntegralNumber() && !(v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
        throw ApiException.badBody(
            "attribute '"
                + e.getKey()
                + "' of a "
                + type.wireName
                + " toxic must be an integer, got "
                + v);
      }
      long value = v.asLong();
      if (value < 0) {
        throw ApiException.badBody(
            "attribute '"
                + e.getKey()
                + "' of a "
                + type.wireName
                + " toxic must be >= 0, got "
                + value);
      }
      into.put(e.getKey(), value);
    }
  }

  private static String text(JsonNode body, String field, String dflt) throws ApiException {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isTextual()) {
      throw ApiException.badBody("field '" + field + "' must be a string, got " + v);
    }
    return v.asText();
  }

  private static float number(JsonNode body, String field, float dflt) throws ApiException {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isNumber()) {
      throw ApiException.badBody("field '" + field + "' must be a number, got " + v);
    }
    return v.floatValue();
  }
}
