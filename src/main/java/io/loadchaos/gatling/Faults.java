package io.loadchaos.gatling;

import io.loadchaos.chaos.FaultSpec;
import io.loadchaos.chaos.FaultTimeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A typed fault timeline, written like Gatling's DSL:
 *
 * <pre>{@code
 * faults().at(seconds(12)).kill(node("2")).healAfter(seconds(10))
 *         .at(seconds(20)).latency(link(node("3"), peers()), millis(400)).jitter(millis(50)).healAfter(seconds(15))
 * }</pre>
 *
 * <p>Each action adds one fault at the current offset ({@link #at}); the modifiers after it
 * ({@link #healAfter}, {@link #named}, {@link #jitter}, {@link #newestFirst}, ...) change that
 * fault. Every form builds exactly the {@link FaultSpec} (name, at, duration, action, target,
 * params) that the YAML timeline ({@code -Dloadchaos.faults}) and {@link FaultTimeline.Builder}
 * build, so the chaos engine sees one model. The default name is {@code <action>-<target>}
 * ({@code kill-node:2}), as in YAML.
 */
public final class Faults {
  private final List<FaultSpec> done = new ArrayList<>();
  private Duration at = Duration.ZERO;
  // the fault the modifiers change, added to done when the next one starts or at build
  private String name;
  private Duration faultAt;
  private FaultSpec.Action action;
  private String target;
  private Duration duration;
  private Map<String, String> params;

  private Faults() {}

  /** An empty timeline to add faults to. */
  public static Faults faults() {
    return new Faults();
  }

  /** No faults at all. */
  public static Faults none() {
    return new Faults();
  }

  // ---- durations, for a simulation that reads like the example ----

  /** {@code Duration.ofSeconds(s)}. */
  public static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }

  /** {@code Duration.ofMillis(ms)}. */
  public static Duration millis(long ms) {
    return Duration.ofMillis(ms);
  }

  // ---- targets ----

  /** What a fault acts on; {@link #spec()} is the target text of the YAML form. */
  public interface Target {
    /** The YAML target: {@code node:2}, {@code random}, {@code 1->3}, ... */
    String spec();

    /** Params the target adds to the fault (a link selection's {@code from}). */
    default Map<String, String> params() {
      return Map.of();
    }
  }

  /** Nodes: one by id, a random one, all, a minority or majority, the owners of a shard. */
  public record Nodes(String spec) implements Target {}

  /** One node by id; also one end of a {@link #link(Node, Node)}. */
  public record Node(String id) implements Target {
    @Override
    public String spec() {
      return "node:" + id;
    }
  }

  /** Links into a node (all of them, or only from peers, clients or the proxied ones), or one link. */
  public record Links(String spec, Map<String, String> params) implements Target {}

  /** Which links into a node a network fault takes ({@code from} in YAML). */
  public record LinkSide(String from) {}

  /** A table, whose shards a move picks. */
  public record Table(String name) implements Target {
    @Override
    public String spec() {
      return "table:" + name;
    }
  }

  /** Where shards move: a new node started for it, or a node by id. */
  public record Destination(String to) {}

  /** Node {@code id}: {@code node:<id>}. */
  public static Node node(String id) {
    return new Node(id);
  }

  /** One node chosen with the run's seed: {@code random}. */
  public static Nodes randomNode() {
    return new Nodes("random");
  }

  /** Every node: {@code all}. */
  public static Nodes allNodes() {
    return new Nodes("all");
  }

  /** A minority of the nodes (at least one): {@code minority}. */
  public static Nodes minority() {
    return new Nodes("minority");
  }

  /** A majority of the nodes: {@code majority}. */
  public static Nodes majority() {
    return new Nodes("majority");
  }

  /** A minority of one shard's owners: {@code minority:<table>}. */
  public static Nodes minority(Table table) {
    return new Nodes("minority:" + table.name());
  }

  /** A majority of one shard's owners: {@code majority:<table>}. */
  public static Nodes majority(Table table) {
    return new Nodes("majority:" + table.name());
  }

  /** The owners of one shard of {@code table}: {@code shard-owners:<table>}. */
  public static Nodes shardOwners(Table table) {
    return new Nodes("shard-owners:" + table.name());
  }

  /** Table {@code name}: {@code table:<name>}. */
  public static Table table(String name) {
    return new Table(name);
  }

  /** The replication links into a node, not its clients' link: {@code from: peers}. */
  public static LinkSide peers() {
    return new LinkSide("peers");
  }

  /** Only the clients' link into a node: {@code from: clients}. */
  public static LinkSide clients() {
    return new LinkSide("clients");
  }

  /** The clients' link and the peer links that have a proxy (a cluster file's): {@code from: proxied}. */
  public static LinkSide proxied() {
    return new LinkSide("proxied");
  }

  /** The links into {@code to} on {@code side}: target {@code node:<id>} with {@code from: <side>}. */
  public static Links link(Node to, LinkSide side) {
    return new Links(to.spec(), Map.of("from", side.from()));
  }

  /** The one link from node {@code from} to node {@code to}: {@code <from>-><to>}. */
  public static Links link(Node from, Node to) {
    return new Links(from.id() + "->" + to.id(), Map.of());
  }

  /** The clients' link into {@code node}: {@code client-><id>}. */
  public static Links clientLink(Node node) {
    return new Links("client->" + node.id(), Map.of());
  }

  /** Shards move to a node started for the move: {@code to: new}. */
  public static Destination toNewNode() {
    return new Destination("new");
  }

  /** Shards move to node {@code node}: {@code to: <id>}. */
  public static Destination toNode(Node node) {
    return new Destination(node.id());
  }

  // ---- timeline ----

  /** The offset into the load of the faults added next. */
  public Faults at(Duration offset) {
    this.at = offset;
    return this;
  }

  /** Heals the last fault after {@code d} (without it: at the end of the run). */
  public Faults healAfter(Duration d) {
    current("healAfter").duration = d;
    return this;
  }

  /** Names the last fault (its phase is {@code fault:<name>} and checks find it by name). */
  public Faults named(String faultName) {
    current("named").name = faultName;
    return this;
  }

  /** A param of the last fault as YAML writes it, for settings the typed methods do not cover. */
  public Faults param(String key, String value) {
    current("param").params.put(key, value);
    return this;
  }

  // process faults

  /** SIGKILL (docker kill); healed by starting the node again on its data. */
  public Faults kill(Target t) {
    return add(FaultSpec.Action.KILL, t);
  }

  /** SIGTERM and wait (docker stop); healed by starting the node again. */
  public Faults term(Target t) {
    return add(FaultSpec.Action.TERM, t);
  }

  /** SIGSTOP (docker pause); healed by SIGCONT. */
  public Faults pause(Target t) {
    return add(FaultSpec.Action.PAUSE, t);
  }

  /** SIGTERM and start (docker restart); over at once. */
  public Faults restart(Target t) {
    return add(FaultSpec.Action.RESTART, t);
  }

  /** Disconnects a container from the network (compose target). */
  public Faults disconnect(Target t) {
    return add(FaultSpec.Action.DISCONNECT, t);
  }

  // network faults, through the fault proxies

  /** Adds {@code latency} to every link of {@code t} (param {@code latency}). */
  public Faults latency(Target t, Duration latency) {
    return add(FaultSpec.Action.LATENCY, t).param("latency", text(latency));
  }

  /** Jitter of the last {@link #latency} fault (param {@code jitter}). */
  public Faults jitter(Duration jitter) {
    requireAction("jitter", FaultSpec.Action.LATENCY);
    return param("jitter", text(jitter));
  }

  /** Limits every link of {@code t} to {@code kilobytesPerSecond} (param {@code rate}). */
  public Faults bandwidth(Target t, long kilobytesPerSecond) {
    return add(FaultSpec.Action.BANDWIDTH, t).param("rate", Long.toString(kilobytesPerSecond));
  }

  /** Stops data on every link of {@code t}, closing it after {@code after} (0: never; param {@code timeout}). */
  public Faults timeout(Target t, Duration after) {
    return add(FaultSpec.Action.TIMEOUT, t).param("timeout", text(after));
  }

  /** Resets every connection of {@code t} after {@code after} (param {@code timeout}). */
  public Faults resetPeer(Target t, Duration after) {
    return add(FaultSpec.Action.RESET_PEER, t).param("timeout", text(after));
  }

  /** Disables every link of {@code t}. */
  public Faults linkDown(Target t) {
    return add(FaultSpec.Action.LINK_DOWN, t);
  }

  /** Cuts the nodes' peer links both ways; clients still reach them. */
  public Faults isolate(Target t) {
    return add(FaultSpec.Action.ISOLATE, t);
  }

  /** Cuts every peer link between the chosen side and the rest. */
  public Faults partition(Target t) {
    return add(FaultSpec.Action.PARTITION, t);
  }

  /** Which direction the last network toxic takes: downstream (default), upstream or both (param {@code stream}). */
  public Faults stream(String stream) {
    if (!List.of("downstream", "upstream", "both").contains(stream)) {
      throw new IllegalArgumentException("stream '" + stream + "': expected downstream, upstream or both");
    }
    return param("stream", stream);
  }

  // cluster operations

  /** Starts a new node and registers it (target {@code all}). */
  public Faults addNode() {
    return add(FaultSpec.Action.ADD_NODE, allNodes());
  }

  /** Moves {@code count} shards of {@code table} to the node the last {@link #addNode} started. */
  public Faults moving(int count, Table table) {
    requireAction("moving", FaultSpec.Action.ADD_NODE);
    return param("moves", Integer.toString(count)).param("table", table.name());
  }

  /** Moves {@code count} stable shards of {@code table} to {@code to}. */
  public Faults moveShards(Table table, int count, Destination to) {
    return add(FaultSpec.Action.MOVE_SHARD, table).param("to", to.to()).param("count", Integer.toString(count));
  }

  /** The last move (or {@link #moving}) takes the newest shards, those the load writes to (param {@code pick}). */
  public Faults newestFirst() {
    requireAction("newestFirst", FaultSpec.Action.MOVE_SHARD, FaultSpec.Action.ADD_NODE);
    return param("pick", "newest");
  }

  /** Decommissions the nodes, followed until done. */
  public Faults decommission(Target t) {
    return add(FaultSpec.Action.DECOMMISSION, t);
  }

  /** Sets the nodes' status (e.g. {@code Inactive}); healed back to Active. */
  public Faults nodeStatus(Target t, String status) {
    return add(FaultSpec.Action.NODE_STATUS, t).param("status", status);
  }

  /** The timeline the chaos engine runs. */
  public FaultTimeline timeline() {
    FaultTimeline.Builder b = FaultTimeline.builder();
    done.forEach(b::add);
    if (action != null) b.add(spec());
    return b.build();
  }

  private Faults add(FaultSpec.Action a, Target t) {
    if (action != null) done.add(spec());
    action = a;
    faultAt = at;
    target = t.spec();
    name = null;
    duration = null;
    params = new LinkedHashMap<>(t.params());
    return this;
  }

  private FaultSpec spec() {
    return new FaultSpec(name != null ? name : action.label() + "-" + target, faultAt, duration, action, target, params);
  }

  private Faults current(String method) {
    if (action == null) throw new IllegalStateException(method + "(): no fault yet; add one first (kill(...), latency(...), ...)");
    return this;
  }

  private void requireAction(String method, FaultSpec.Action... allowed) {
    current(method);
    if (!List.of(allowed).contains(action)) {
      throw new IllegalStateException(method + "() applies to " + List.of(allowed).stream().map(FaultSpec.Action::label).toList()
          + ", not to the " + action.label() + " fault before it");
    }
  }

  /** A duration as the fault params write it: {@code 400ms}. */
  static String text(Duration d) {
    return d.toMillis() + "ms";
  }
}
