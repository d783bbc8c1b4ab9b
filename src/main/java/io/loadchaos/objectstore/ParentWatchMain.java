package io.loadchaos.objectstore;

import java.lang.reflect.Method;

/**
 * Entry point of the object-store child JVM: exits when the process that started it is gone (even
 * after a SIGKILL, when its shutdown hooks never ran), then runs s3proxy's own main. It uses only
 * the JDK: its class file is copied beside s3proxy's jar, so none of our class path goes along.
 */
public final class ParentWatchMain {
  private ParentWatchMain() {}

  public static void main(String[] args) throws Exception {
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(0)));
    // reflection: s3proxy is not on the project's compile class path
    Method main = Class.forName("org.gaul.s3proxy.Main").getMethod("main", String[].class);
    main.invoke(null, (Object) args);
  }
}
