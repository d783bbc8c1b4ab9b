package io.loadchaos.target.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.loadchaos.config.Knobs;
import io.loadchaos.config.Parsers;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A cluster loadchaos did not write, described in YAML (docs/targets.md):
 *
 * <pre>
 * nodes:
 *   - id: "1"
 *     url: http://127.0.0.1:18086          # what clients use
 *     start: ["influxd", "-config", "n1.conf"]   # optional: loadchaos starts, supervises and stops it
 *     # container: influx-1                # or: an existing Docker container
 *     health: /ping                         # optional; default /health, then /ping
 * links:                                    # optional: peer links the nodes reach through a proxy
 *   - {from: "1", to: "2", listen: 127.0.0.1:28002, upstream: 127.0.0.1:18002}
 * query: auto                               # sql | influxql | auto | {class: com.example.MyReader}
 * defaults: {endpoint: v1}                  # knob defaults for this cluster (-D still wins)
 * caCert: ca.pem                            # optional: the CA of https node URLs
 * </pre>
 *
 * Every problem is reported at once, each naming the file, the node and the field.
 */
public record ClusterFile(Path file, List<NodeSpec> nodes, List<LinkSpec> links, String query, String readerClass,
    Map<String, String> knobDefaults, Duration startTimeout) {

  /** One node: {@code start} and {@code container} are exclusive; both empty means "just a URL". */
  public record NodeSpec(String id, String url, List<String> start, String container, String health,
      Map<String, String> env, Path workDir) {
    public boolean supervised() {
      return !start.isEmpty();
    }
  }

  /** A peer link: node {@code from} reaches node {@code to} at {@code listen}, which is proxied to {@code upstream}. */
  public record LinkSpec(String from, String to, String listen, String upstream) {}

  private static final Set<String> TOP = Set.of("nodes", "links", "query", "defaults", "startTimeout", "caCert");
  private static final Set<String> NODE = Set.of("id", "url", "start", "container", "health", "env", "workDir");
  private static final Set<String> LINK = Set.of("from", "to", "listen", "upstream");

  /** A cluster file that cannot be used: every problem, one line each. */
  public static final class Invalid extends IllegalArgumentException {
    Invalid(Path file, List<String> problems) {
      super("cluster file " + file + ":\n  " + String.join("\n  ", problems));
    }
  }

  public static ClusterFile read(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(abs));
    } catch (NoSuchFileException e) {
      throw new Invalid(abs, List.of("no such file (loadchaos.cluster)"));
    } catch (IOException e) {
      throw new Invalid(abs, List.of("not readable YAML: " + oneLine(e.getMessage())));
    }
    return parse(abs, root);
  }

  static ClusterFile parse(Path file, JsonNode root) {
    List<String> problems = new ArrayList<>();
    if (root == null || !root.isObject()) throw new Invalid(file, List.of("expected a mapping with 'nodes:' at the top"));
    unknownKeys(root, TOP, "", problems);
    Path dir = file.getParent() == null ? Path.of(".") : file.getParent();
    List<NodeSpec> nodes = new ArrayList<>();
    JsonNode ns = root.path("nodes");
    if (!ns.isArray() || ns.isEmpty()) problems.add("'nodes': expected a list of at least one node");
    Set<String> ids = new LinkedHashSet<>();
    for (int i = 0; i < ns.size(); i++) {
      JsonNode n = ns.get(i);
      String where = "node " + (i + 1);
      if (!n.isObject()) {
        problems.add(where + ": expected a mapping with id and url");
        continue;
      }
      String id = text(n, "id");
      if (id == null || id.isBlank()) problems.add(where + ": field 'id': missing (a node id such as \"1\")");
      else {
        where = "node \"" + id + "\"";
        if (!ids.add(id)) problems.add(where + ": field 'id': duplicate");
      }
      unknownKeys(n, NODE, where + ": ", problems);
      String url = text(n, "url");
      if (url == null || url.isBlank()) problems.add(where + ": field 'url': missing (the node's http(s) URL, e.g. http://127.0.0.1:8086)");
      else if (!validUrl(url)) problems.add(where + ": field 'url': '" + url + "' is not an http(s)://host:port URL");
      List<String> start = new ArrayList<>();
      JsonNode st = n.path("start");
      if (!st.isMissingNode() && !st.isNull()) {
        if (!st.isArray() || st.isEmpty()) problems.add(where + ": field 'start': expected a non-empty list, e.g. [\"influxd\", \"-config\", \"n1.conf\"]");
        else st.forEach(a -> start.add(a.asText()));
      }
      String container = text(n, "container");
      if (!start.isEmpty() && container != null) problems.add(where + ": fields 'start' and 'container' exclude each other");
      String health = text(n, "health");
      if (health != null && !health.startsWith("/")) problems.add(where + ": field 'health': expected a path such as /ping, got '" + health + "'");
      Map<String, String> env = new LinkedHashMap<>();
      JsonNode e = n.path("env");
      if (!e.isMissingNode()) {
        if (!e.isObject()) problems.add(where + ": field 'env': expected a mapping NAME: value");
        else e.fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
      }
      String wd = text(n, "workDir");
      Path workDir = wd == null ? dir : dir.resolve(wd).normalize();
      if (wd != null && !Files.isDirectory(workDir)) problems.add(where + ": field 'workDir': no such directory " + workDir);
      nodes.add(new NodeSpec(id, url == null ? null : url.replaceAll("/+$", ""), List.copyOf(start), container, health,
          Map.copyOf(env), workDir));
    }
    List<LinkSpec> links = new ArrayList<>();
    JsonNode ls = root.path("links");
    if (!ls.isMissingNode()) {
      if (!ls.isArray()) problems.add("'links': expected a list of {from, to, listen, upstream}");
      for (int i = 0; i < ls.size(); i++) {
        JsonNode l = ls.get(i);
        String where = "link " + (i + 1);
        unknownKeys(l, LINK, where + ": ", problems);
        String from = text(l, "from");
        String to = text(l, "to");
        for (String f : List.of("from", "to")) {
          String v = text(l, f);
          if (v == null) problems.add(where + ": field '" + f + "': missing (a node id)");
          else if (!ids.contains(v)) problems.add(where + ": field '" + f + "': no node \"" + v + "\" in 'nodes'");
        }
        for (String f : List.of("listen", "upstream")) {
          String v = text(l, f);
          if (v == null || !v.matches("[^:/\\s]+:\\d{1,5}")) problems.add(where + ": field '" + f + "': expected host:port, got " + (v == null ? "nothing" : "'" + v + "'"));
        }
        links.add(new LinkSpec(from, to, text(l, "listen"), text(l, "upstream")));
      }
    }
    String query = "auto";
    String readerClass = null;
    JsonNode q = root.path("query");
    if (q.isObject()) {
      unknownKeys(q, Set.of("class"), "query: ", problems);
      readerClass = text(q, "class");
      if (readerClass == null || readerClass.isBlank()) problems.add("query: field 'class': missing (a class implementing io.loadchaos.target.ClusterReader)");
      query = "class";
    } else if (!q.isMissingNode()) {
      query = q.asText();
      if (!Set.of("auto", "sql", "influxql").contains(query)) problems.add("'query': expected sql, influxql, auto or {class: ...}, got '" + query + "'");
    }
    Map<String, String> defaults = new LinkedHashMap<>();
    JsonNode d = root.path("defaults");
    if (!d.isMissingNode()) {
      if (!d.isObject()) problems.add("'defaults': expected a mapping knob: value");
      else d.fields().forEachRemaining(f -> {
        if (Knobs.ALL.stream().noneMatch(k -> k.name().equals(f.getKey()))) problems.add("defaults: '" + f.getKey() + "' is no knob (see the README's knob table)");
        else if (f.getKey().equals("cluster") || f.getKey().equals("token")) problems.add("defaults: '" + f.getKey() + "' cannot be set in a cluster file");
        else defaults.put(f.getKey(), f.getValue().asText());
      });
    }
    // the CA that signed the nodes' certificates, relative to this file (loadchaos.caCert still wins)
    String ca = text(root, "caCert");
    if (ca != null) {
      Path caFile = dir.resolve(ca).normalize();
      if (!Files.isRegularFile(caFile)) problems.add("'caCert': no such file " + caFile);
      else defaults.putIfAbsent("caCert", caFile.toString());
    }
    Duration startTimeout = Duration.ofSeconds(60);
    if (root.has("startTimeout")) {
      try {
        startTimeout = Parsers.parseDuration(root.get("startTimeout").asText());
      } catch (IllegalArgumentException ex) {
        problems.add("'startTimeout': " + ex.getMessage());
      }
    }
    if (!problems.isEmpty()) throw new Invalid(file, problems);
    return new ClusterFile(file, List.copyOf(nodes), List.copyOf(links), query, readerClass, Map.copyOf(defaults), startTimeout);
  }

  private static void unknownKeys(JsonNode n, Set<String> allowed, String where, List<String> problems) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) problems.add(where + "unknown field '" + k + "' (expected one of " + String.join(", ", new TreeSet<>(allowed)) + ")");
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static boolean validUrl(String url) {
    try {
      URI u = URI.create(url);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null && u.getPort() > 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }
}
