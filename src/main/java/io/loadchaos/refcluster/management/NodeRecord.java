package io.loadchaos.refcluster.management;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One cluster member as the contract's ClusterNodeDefinition (ids are numeric strings internally). */
public record NodeRecord(
    @JsonProperty("id") String id,
    @JsonProperty("rpc_address") String rpcAddress,
    @JsonProperty("http_address") String httpAddress,
    @JsonProperty("status") String status,
    @JsonProperty("created_at") String createdAt,
    @JsonProperty("updated_at") String updatedAt) {

  public static final String ACTIVE = "Active";
  public static final String INACTIVE = "Inactive";
  public static final String DRAINING = "Draining";
  public static final String DECOMMISSIONED = "Decommissioned";

  /** The canonical spelling of a status, or null when it is none of the four. */
  public static String canonicalStatus(String s) {
    for (String known : new String[] {ACTIVE, INACTIVE, DRAINING, DECOMMISSIONED}) {
      if (known.equalsIgnoreCase(s)) {
        return known;
      }
    }
    return null;
  }

  public NodeRecord withStatus(String newStatus, String at) {
    return new NodeRecord(id, rpcAddress, httpAddress, newStatus, createdAt, at);
  }

  public boolean active() {
    return ACTIVE.equals(status);
  }
}
