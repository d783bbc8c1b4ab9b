package io.loadchaos.chaos;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * One scheduled fault: at {@code at} into the load, do {@code action} to {@code target}; heal it
 * after {@code duration} ({@code null}: keep it until the end-of-run heal).
 *
 * <p>Targets: {@code node:<id>}, {@code random}, {@code all}, {@code minority}, {@code majority}
 * (of the nodes, or of a shard's owners with {@code minority:<table>}), {@code shard-owners:<table>},
 * and for links {@code <from>-><to>} or {@code client-><id>}.
 */
public record FaultSpec(String name, Duration at, Duration duration, Action action, String target,
    Map<String, String> params) {

  public FaultSpec {
    if (at == null || at.isNegative()) throw new IllegalArgumentException("fault " + name + ": 'at' must be >= 0");
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new IllegalArgumentException("fault " + name + ": 'duration' must be > 0 when given");
    }
    if (target == null || target.isBlank()) throw new IllegalArgumentException("fault " + name + ": 'target' is required");
    params = params == null ? Map.of() : Map.copyOf(params);
  }

  public String param(String key, String def) {
    return params.getOrDefault(key, def);
  }

  /** Everything a nemesis can do. */
  public enum Action {
    // processes / containers
    KILL("kill"), TERM("term"), PAUSE("pause"), RESTART("restart"),
    // network, through the fault proxy
    LATENCY("latency"), BANDWIDTH("bandwidth"), TIMEOUT("timeout"), RESET_PEER("reset-peer"),
    SLICER("slicer"), LIMIT_DATA("limit-data"), LINK_DOWN("link-down"), ISOLATE("isolate"),
    PARTITION("partition"),
    // containers only
    DISCONNECT("disconnect"),
    // cluster operations through the management API
    ADD_NODE("add-node"), MOVE_SHARD("move-shard"), DECOMMISSION("decommission"), NODE_STATUS("node-status");

    private final String label;

    Action(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public boolean network() {
      return switch (this) {
        case LATENCY, BANDWIDTH, TIMEOUT, RESET_PEER, SLICER, LIMIT_DATA, LINK_DOWN, ISOLATE, PARTITION -> true;
        default -> false;
      };
    }

    public static Action of(String label) {
      for (Action a : values()) if (a.label.equals(label)) return a;
      throw new IllegalArgumentException("unknown fault action '" + label + "', expected one of "
          + Arrays.stream(values()).map(Action::label).toList());
    }
  }
}
