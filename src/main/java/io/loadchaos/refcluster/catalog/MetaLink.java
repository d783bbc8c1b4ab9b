package io.loadchaos.refcluster.catalog;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** How a non-meta node reaches the meta node's catalog. */
public interface MetaLink {
  CompletableFuture<TableSnapshot> ensure(EnsureRequest req);

  CompletableFuture<List<TableSnapshot>> catalog();
}
