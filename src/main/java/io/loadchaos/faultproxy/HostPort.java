package io.loadchaos.faultproxy;

/** A "host:port" address as Toxiproxy writes them ("[::1]:80", ":8080" = every interface). */
record HostPort(String host, int port) {

  static HostPort parse(String field, String s) throws ApiException {
    int colon = s == null ? -1 : s.lastIndexOf(':');
    if (colon < 0) {
      throw ApiException.badBody(field + ": expected host:port, got '" + s + "'");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw ApiException.badBody(field + ": port must be a number in '" + s + "'");
    }
    if (port < 0 || port > 65535) {
      throw ApiException.badBody(field + ": port out of range in '" + s + "'");
    }
    return new HostPort(host, port);
  }

  static String format(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
