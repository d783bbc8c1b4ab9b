package io.loadchaos.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * Network faults through the link proxies. On {@code node:X}: toxics apply to every link into X
 * (from clients and peers; {@code from: peers} only from peers, {@code from: clients} only the
 * clients' link, {@code from: proxied} the clients' link and those peer links that have a proxy);
 * {@code isolate} cuts X's peer links both ways while clients still reach it;
 * {@code partition} cuts every peer link between the chosen side and the rest. Every link a fault
 * names must have a proxy: one without fails the injection, naming it, instead of being skipped.
 */
final class NetworkNemesis implements Nemesis {
  private final LinkProxies links;
  private final List<String> allNodes;

  NetworkNemesis(LinkProxies links, List<String> allNodes) {
    this.links = links;
    this.allNodes = allNodes;
  }

  /** The links a fault acts on; throws when one of them has no proxy. */
  List<String> linksOf(FaultSpec f, List<String> side) {
    List<String> wanted = new ArrayList<>();
    switch (f.action()) {
      case ISOLATE, PARTITION -> {
        for (String a : side) {
          for (String b : allNodes) {
            if (side.contains(b)) continue;
            wanted.add(LinkProxies.link(a, b));
            wanted.add(LinkProxies.link(b, a));
          }
        }
      }
      default -> {
        if (f.target().contains("->")) wanted.add(f.target());
        else {
          String from = f.param("from", "all");
          if (!List.of("all", "peers", "clients", "proxied").contains(from)) {
            throw new IllegalArgumentException("fault " + f.name() + ": param from: '" + from + "', expected all, peers, clients or proxied");
          }
          List<String> proxied = links.links();
          for (String to : side) {
            // from: peers slows only the replication links into the node, not its clients
            if (!from.equals("peers")) wanted.add(LinkProxies.link(null, to));
            if (from.equals("clients")) continue;
            for (String other : allNodes) {
              String l = LinkProxies.link(other, to);
              // from: proxied takes the peer links a cluster file lists, and says so in the proof
              if (!other.equals(to) && (!from.equals("proxied") || proxied.contains(l))) wanted.add(l);
            }
          }
        }
      }
    }
    List<String> have = links.links();
    List<String> missing = wanted.stream().filter(l -> !have.contains(l)).toList();
    if (wanted.isEmpty()) throw new IllegalStateException("no link matches target " + f.target());
    if (!missing.isEmpty()) {
      throw new IllegalStateException("no fault proxy on link" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
          + " (proxied links: " + have + "); the fault cannot be applied there");
    }
    return wanted;
  }

  @Override
  public Heal inject(FaultSpec f, List<String> side) throws Exception {
    List<String> targetLinks = linksOf(f, side);
    switch (f.action()) {
      case LINK_DOWN, ISOLATE, PARTITION -> {
        List<String> done = new ArrayList<>();
        try {
          for (String l : targetLinks) {
            links.disable(l);
            done.add(l);
          }
        } catch (Exception e) {
          // leave nothing half-cut behind a failed injection
          for (String l : done) links.enable(l);
          throw new IllegalStateException("the proxy refused to disable link " + targetLinks.get(done.size()) + ": " + e.getMessage(), e);
        }
        return () -> {
          for (String l : targetLinks) links.enable(l);
          return "enabled " + targetLinks.size() + " links";
        };
      }
      default -> {
        String kind = f.action().label();
        List<String[]> added = new ArrayList<>();
        List<String> streams = switch (f.param("stream", "downstream")) {
          case "both" -> List.of("downstream", "upstream");
          case "upstream" -> List.of("upstream");
          default -> List.of("downstream");
        };
        for (String l : targetLinks) {
          for (String stream : streams) {
            String name = f.name() + "-" + stream;
            try {
              added.add(new String[] {l, links.addToxic(l, kind, stream, f.params(), name)});
            } catch (Exception e) {
              for (String[] a : added) links.removeToxic(a[0], a[1]);
              throw new IllegalStateException("the proxy refused the " + kind + " toxic on link " + l + ": " + e.getMessage(), e);
            }
          }
        }
        return () -> {
          for (String[] a : added) links.removeToxic(a[0], a[1]);
          return "removed " + added.size() + " " + kind + " toxics";
        };
      }
    }
  }
}
