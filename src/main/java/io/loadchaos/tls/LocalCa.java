package io.loadchaos.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A run's own certificate authority for the local target: a self-signed CA and one server
 * certificate for 127.0.0.1 / localhost signed by it. Every local node listens on 127.0.0.1, so one
 * server certificate serves them all (and nodes added later). The CA's private key is never
 * written: once the files exist, nothing more can be signed by this CA.
 *
 * <p>Files in {@code dir}: {@code ca.pem}, {@code server.pem}, {@code server-key.pem} (0600).
 */
public record LocalCa(Path caCert, Path serverCert, Path serverKey) {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration VALIDITY = Duration.ofDays(30);

  /** Generates a fresh CA and server certificate into {@code dir} (created if needed). */
  public static LocalCa generate(Path dir) {
    try {
      Files.createDirectories(dir);
      // P-256: generated in milliseconds (RSA 2048 takes ~1 s on a busy 2-core machine) and spoken by every TLS stack
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
      kpg.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      KeyPair caKeys = kpg.generateKeyPair();
      KeyPair serverKeys = kpg.generateKeyPair();
      // an hour back: tolerate a node whose clock is a little behind
      Instant now = Instant.now();
      Date from = Date.from(now.minus(Duration.ofHours(1)));
      Date to = Date.from(now.plus(VALIDITY));
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();

      X500Name caName = new X500Name("CN=loadchaos run CA " + Long.toHexString(RANDOM.nextLong() >>> 1) + ",O=loadchaos");
      X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(), from, to, caName, caKeys.getPublic());
      ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(0)); // may sign leaves only
      ca.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      ca.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate());
      X509Certificate caCert = new JcaX509CertificateConverter().getCertificate(ca.build(signer));

      X509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(caCert, serial(), from, to,
          new X500Name("CN=127.0.0.1,O=loadchaos"), serverKeys.getPublic());
      server.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      server.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      // clientAuth too: the nodes use the same identity when they call each other
      server.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      server.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
      server.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      server.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(serverKeys.getPublic()));
      X509Certificate serverCert = new JcaX509CertificateConverter().getCertificate(server.build(signer));

      LocalCa files = new LocalCa(dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server-key.pem"));
      Pem.writeCertificates(files.caCert(), List.of(caCert));
      Pem.writeCertificates(files.serverCert(), List.of(serverCert));
      Pem.writePrivateKey(files.serverKey(), serverKeys.getPrivate());
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run's certificates into " + dir, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate the run's CA: " + e.getMessage(), e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(63, RANDOM).add(BigInteger.ONE);
  }
}
