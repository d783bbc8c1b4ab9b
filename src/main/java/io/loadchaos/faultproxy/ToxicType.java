package io.loadchaos.faultproxy;

import java.util.List;

/** The toxic kinds this proxy implements, with their Toxiproxy wire names and attribute names. */
enum ToxicType {
  LATENCY("latency", List.of("latency", "jitter")),
  BANDWIDTH("bandwidth", List.of("rate")),
  SLOW_CLOSE("slow_close", List.of("delay")),
  TIMEOUT("timeout", List.of("timeout")),
  RESET_PEER("reset_peer", List.of("timeout")),
  SLICER("slicer", List.of("average_size", "size_variation", "delay")),
  LIMIT_DATA("limit_data", List.of("bytes"));

  final String wireName;
  final List<String> attributes;

  ToxicType(String wireName, List<String> attributes) {
    this.wireName = wireName;
    this.attributes = attributes;
  }

  static ToxicType parse(String s) throws ApiException {
    for (ToxicType t : values()) {
      if (t.wireName.equals(s)) {
        return t;
      }
    }
    StringBuilder known = new StringBuilder();
    for (ToxicType t : values()) {
      known.append(known.length() == 0 ? "" : ", ").append(t.wireName);
    }
    throw new ApiException(400, "invalid toxic type: '" + s + "' (expected one of " + known + ")");
  }
}
