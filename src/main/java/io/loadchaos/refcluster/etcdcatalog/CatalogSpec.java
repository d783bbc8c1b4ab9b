package io.loadchaos.refcluster.etcdcatalog;

import java.util.ArrayList;
import java.util.List;

/**
 * The node flag {@code --catalog etcd://host:port,host:port[/cluster]}: where the catalog lives and
 * under which cluster name (keys {@code /loadchaos/<cluster>/...}). Credentials are never part of
 * it: they come from {@link #USER_ENV} and {@link #PASSWORD_ENV}.
 */
public record CatalogSpec(List<String> hostPorts, String cluster) {
  public static final String USER_ENV = "LOADCHAOS_ETCD_USER";
  public static final String PASSWORD_ENV = "LOADCHAOS_ETCD_PASSWORD";
  private static final String SCHEME = "etcd://";

  public CatalogSpec {
    hostPorts = List.copyOf(hostPorts);
  }

  public static CatalogSpec parse(String spec) {
    if (spec == null || !spec.startsWith(SCHEME)) {
      throw new IllegalArgumentException("--catalog '" + spec + "': expected etcd://host:port,host:port[/cluster]");
    }
    String rest = spec.substring(SCHEME.length());
    if (rest.contains("@")) {
      // said before anything that would echo the value: it would hold the password
      throw new IllegalArgumentException("--catalog: no credentials in the URL (it is visible in ps); use $" + USER_ENV + " and $" + PASSWORD_ENV);
    }
    String cluster = "refcluster";
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      cluster = rest.substring(slash + 1);
      rest = rest.substring(0, slash);
      if (!cluster.matches("[A-Za-z0-9_.\\-]+")) {
        throw new IllegalArgumentException("--catalog: cluster name '" + cluster + "' must be letters, digits, '_', '-' or '.'");
      }
    }
    List<String> hosts = new ArrayList<>();
    for (String hp : rest.split(",")) {
      String h = hp.trim();
      if (h.isEmpty()) {
        continue;
      }
      int colon = h.lastIndexOf(':');
      if (colon <= 0 || !h.substring(colon + 1).matches("[0-9]{1,5}")) {
        throw new IllegalArgumentException("--catalog: '" + h + "' is not host:port");
      }
      hosts.add(h);
    }
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("--catalog '" + spec + "': no etcd endpoint");
    }
    return new CatalogSpec(hosts, cluster);
  }

  /** Client URLs for jetcd. */
  public List<String> endpoints() {
    return hostPorts.stream().map(h -> "http://" + h).toList();
  }

  /** The key prefix of this cluster's catalog. */
  public String prefix() {
    return "/loadchaos/" + cluster + "/";
  }

  /** How error messages name the catalog: {@code etcd 127.0.0.1:p1,127.0.0.1:p2}. */
  public String describe() {
    return "etcd " + String.join(",", hostPorts);
  }

  /** The flag's value again (for a launcher passing it on). */
  public String flag() {
    return SCHEME + String.join(",", hostPorts) + "/" + cluster;
  }
}
