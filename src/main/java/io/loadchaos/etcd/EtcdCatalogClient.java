package io.loadchaos.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.kv.GetResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** Every key under a prefix with its value and mod revision, as of one revision of the store. */
  public record Range(Map<String, Versioned> values, long revision) {}

  private EtcdCatalogClient(List<String> endpoints, Duration timeout, String user, String password) {
    var builder = Client.builder().endpoints(endpoints.toArray(String[]::new));
    if (user != null && !user.isEmpty()) {
      builder.user(bytes(user)).password(bytes(password == null ? "" : password));
    }
    this.client = builder.build();
    this.kv = client.getKVClient();
    this.timeout = timeout;
  }

  public static EtcdCatalogClient connect(List<String> endpoints, Duration timeout) {
    if (endpoints.isEmpty()) throw new IllegalArgumentException("no etcd endpoints");
    return new EtcdCatalogClient(endpoints, timeout, null, null);
  }

  /** With etcd authentication (user and password come from the caller's environment, never a flag). */
  public static EtcdCatalogClient connect(List<String> endpoints, Duration timeout, String user, String password) {
    if (endpoints.isEmpty()) throw new IllegalArgumentException("no etcd endpoints");
    return new EtcdCatalogClient(endpoints, timeout, user, password);
  }

  /** Every key under {@code prefix} (a linearizable range read), keys in order. */
  public Range range(String prefix) {
    ByteSequence p = bytes(prefix);
    GetResponse r = await("range " + prefix, kv.get(p, GetOption.builder().isPrefix(true).build()));
    Map<String, Versioned> out = new LinkedHashMap<>();
    for (KeyValue k : r.getKvs()) {
      out.put(k.getKey().toString(StandardCharsets.UTF_8), new Versioned(k.getValue().toString(StandardCharsets.UTF_8), k.getModRevision()));
    }
    return new Range(out, r.getHeader().getRevision());
  }

  /**
   * One transaction: if every key in {@code expected} still has that mod revision (0: absent),
   * writes {@code puts} and deletes {@code deletes}. Returns the revision it committed at, or -1
   * when a compare failed (someone else changed one of the keys first).
   */
  public long commit(Map<String, Long> expected, Map<String, String> puts, Collection<String> deletes) {
    List<Cmp> cmps = new ArrayList<>();
    expected.forEach((k, rev) -> cmps.add(new Cmp(bytes(k), Cmp.Op.EQUAL, CmpTarget.modRevision(rev))));
    List<Op> ops = new ArrayList<>();
    puts.forEach((k, v) -> ops.add(Op.put(bytes(k), bytes(v), PutOption.DEFAULT)));
    deletes.forEach(k -> ops.add(Op.delete(bytes(k), DeleteOption.DEFAULT)));
    var r = await("transaction on " + expected.keySet(), kv.txn().If(cmps.toArray(Cmp[]::new)).Then(ops.toArray(Op[]::new)).commit());
    return r.isSucceeded() ? r.getHeader().getRevision() : -1;
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
