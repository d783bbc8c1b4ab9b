package io.loadchaos.objectstore;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * An access key pair for the object store. Passed to child processes in the environment
 * ({@link #ACCESS_KEY_ENV}, {@link #SECRET_KEY_ENV}), never on a command line; {@link #toString()}
 * hides both so a log line cannot leak them.
 */
public record S3Credentials(String accessKey, String secretKey) {
  public static final String ACCESS_KEY_ENV = "LOADCHAOS_S3_ACCESS_KEY_ID";
  public static final String SECRET_KEY_ENV = "LOADCHAOS_S3_SECRET_ACCESS_KEY";

  /** A fresh random pair, one per run. */
  public static S3Credentials generate() {
    SecureRandom random = new SecureRandom();
    byte[] a = new byte[10];
    byte[] s = new byte[20];
    random.nextBytes(a);
    random.nextBytes(s);
    return new S3Credentials("LC" + HexFormat.of().withUpperCase().formatHex(a), HexFormat.of().formatHex(s));
  }

  /** The pair from {@code env} (a process's environment); throws naming the variables when either is missing. */
  public static S3Credentials fromEnvironment(Map<String, String> env) {
    String a = env.get(ACCESS_KEY_ENV);
    String s = env.get(SECRET_KEY_ENV);
    if (a == null || a.isEmpty() || s == null || s.isEmpty()) {
      throw new IllegalArgumentException("--object-store needs credentials in $" + ACCESS_KEY_ENV + " and $" + SECRET_KEY_ENV);
    }
    return new S3Credentials(a, s);
  }

  /** Puts the pair into a child process's environment. */
  public void export(Map<String, String> env) {
    env.put(ACCESS_KEY_ENV, accessKey);
    env.put(SECRET_KEY_ENV, secretKey);
  }

  @Override
  public String toString() {
    return "S3Credentials[hidden]";
  }
}
