package io.loadchaos.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM files: CA certificates read with errors that say what is wrong; certificates and keys written. */
public final class Pem {
  private static final Pattern CERTIFICATE =
      Pattern.compile("-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]*?)-----END CERTIFICATE-----");

  private Pem() {}

  /** A file that is missing, unreadable or not PEM certificates; the message is one line. */
  public static final class PemException extends IllegalArgumentException {
    PemException(String message) {
      super(message);
    }
  }

  /** Every certificate of a PEM file, in file order; at least one. */
  public static List<X509Certificate> certificates(Path file) {
    if (!Files.exists(file)) throw new PemException("no file at " + file.toAbsolutePath());
    if (!Files.isRegularFile(file)) throw new PemException(file.toAbsolutePath() + " is not a file");
    String text;
    try {
      // ISO-8859-1 reads any bytes, so a binary (DER) file is reported as "no PEM certificate" below
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new PemException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage());
    }
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("this JVM has no X.509 support", e);
    }
    List<X509Certificate> out = new ArrayList<>();
    Matcher m = CERTIFICATE.matcher(text);
    while (m.find()) {
      int n = out.size() + 1;
      try {
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      } catch (IllegalArgumentException | CertificateException e) {
        throw new PemException("certificate " + n + " in " + file.toAbsolutePath() + " is not a valid X.509 certificate ("
            + oneLine(e.getMessage()) + ")");
      }
    }
    if (out.isEmpty()) {
      String hint = text.contains("PRIVATE KEY-----") ? "; it holds a private key, not a certificate"
          : text.contains("-----BEGIN") ? "" : "; DER files must be converted: openssl x509 -inform der -in F -out F.pem";
      throw new PemException(file.toAbsolutePath() + " holds no PEM certificate (no -----BEGIN CERTIFICATE----- block"
          + hint + ")");
    }
    return out;
  }

  /** Writes certificates as PEM (world-readable: they are public). */
  public static void writeCertificates(Path file, List<X509Certificate> certs) {
    StringBuilder sb = new StringBuilder();
    for (X509Certificate c : certs) {
      try {
        sb.append(block("CERTIFICATE", c.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("cannot encode certificate " + c.getSubjectX500Principal(), e);
      }
    }
    try {
      Files.writeString(file, sb, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Writes a private key as unencrypted PKCS#8 PEM, readable by its owner only. */
  public static void writePrivateKey(Path file, PrivateKey key) {
    writeOwnerOnly(file, block("PRIVATE KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Writes a secret (key, token) to a file created with mode 0600, so it is never readable by
   * others, not even for a moment between create and chmod.
   */
  public static void writeOwnerOnly(Path file, byte[] content) {
    try {
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
      Files.write(file, content, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String block(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static String oneLine(String s) {
    return s == null ? "unreadable" : s.replaceAll("\\s+", " ").trim();
  }
}
