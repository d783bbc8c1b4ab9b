package io.loadchaos.gatling;

import io.gatling.core.config.GatlingConfiguration;
import io.gatling.core.config.SslConfiguration;
import io.loadchaos.tls.CaTrust;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Makes Gatling's HTTP client trust exactly the run's CA, and nothing else.
 *
 * <p>Gatling reads its own trust store ({@code gatling.ssl.trustStore.*}) once, when its JVM
 * starts, before any simulation exists (so before the run's CA exists), and has no per-protocol
 * trust option ({@code perUserKeyManagerFactory} is for client keys). With
 * {@code gatling.ssl.useInsecureTrustManager = false} (the project's gatling.conf) and no trust
 * store of its own, Gatling builds each virtual user's TLS context, lazily at the user's first
 * https request, with the JVM's default trust: a {@code TrustManagerFactory} initialised with no
 * key store, which the JDK resolves from {@code javax.net.ssl.trustStore*}. So the run writes its
 * CA as a PKCS#12 trust store and points those properties at it.
 *
 * <p>Setting the properties is not enough by itself. The JDK caches the default trust
 * ({@code sun.security.ssl.TrustStoreManager}) and, when the properties change, swaps the cache
 * non-atomically: the thread that reloads records the new store first and the new certificates
 * only after loading them, and a thread reading the cache meanwhile (without the lock) gets the
 * new store's name with the old certificates. Every Gatling JVM has already loaded the JDK's
 * cacerts before the simulation exists (Gatling's start-up release check fetches
 * https://repo1.maven.org; its default SSL context keeps them alive), and the users of a load
 * all build their contexts at the same moment; so most of them used to get cacerts, failed every
 * handshake of the run with "unable to find valid certification path", and one got the run's CA.
 * Hence {@link #trustOnly} makes the swap itself, on one thread, before any virtual user exists,
 * and checks that the JVM's default trust is now exactly the run's CA; every later context then
 * finds the cache consistent (or reloads the same store). It is JVM-wide, which suits a Gatling
 * JVM that runs one simulation at a time; the harness's own clients (checks, Flight) are given the
 * CA explicitly anyway.
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
    CaTrust ca = CaTrust.load(caPem);
    Path store = dir.resolve("gatling-truststore.p12").toAbsolutePath();
    ca.writeTrustStore(store, PASSWORD.toCharArray());
    System.setProperty("javax.net.ssl.trustStore", store.toString());
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
    // the JDK's cache swap, here on this one thread, and the proof that it took
    List<X509Certificate> trusted = jvmDefaultTrust();
    if (!Set.copyOf(trusted).equals(Set.copyOf(ca.certificates()))) {
      throw new IllegalStateException("loadchaos.caCert: the JVM's default trust holds " + trusted.size()
          + " certificate(s) after pointing javax.net.ssl.trustStore at " + store + ", not exactly the "
          + ca.certificates().size() + " of " + caPem + " (is javax.net.ssl.trustStoreProvider set?);"
          + " Gatling's TLS contexts would not trust the run's CA only");
    }
    return store;
  }

  /** The certificates a TLS context built with the JVM's default trust accepts as anchors, as Gatling's are built. */
  static List<X509Certificate> jvmDefaultTrust() {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init((KeyStore) null);
      List<X509Certificate> anchors = new ArrayList<>();
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) anchors.addAll(List.of(x.getAcceptedIssuers()));
      }
      return anchors;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("loadchaos.caCert: cannot load the JVM's default trust from "
          + System.getProperty("javax.net.ssl.trustStore") + ": " + e.getMessage(), e);
    }
  }
}
