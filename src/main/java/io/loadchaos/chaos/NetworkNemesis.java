package io.loadchaos.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * Network faults through the link proxies. On {@code node:X}: toxics apply to every link into X
 * (from clients and peers; {@code from: peers} only from peers); {@code isolate} cuts X's peer links both ways while clients still
 * reach it; {@code partition} cuts every peer link between the chosen side and the rest.
 */
final class NetworkNemesis implements Nemesis {
  private final LinkProxies links;
  private final List<String> allNodes;

  NetworkNemesis(LinkProxies links, List<String> allNodes) {
    this.links = links;
    this.allNodes = allNodes;
  }

  @Override
  public Heal inject(FaultSpec f, List<String> side) throws Exception {
    List<String> targetLinks = new ArrayList<>();
    switch (f.action()) {
      case ISOLATE, PARTITION -> {
        for (String a : side) {
          for (String b : allNodes) {
            if (side.contains(b)) continue;
            addIfPresent(targetLinks, LinkProxies.link(a, b));
            addIfPresent(targetLinks, LinkProxies.link(b, a));
          }
        }
      }
      default -> {
        if (f.target().contains("->")) addIfPresent(targetLinks, f.target());
        else {
          // from: peers slows only the replication links into the node, not its clients
          boolean clients = !"peers".equals(f.param("from", "all"));
          for (String to : side) {
            if (clients) addIfPresent(targetLinks, LinkProxies.link(null, to));
            for (String from : allNodes) if (!from.equals(to)) addIfPresent(targetLinks, LinkProxies.link(from, to));
          }
        }
      }
    }
    if (targetLinks.isEmpty()) throw new IllegalStateException("no proxied links match target " + f.target());
    switch (f.action()) {
      case LINK_DOWN, ISOLATE, PARTITION -> {
        for (String l : targetLinks) links.disable(l);
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
            added.add(new String[] {l, links.addToxic(l, kind, stream, f.params(), name)});
          }
        }
        return () -> {
          for (String[] a : added) links.removeToxic(a[0], a[1]);
          return "removed " + added.size() + " " + kind + " toxics";
        };
      }
    }
  }

  private void addIfPresent(List<String> out, String link) {
    if (links.links().contains(link)) out.add(link);
  }
}
