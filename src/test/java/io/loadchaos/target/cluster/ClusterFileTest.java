package io.loadchaos.target.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.target.ClusterHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad cluster files stop the run at start, naming the file, the node and the field. */
class ClusterFileTest {
  @TempDir Path dir;

  private Path write(String yaml) throws Exception {
    Path f = dir.resolve("cluster.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void aGoodFileIsReadWithItsDefaults() throws Exception {
    ClusterFile c = ClusterFile.read(write("""
        nodes:
          - id: "1"
            url: http://127.0.0.1:18086/
            start: ["influxd", "-config", "n1.conf"]
            health: /ping
          - {id: "2", url: "https://db2.example:8443", container: influx-2}
        links:
          - {from: "1", to: "2", listen: "127.0.0.1:28002", upstream: "127.0.0.1:18002"}
        query: influxql
        defaults: {endpoint: v1}
        """));
    assertThat(c.nodes()).hasSize(2);
    assertThat(c.nodes().get(0).url()).isEqualTo("http://127.0.0.1:18086");
    assertThat(c.nodes().get(0).supervised()).isTrue();
    assertThat(c.nodes().get(0).workDir()).isEqualTo(dir);
    assertThat(c.nodes().get(1).container()).isEqualTo("influx-2");
    assertThat(c.query()).isEqualTo("influxql");
    assertThat(c.knobDefaults()).containsEntry("endpoint", "v1");
    assertThat(c.links()).singleElement().satisfies(l -> assertThat(l.upstream()).isEqualTo("127.0.0.1:18002"));
  }

  @Test
  void everyProblemNamesTheFileTheNodeAndTheField() throws Exception {
    Path f = write("""
        nodes:
          - id: "1"
            strat: ["influxd"]
          - id: "2"
            url: ftp://x
            start: []
            container: c2
          - id: "2"
            url: http://127.0.0.1:1
            health: ping
        links:
          - {from: "1", to: "9", listen: "nowhere"}
        query: graphql
        defaults: {writerz: 3}
        """);
    assertThatThrownBy(() -> ClusterFile.read(f))
        .isInstanceOf(ClusterFile.Invalid.class)
        .hasMessageStartingWith("cluster file " + f.toAbsolutePath())
        .hasMessageContaining("node \"1\": unknown field 'strat' (expected one of container, env, health, id, start, url, workDir)")
        .hasMessageContaining("node \"1\": field 'url': missing")
        .hasMessageContaining("node \"2\": field 'url': 'ftp://x' is not an http(s)://host:port URL")
        .hasMessageContaining("node \"2\": field 'start': expected a non-empty list")
        .hasMessageContaining("node \"2\": field 'id': duplicate")
        .hasMessageContaining("node \"2\": field 'health': expected a path such as /ping, got 'ping'")
        .hasMessageContaining("link 1: field 'to': no node \"9\" in 'nodes'")
        .hasMessageContaining("link 1: field 'listen': expected host:port, got 'nowhere'")
        .hasMessageContaining("link 1: field 'upstream': expected host:port, got nothing")
        .hasMessageContaining("'query': expected sql, influxql, auto or {class: ...}, got 'graphql'")
        .hasMessageContaining("defaults: 'writerz' is no knob");
  }

  @Test
  void aMissingFileAndBrokenYamlAreOneClearLine() throws Exception {
    assertThatThrownBy(() -> ClusterFile.read(dir.resolve("nope.yaml"))).hasMessageContaining("nope.yaml").hasMessageContaining("no such file");
    Path f = write("nodes: [ {id: 1, url: http://127.0.0.1:1 ");
    assertThatThrownBy(() -> ClusterFile.read(f)).hasMessageContaining("not readable YAML");
  }

  @Test
  void aStartCommandThatExitsStopsTheRunWithItsCodeAndLog() throws Exception {
    ClusterFile c = ClusterFile.read(write("""
        nodes:
          - id: "1"
            url: http://127.0.0.1:9
            start: ["sh", "-c", "echo cannot open data dir >&2; exit 3"]
        """));
    try (SupervisedNodes nodes = new SupervisedNodes(c, new ClusterHttp(null, Duration.ofSeconds(5)), dir.resolve("logs"))) {
      assertThatThrownBy(() -> nodes.startAll(Duration.ofSeconds(20)))
          .hasMessageContaining("cluster file " + c.file() + ": node \"1\": field 'start': [sh, -c,")
          .hasMessageContaining("exited with code 3")
          .hasMessageContaining("cannot open data dir");
    }
  }
}
