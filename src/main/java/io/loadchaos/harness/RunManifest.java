package io.loadchaos.harness;

import java.util.List;
import java.util.Map;

/**
 * run.json: what is needed to re-check a finished run offline: the knobs (secrets redacted), the
 * generator's fixed anchor time, and the node ids the cluster had.
 */
public record RunManifest(String runId, String simulation, String target, String startedAt,
    long anchorEpochNanos, Map<String, String> knobs, List<String> nodeIds, List<SloSpec> slos) {

  /** An SLO in plain fields, for JSON. */
  public record SloSpec(String phases, String metric, double threshold) {}
}
