package io.loadchaos.refcluster.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code loadchaos cluster rebalance}: moves shards to a (typically just added) node through the
 * management API, one at a time, waiting for each move to finish. Without {@code --shard} it moves
 * an even share: shards are taken from the owners with the most shards until the target owns
 * {@code owner slots / Active nodes}. Prints one JSON line per move.
 */
@Command(name = "rebalance", mixinStandardHelpOptions = true,
    description = "Move shards to a node (an even share, or the given --shard ids) and wait for each move.")
public final class RebalanceCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Option(names = "--url", required = true, description = "any node, e.g. http://127.0.0.1:8181")
  String url;

  @Option(names = "--db", required = true, description = "database whose shards move")
  String db;

  @Option(names = "--table", description = "only this table's shards (default: every table of --db)")
  String table;

  @Option(names = "--target", required = true, description = "id of the node that receives the shards")
  long target;

  @Option(names = "--shard", description = "shard id to move (repeatable; default: an even share)")
  List<Long> shards = new ArrayList<>();

  @Option(names = "--auth-token-file", description = "file holding the bearer token (else $LOADCHAOS_TOKEN); never on the command line")
  Path tokenFile;

  private String token;

  @Option(names = "--timeout", defaultValue = "300", description = "seconds to wait for each move")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    // a token on the command line would be readable by every local user in ps
    token = tokenFile != null ? Files.readString(tokenFile).strip() : System.getenv("LOADCHAOS_TOKEN");
    if (token != null && token.isEmpty()) token = null;
    JsonNode listing = get("/api/v3/cluster/shards?db=" + enc(db) + (table == null ? "" : "&table=" + enc(table)));
    List<JsonNode> chosen = shards.isEmpty() ? evenShare(listing) : named(listing);
    int failed = 0;
    for (JsonNode s : chosen) {
      long started = System.nanoTime();
      String source = busiest(s, ownerLoad(get("/api/v3/cluster/shards?db=" + enc(db))));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("db_name", s.get("db").asText());
      body.put("table_name", s.get("table").asText());
      body.put("shard_id_str", s.get("id").asText());
      body.put("target_node_id_str", Long.toString(target));
      body.put("source_node_id_str", source);
      HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v3/cluster/shards/move"))
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).header("Content-Type", "application/json"));
      String outcome;
      if (r.statusCode() != 202) {
        outcome = "refused: HTTP " + r.statusCode() + " " + r.body();
      } else {
        outcome = await(s);
      }
      if (!outcome.equals("Completed")) {
        failed++;
      }
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("shard", s.get("id").asLong());
      line.put("table", s.get("table").asText());
      line.put("source", source);
      line.put("target", target);
      line.put("outcome", outcome);
      line.put("millis", (System.nanoTime() - started) / 1_000_000);
      System.out.println(JSON.writeValueAsString(line));
    }
    if (chosen.isEmpty()) {
      System.out.println("{\"moves\":0,\"reason\":\"node " + target + " already owns its share\"}");
    }
    return failed == 0 ? 0 : 1;
  }

  private List<JsonNode> named(JsonNode listing) {
    List<JsonNode> out = new ArrayList<>();
    for (long id : shards) {
      JsonNode found = null;
      for (JsonNode s : listing) {
        if (s.get("id").asLong() == id) {
          found = s;
        }
      }
      if (found == null) {
        throw new IllegalArgumentException("--shard " + id + ": no such shard in " + db + (table == null ? "" : "." + table));
      }
      out.add(found);
    }
    return out;
  }

  /** Shards (not owned by the target) taken from the most loaded owners until the target has its share. */
  private List<JsonNode> evenShare(JsonNode listing) throws IOException, InterruptedException {
    int active = 0;
    for (JsonNode n : get("/api/v3/cluster/nodes")) {
      if (n.get("status").asText().equals("Active")) {
        active++;
      }
    }
    Map<String, Integer> load = ownerLoad(listing);
    int slots = load.values().stream().mapToInt(Integer::intValue).sum();
    int share = active == 0 ? 0 : slots / active;
    int have = load.getOrDefault(Long.toString(target), 0);
    List<JsonNode> candidates = new ArrayList<>();
    listing.forEach(s -> {
      boolean owned = false;
      for (JsonNode o : s.get("node_ids")) {
        owned |= o.asText().equals(Long.toString(target));
      }
      if (!owned) {
        candidates.add(s);
      }
    });
    List<JsonNode> out = new ArrayList<>();
    while (have < share && !candidates.isEmpty()) {
      JsonNode best = null;
      int bestLoad = -1;
      for (JsonNode s : candidates) {
        String o = busiest(s, load);
        if (load.get(o) > bestLoad) {
          bestLoad = load.get(o);
          best = s;
        }
      }
      candidates.remove(best);
      load.merge(busiest(best, load), -1, Integer::sum);
      out.add(best);
      have++;
    }
    return out;
  }

  private static Map<String, Integer> ownerLoad(JsonNode listing) {
    Map<String, Integer> load = new HashMap<>();
    listing.forEach(s -> s.get("node_ids").forEach(o -> load.merge(o.asText(), 1, Integer::sum)));
    return load;
  }

  private static String busiest(JsonNode shard, Map<String, Integer> load) {
    String best = null;
    for (JsonNode o : shard.get("node_ids")) {
      if (best == null || load.getOrDefault(o.asText(), 0) > load.getOrDefault(best, 0)) {
        best = o.asText();
      }
    }
    return best;
  }

  private String await(JsonNode shard) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutSeconds * 1_000L;
    String q = "/api/v3/cluster/shards?db=" + enc(shard.get("db").asText()) + "&table=" + enc(shard.get("table").asText());
    while (System.currentTimeMillis() < deadline) {
      for (JsonNode s : get(q)) {
        if (s.get("id").asLong() == shard.get("id").asLong() && !s.has("move") && s.has("last_move")) {
          return s.get("last_move").get("outcome").asText();
        }
      }
      Thread.sleep(200);
    }
    return "timed out after " + timeoutSeconds + " s (still moving)";
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)).GET());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
    b.timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create(url.replaceAll("/+$", "") + path);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
