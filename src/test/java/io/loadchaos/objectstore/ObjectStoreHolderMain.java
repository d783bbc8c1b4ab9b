package io.loadchaos.objectstore;

import java.nio.file.Path;

/** Test helper process: starts an object store in {@code args[0]}, prints its pid, then waits to be killed. */
public final class ObjectStoreHolderMain {
  private ObjectStoreHolderMain() {}

  public static void main(String[] args) throws Exception {
    ObjectStoreServer server = ObjectStoreServer.builder().withDataDir(Path.of(args[0])).withLabel("holder").start();
    System.out.println("object-store-pid " + server.pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
