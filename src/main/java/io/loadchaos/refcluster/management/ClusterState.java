package io.loadchaos.refcluster.management;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.loadchaos.refcluster.catalog.TableSnapshot;
import java.util.List;

/** What the meta node pushes to (and non-meta nodes pull from) it: members, databases, tables. */
public record ClusterState(
    @JsonProperty("nodes") List<NodeRecord> nodes,
    @JsonProperty("databases") List<String> databases,
    @JsonProperty("tables") List<TableSnapshot> tables) {}
