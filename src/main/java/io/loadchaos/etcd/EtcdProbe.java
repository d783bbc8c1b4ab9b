package io.loadchaos.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A member's health and raft status over etcd's HTTP endpoints ({@code /health} and the v3 JSON
 * gateway's {@code /v3/maintenance/status}), so supervising an ensemble needs no etcd client library.
 */
final class EtcdProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /** Which member answered and which member it follows as leader (raft ids, "0" when it knows none). */
  record Status(String memberId, String leaderId) {
    boolean isLeader() {
      return !leaderId.equals("0") && leaderId.equals(memberId);
    }
  }

  /** {@code /health} says true: the member has a leader and a quorum read succeeded. */
  boolean healthy(String clientUrl) {
    return get(clientUrl, HttpRequest.newBuilder(URI.create(clientUrl + "/health")).GET())
        .map(j -> j.path("health").asText().equals("true")).orElse(false);
  }

  Optional<Status> status(String clientUrl) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(clientUrl + "/v3/maintenance/status"))
        .POST(HttpRequest.BodyPublishers.ofString("{}"));
    return get(clientUrl, req).map(j -> new Status(j.path("header").path("member_id").asText(), j.path("leader").asText("0")));
  }

  /** The JSON answer, or empty when the member does not answer in time (killed, paused, starting). */
  private Optional<JsonNode> get(String clientUrl, HttpRequest.Builder req) {
    try {
      HttpResponse<String> r = http.send(req.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while probing etcd at " + clientUrl);
    }
  }
}
