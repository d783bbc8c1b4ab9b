package io.loadchaos.faultproxy;

/** Which way a toxic acts: upstream = client to server, downstream = server to client. */
enum Direction {
  UPSTREAM("upstream"),
  DOWNSTREAM("downstream");

  final String wireName;

  Direction(String wireName) {
    this.wireName = wireName;
  }

  static Direction parse(String s) throws ApiException {
    for (Direction d : values()) {
      if (d.wireName.equals(s)) {
        return d;
      }
    }
    throw new ApiException(400, "stream was invalid, can be either upstream or downstream");
  }
}
