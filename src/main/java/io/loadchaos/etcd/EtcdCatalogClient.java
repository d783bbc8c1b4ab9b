package io.loadchaos.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The catalog's view of etcd (jetcd): put, get and compare-and-set by mod revision. Every call is
 * bounded by the timeout and fails with {@link EtcdUnavailableException} when etcd does not answer
 * in time (no quorum, members down or paused); such a write may still be applied later.
 */
public final class EtcdCatalogClient implements AutoCloseable {
  private final Client client;
  private final KV kv;
  private final Duration timeout;

  /** A value and the revision of its last change (etcd's mod_revision): the token of a later CAS. */
  public record Versioned(String value, long modRevision) {}

  private EtcdCatalogClient(List<String> endpoints, Duration timeout) {
    this.client = Client.builder().endpoints(endpoints.toArray(String[]::new)).build();
    this.kv = client.getKVClient();
    this.timeout = timeout;
  }

  public static EtcdCatalogClient connect(List<String> endpoints, Duration timeout) {
    if (endpoints.isEmpty()) throw new IllegalArgumentException("no etcd endpoints");
    return new EtcdCatalogClient(endpoints, timeout);
  }

  /** Writes the value; returns the revision it was written at. */
  public long put(String key, String value) {
    return await("put " + key, kv.put(bytes(key), bytes(value))).getHeader().getRevision();
  }

  /** The value now (a linearizable read: it sees every write acknowledged before it), or empty. */
  public Optional<Versioned> get(String key) {
    List<KeyValue> kvs = await("get " + key, kv.get(bytes(key))).getKvs();
    return kvs.stream().findFirst().map(k -> new Versioned(k.getValue().toString(StandardCharsets.UTF_8), k.getModRevision()));
  }

  /**
   * Writes the value only if the key's mod revision is still {@code expected} (0: the key does not
   * exist), in one etcd transaction; true if this write won. Of concurrent writers on one revision
   * exactly one wins.
   */
  public boolean compareAndSet(String key, long expected, String value) {
    ByteSequence k = bytes(key);
    return await("compare-and-set " + key + " at revision " + expected, kv.txn()
        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expected)))
        .Then(Op.put(k, bytes(value), PutOption.DEFAULT))
        .commit()).isSucceeded();
  }

  private <T> T await(String what, CompletableFuture<T> call) {
    try {
      return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new EtcdUnavailableException(what + ": no answer from etcd within " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      throw new EtcdUnavailableException(what + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EtcdUnavailableException(what + ": interrupted", e);
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    client.close();
  }
}
