package io.loadchaos.gatling;

import io.gatling.core.config.GatlingConfiguration;
import io.gatling.core.config.SslConfiguration;
import io.loadchaos.tls.CaTrust;
import java.nio.file.Path;

/**
 * Makes Gatling's HTTP client trust exactly the run's CA, and nothing else.
 *
 * <p>Gatling reads its own trust store ({@code gatling.ssl.trustStore.*}) once, when its JVM
 * starts, before any simulation exists, and has no per-protocol trust option
 * ({@code perUserKeyManagerFactory} is for client keys). With
 * {@code gatling.ssl.useInsecureTrustManager = false} (the project's gatling.conf) and no trust
 * store of its own, Gatling builds each virtual user's TLS context with the JVM's default trust
 * managers, and the JDK resolves those from {@code javax.net.ssl.trustStore} each time a context is
 * built. So the run writes its CA as a PKCS#12 trust store and points that property at it before
 * the load starts. It is JVM-wide, which suits a Gatling JVM that runs one simulation at a time;
 * the harness's own clients (checks, Flight) are given the CA explicitly anyway.
 */
public final class GatlingTrust {
  // a trust store holds public certificates only: its password protects nothing secret
  private static final String PASSWORD = "loadchaos";

  private GatlingTrust() {}

  /** Trusts only the CA certificates of {@code caPem}; writes {@code <dir>/gatling-truststore.p12}. */
  public static Path trustOnly(Path caPem, Path dir) {
    SslConfiguration ssl = GatlingConfiguration.load().ssl();
    if (ssl.useInsecureTrustManager()) {
      throw new IllegalStateException("loadchaos.caCert: Gatling is set to trust every server certificate"
          + " (gatling.ssl.useInsecureTrustManager=true), so the run's CA would not be checked; set it to false"
          + " (the project's gatling.conf does) or drop the override");
    }
    if (ssl.trustManagerFactory().isDefined()) {
      throw new IllegalStateException("loadchaos.caCert: gatling.ssl.trustStore.file is set and would replace the run's CA;"
          + " unset it and give the CA with loadchaos.caCert only");
    }
    Path store = dir.resolve("gatling-truststore.p12").toAbsolutePath();
    CaTrust.load(caPem).writeTrustStore(store, PASSWORD.toCharArray());
    System.setProperty("javax.net.ssl.trustStore", store.toString());
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
    return store;
  }
}
