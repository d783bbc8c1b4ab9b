package io.loadchaos.harness;

import com.influxdb.v3.client.InfluxDBClient;
import com.influxdb.v3.client.config.ClientConfig;
import com.influxdb.v3.client.query.QueryOptions;
import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import io.loadchaos.history.QueryLedger;
import io.loadchaos.target.ClusterTarget;
import io.loadchaos.target.QueryResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Text;

/**
 * Arrow Flight queries through influxdb3-java, on a dedicated thread (off Gatling's event loops),
 * round robin over the nodes and the query templates, each recorded in the history. Bounded by
 * the load's duration.
 */
public final class FlightQueries implements AutoCloseable {
  private final List<InfluxDBClient> clients = new ArrayList<>();
  private final List<QueryTemplates.Template> templates;
  private final History history;
  private final QueryLedger ledger;
  private final List<String> nodeIds = new ArrayList<>();
  private final Duration pause;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "loadchaos-flight");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean stopped;
  private int errorsLogged;

  public FlightQueries(ClusterTarget target, String db, String token, List<QueryTemplates.Template> templates,
      History history, QueryLedger ledger, Duration pause) {
    for (ClusterTarget.Node n : target.nodes()) {
      clients.add(InfluxDBClient.getInstance(clientConfig(n.clientUrl(), db, token, target.caCert())));
      nodeIds.add(n.id());
    }
    this.ledger = ledger;
    this.templates = templates;
    this.history = history;
    this.pause = pause;
  }

  /** The influxdb3-java settings for one node: its URL, the token, and the run's CA when it has one. */
  public static ClientConfig clientConfig(String url, String db, String token, Optional<Path> caCert) {
    ClientConfig.Builder b = new ClientConfig.Builder().host(url).database(db)
        .queryTimeout(Duration.ofSeconds(10)).timeout(Duration.ofSeconds(10));
    b.token(token == null || token.isBlank() ? null : token.toCharArray());
    // the run's CA replaces the JDK's trust for gRPC over TLS (and for the client's REST calls)
    caCert.ifPresent(ca -> b.sslRootsFilePath(ca.toString()));
    return b.build();
  }

  /** Runs until {@link #close} or until {@code duration} has passed. */
  public void start(Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    executor.submit(() -> {
      long i = 0;
      while (!stopped && System.nanoTime() < deadline) {
        if (!history.anyWriteAcknowledged()) {
          // a table does not exist before its first write: queries start once one is acknowledged
          if (!rest()) return;
          continue;
        }
        int node = (int) (i % clients.size());
        QueryTemplates.Template t = templates.get((int) (i / clients.size() % templates.size()));
        runOne(node, t);
        i++;
        if (!rest()) return;
      }
    });
  }

  /** Sleeps one pause; false when interrupted. */
  private boolean rest() {
    try {
      Thread.sleep(Math.max(10, pause.toMillis()));
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private void runOne(int node, QueryTemplates.Template t) {
    long start = history.nowMicros();
    int op = history.invoke(OpKind.QUERY_FLIGHT, 0, node, 0);
    // InfluxQL templates go over Flight as InfluxQL (query_type "influxql"), SQL ones as SQL
    try (Stream<VectorSchemaRoot> batches = t.api().influxql()
        ? clients.get(node).queryBatches(t.text(), QueryOptions.INFLUX_QL)
        : clients.get(node).queryBatches(t.text())) {
      List<String> cols = new ArrayList<>();
      List<Object[]> rows = new ArrayList<>();
      batches.forEach(root -> {
        if (cols.isEmpty()) root.getSchema().getFields().forEach(f -> cols.add(f.getName()));
        List<FieldVector> vs = root.getFieldVectors();
        for (int r = 0; r < root.getRowCount(); r++) {
          Object[] row = new Object[vs.size()];
          for (int c = 0; c < vs.size(); c++) {
            Object v = vs.get(c).getObject(r);
            row[c] = v instanceof Text ? v.toString() : v;
          }
          rows.add(row);
        }
      });
      QueryResult result = QueryResult.of(t.api(), cols, rows);
      // ok = answered; whether the answer is right is judged at the end against the history
      history.complete(op, Outcome.OK, 200);
      ledger.add(QueryTemplates.answer(t, OpKind.QUERY_FLIGHT, node, nodeIds.get(node), start, history.nowMicros(), result, false));
    } catch (RuntimeException e) {
      history.complete(op, Outcome.INFO, -1);
      ledger.add(QueryLedger.Answer.error(t.name(), OpKind.QUERY_FLIGHT, node, nodeIds.get(node), start, history.nowMicros(),
          -1, String.valueOf(e.getMessage()), false));
      if (errorsLogged++ < 5) {
        System.out.println("[flight] " + t.name() + " on node index " + node + " failed: " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    stopped = true;
    // let the query in flight finish (its timeout is 10 s): cut short, it would count as the cluster's error
    executor.shutdown();
    try {
      if (!executor.awaitTermination(15, TimeUnit.SECONDS)) {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    for (InfluxDBClient c : clients) {
      try {
        c.close();
      } catch (Exception e) {
        // closing a client of a dead node can fail; nothing is left open by it
      }
    }
  }
}
