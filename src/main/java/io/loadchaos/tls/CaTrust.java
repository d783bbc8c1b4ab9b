package io.loadchaos.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust in exactly the CA certificates of one PEM file (a custom CA), and nothing else: not the
 * JDK's cacerts. The same trust for java.net.http (an SSLContext) and for clients that only take a
 * trust-store file.
 */
public final class CaTrust {
  private final Path pemFile;
  private final List<X509Certificate> certificates;

  private CaTrust(Path pemFile, List<X509Certificate> certificates) {
    this.pemFile = pemFile;
    this.certificates = List.copyOf(certificates);
  }

  /** Loads a PEM file of one or more CA certificates; {@link Pem.PemException} if it is not one. */
  public static CaTrust load(Path pemFile) {
    return new CaTrust(pemFile.toAbsolutePath(), Pem.certificates(pemFile));
  }

  public Path pemFile() {
    return pemFile;
  }

  public List<X509Certificate> certificates() {
    return certificates;
  }

  /** An in-memory key store holding only the CA certificates. */
  public KeyStore keyStore() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        ks.setCertificateEntry("ca-" + (i + 1), certificates.get(i));
      }
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust store from " + pemFile + ": " + e.getMessage(), e);
    }
  }

  /** A TLS context whose server certificates must chain to one of these CAs (host names are still checked by the client). */
  public SSLContext sslContext() {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(keyStore());
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context from " + pemFile + ": " + e.getMessage(), e);
    }
  }

  /** Writes the CAs as a PKCS#12 trust store (for clients configured through javax.net.ssl.trustStore). */
  public void writeTrustStore(Path file, char[] password) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        keyStore().store(out, password);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot write trust store " + file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write trust store " + file, e);
    }
  }
}
