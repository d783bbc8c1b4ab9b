package io.loadchaos.refcluster.etcdcatalog;

import io.loadchaos.etcd.EtcdCatalogClient;
import io.loadchaos.etcd.EtcdCatalogClient.Versioned;
import io.loadchaos.etcd.EtcdUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node's in-memory catalog (seen as keys and values, {@link LocalState}) in line with
 * etcd by a three-way comparison against the last etcd state this node saw: a key etcd changed is
 * taken from etcd (etcd wins when both changed); a key only this node changed (a shard a write
 * placed while etcd was away, a move's next step) is written with a CAS on the revision seen.
 * Runs every {@link #POLL} (a bounded poll, not a watch) and on demand. Management changes go
 * through {@link #change}: one transaction, CAS on every key they touch, rolled back locally when
 * they lose or etcd does not answer.
 */
public final class KeySync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeySync.class);
  public static final Duration POLL = Duration.ofMillis(250);

  /** The node's catalog as keys (relative to the prefix) and canonical JSON values. */
  public interface LocalState {
    Map<String, String> encode();

    /** Takes these values (null: the key is gone). */
    void apply(Map<String, String> changes);
  }

  private final CatalogSpec spec;
  private final EtcdCatalogClient client;
  private final LocalState local;
  /** The last etcd state seen, relative keys. */
  private Map<String, Versioned> known = new HashMap<>();
  private volatile String lastError;
  private final AtomicBoolean soon = new AtomicBoolean();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "etcd-catalog-sync");
    t.setDaemon(true);
    return t;
  });

  /**
   * Key prefixes etcd is the truth for at a node's first round when it has any key under them: a
   * node's start-up guess (membership from {@code --peers}) must not be published over the real one.
   */
  private final Set<String> bootstrapOnly;
  private boolean synced;

  public KeySync(CatalogSpec spec, EtcdCatalogClient client, LocalState local, Set<String> bootstrapOnly) {
    this.spec = spec;
    this.bootstrapOnly = Set.copyOf(bootstrapOnly);
    this.client = client;
    this.local = local;
  }

  public static KeySync connect(CatalogSpec spec, LocalState local, Set<String> bootstrapOnly) {
    EtcdCatalogClient c = EtcdCatalogClient.connect(spec.endpoints(), Duration.ofSeconds(2), System.getenv(CatalogSpec.USER_ENV),
        System.getenv(CatalogSpec.PASSWORD_ENV));
    return new KeySync(spec, c, local, bootstrapOnly);
  }

  public CatalogSpec spec() {
    return spec;
  }

  public void start() {
    timer.scheduleWithFixedDelay(this::syncQuietly, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A sync soon, off the caller's thread (after a write placed a shard). */
  public void syncSoon() {
    if (soon.compareAndSet(false, true)) {
      timer.execute(() -> {
        soon.set(false);
        syncQuietly();
      });
    }
  }

  private void syncQuietly() {
    try {
      sync();
      if (lastError != null) {
        log.info("catalog reachable again: {}", spec.describe());
        lastError = null;
      }
    } catch (CatalogUnavailableException e) {
      if (!e.getMessage().equals(lastError)) {
        log.warn("{} (serving the catalog last seen)", e.getMessage());
      }
      lastError = e.getMessage();
    } catch (RuntimeException e) {
      log.warn("catalog sync failed", e);
    }
  }

  /** One round: adopt what etcd changed, publish what only this node changed. */
  public synchronized void sync() {
    Map<String, Versioned> now = read();
    Map<String, String> mine = local.encode();
    Map<String, String> adopt = new LinkedHashMap<>();
    Map<String, String> publish = new LinkedHashMap<>();
    Set<String> keys = new HashSet<>(now.keySet());
    keys.addAll(known.keySet());
    keys.addAll(mine.keySet());
    for (String k : keys) {
      String theirs = value(now.get(k));
      String seen = value(known.get(k));
      String ours = mine.get(k);
      if (!Objects.equals(theirs, seen)) {
        if (!Objects.equals(theirs, ours)) {
          adopt.put(k, theirs);
        }
      } else if (!Objects.equals(ours, seen)) {
        if (!synced && theirs == null && etcdHasPrefixOf(now, k)) {
          adopt.put(k, null);
        } else {
          publish.put(k, ours);
        }
      }
    }
    known = now;
    synced = true;
    if (!adopt.isEmpty()) {
      local.apply(adopt);
    }
    if (!publish.isEmpty() && commit(publish) < 0) {
      log.info("catalog keys {} changed in etcd meanwhile; taken from etcd at the next round", publish.keySet());
    }
  }

  private boolean etcdHasPrefixOf(Map<String, Versioned> now, String key) {
    for (String p : bootstrapOnly) {
      if (key.startsWith(p) && now.keySet().stream().anyMatch(k -> k.startsWith(p))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A catalog change: brings this node up to date, runs {@code action} on the local catalog, then
   * writes every key it changed in one transaction with a CAS on the revisions seen. When the CAS
   * fails ({@link CatalogConflictException}) or etcd does not answer ({@link
   * CatalogUnavailableException}), the local change is undone (an unanswered write that did land
   * is adopted by a later sync).
   */
  public synchronized <T> T change(Callable<T> action) throws Exception {
    sync();
    Map<String, String> before = local.encode();
    T result = action.call();
    Map<String, String> after = local.encode();
    Map<String, String> diff = diff(before, after);
    if (diff.isEmpty()) {
      return result;
    }
    long rev;
    try {
      rev = commit(diff);
    } catch (CatalogUnavailableException e) {
      undo(before, diff);
      throw e;
    }
    if (rev < 0) {
      undo(before, diff);
      throw new CatalogConflictException("catalog conflict: " + diff.keySet() + " changed in " + spec.describe()
          + " by another node meanwhile; nothing was changed, retry");
    }
    return result;
  }

  /**
   * Writes one key only if etcd still has the value this node last saw for it (after a sync), and
   * throws {@link CatalogConflictException} otherwise: the claim that makes one of two concurrent
   * moves of a shard win.
   */
  public synchronized void claim(String key, String value, String what, Predicate<String> free) {
    sync();
    if (!free.test(seen(key))) {
      throw new CatalogConflictException("catalog conflict: " + what + " is already claimed in " + spec.describe());
    }
    if (commit(Map.of(key, value)) < 0) {
      throw new CatalogConflictException("catalog conflict: " + what + " was claimed in " + spec.describe() + " by another node first");
    }
  }

  /** The value etcd had for a key at the last sync (null: absent). */
  public synchronized String seen(String key) {
    return value(known.get(key));
  }

  private void undo(Map<String, String> before, Map<String, String> diff) {
    Map<String, String> back = new HashMap<>();
    for (String k : diff.keySet()) {
      back.put(k, before.get(k));
    }
    local.apply(back);
  }

  private static Map<String, String> diff(Map<String, String> before, Map<String, String> after) {
    Map<String, String> d = new LinkedHashMap<>();
    Set<String> keys = new HashSet<>(before.keySet());
    keys.addAll(after.keySet());
    for (String k : keys) {
      if (!Objects.equals(before.get(k), after.get(k))) {
        d.put(k, after.get(k));
      }
    }
    return d;
  }

  /** CAS on every key's known revision; updates {@code known} on success; -1 when a compare failed. */
  private long commit(Map<String, String> changes) {
    Map<String, Long> expected = new HashMap<>();
    Map<String, String> puts = new HashMap<>();
    List<String> deletes = new ArrayList<>();
    changes.forEach((k, v) -> {
      Versioned seen = known.get(k);
      expected.put(spec.prefix() + k, seen == null ? 0L : seen.modRevision());
      if (v == null) {
        deletes.add(spec.prefix() + k);
      } else {
        puts.put(spec.prefix() + k, v);
      }
    });
    long rev;
    try {
      rev = client.commit(expected, puts, deletes);
    } catch (EtcdUnavailableException e) {
      throw unavailable(e);
    }
    if (rev >= 0) {
      Map<String, Versioned> next = new HashMap<>(known);
      changes.forEach((k, v) -> {
        if (v == null) {
          next.remove(k);
        } else {
          next.put(k, new Versioned(v, rev));
        }
      });
      known = next;
    }
    return rev;
  }

  private Map<String, Versioned> read() {
    Map<String, Versioned> out = new HashMap<>();
    try {
      client.range(spec.prefix()).values().forEach((k, v) -> out.put(k.substring(spec.prefix().length()), v));
    } catch (EtcdUnavailableException e) {
      throw unavailable(e);
    }
    return out;
  }

  private CatalogUnavailableException unavailable(EtcdUnavailableException e) {
    return new CatalogUnavailableException("catalog unavailable: " + spec.describe() + ": " + e.getMessage(), e);
  }

  private static String value(Versioned v) {
    return v == null ? null : v.value();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    client.close();
  }
}
