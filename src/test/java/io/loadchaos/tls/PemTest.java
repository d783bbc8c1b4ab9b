package io.loadchaos.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.config.Knobs;
import io.loadchaos.config.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM loading errors, the generated CA, and the caCert knob's messages. */
class PemTest {
  @TempDir Path dir;

  @Test
  void badFilesGiveOneLineErrorsThatSayWhatIsWrong() throws Exception {
    assertThatThrownBy(() -> Pem.certificates(dir.resolve("missing.pem")))
        .isInstanceOf(Pem.PemException.class).hasMessageStartingWith("no file at ").hasMessageContaining("missing.pem");
    assertThatThrownBy(() -> Pem.certificates(dir)).hasMessageEndingWith("is not a file");

    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> Pem.certificates(empty)).hasMessageContaining("holds no PEM certificate");

    LocalCa ca = LocalCa.generate(dir.resolve("ca"));
    assertThatThrownBy(() -> Pem.certificates(ca.serverKey()))
        .hasMessageContaining("holds no PEM certificate").hasMessageContaining("it holds a private key");

    Path der = Files.write(dir.resolve("ca.der"), Pem.certificates(ca.caCert()).get(0).getEncoded());
    assertThatThrownBy(() -> Pem.certificates(der)).hasMessageContaining("DER files must be converted");

    Path broken = Files.writeString(dir.resolve("broken.pem"),
        "-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> Pem.certificates(broken)).hasMessageContaining("certificate 1 in").hasMessageContaining("is not a valid X.509 certificate");

    for (Path p : List.of(dir.resolve("missing.pem"), empty, ca.serverKey(), der, broken)) {
      try {
        Pem.certificates(p);
      } catch (Pem.PemException e) {
        assertThat(e.getMessage()).as("one line for " + p).doesNotContain("\n");
      }
    }
  }

  @Test
  void severalCertificatesInOneFileAreAllTrusted() {
    LocalCa a = LocalCa.generate(dir.resolve("a"));
    LocalCa b = LocalCa.generate(dir.resolve("b"));
    Path both = dir.resolve("both.pem");
    Pem.writeCertificates(both, List.of(Pem.certificates(a.caCert()).get(0), Pem.certificates(b.caCert()).get(0)));
    CaTrust trust = CaTrust.load(both);
    assertThat(trust.certificates()).hasSize(2);
    assertThat(trust.keyStore()).satisfies(ks -> assertThat(ks.size()).isEqualTo(2));
  }

  @Test
  void theGeneratedServerCertificateChainsToTheCaAndNamesTheLoopback() throws Exception {
    LocalCa ca = LocalCa.generate(dir.resolve("tls"));
    X509Certificate root = Pem.certificates(ca.caCert()).get(0);
    X509Certificate server = Pem.certificates(ca.serverCert()).get(0);
    assertThat(root.getBasicConstraints()).as("the CA is a CA").isGreaterThanOrEqualTo(0);
    assertThat(server.getBasicConstraints()).as("the server certificate is not").isEqualTo(-1);
    assertThat(server.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1)))).contains("127.0.0.1", "localhost");

    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(server)), params);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.serverKey()))).isEqualTo("rw-------");
    assertThat(Files.readString(ca.serverKey())).startsWith("-----BEGIN PRIVATE KEY-----");
    try (var files = Files.list(dir.resolve("tls"))) {
      assertThat(files.map(p -> p.getFileName().toString())).as("the CA's key is never written")
          .containsExactlyInAnyOrder("ca.pem", "server.pem", "server-key.pem");
    }
  }

  @Test
  void aBadCaCertKnobStopsTheRunWithALineNamingTheKnob() throws Exception {
    Path notPem = Files.writeString(dir.resolve("token.txt"), "just some text\n");
    for (Path p : List.of(dir.resolve("nope.pem"), notPem)) {
      assertThatThrownBy(() -> RunConfig.resolve(k -> k.equals("loadchaos.caCert") ? p.toString() : null, e -> null, Map.of()))
          .isInstanceOfSatisfying(RunConfig.ConfigException.class, e -> {
            assertThat(e.problems()).hasSize(1);
            assertThat(e.problems().get(0)).startsWith("-Dloadchaos.caCert=").doesNotContain("\n")
                .contains(p.getFileName().toString()).contains("a PEM file of CA certificates");
          });
    }
    // the environment variable is named in the message when the value came from there
    Path missing = dir.resolve("gone.pem");
    assertThatThrownBy(() -> RunConfig.resolve(k -> null, e -> e.equals("LOADCHAOS_CA_CERT") ? missing.toString() : null, Map.of()))
        .hasMessageContaining("$LOADCHAOS_CA_CERT=").hasMessageContaining("no file at");

    LocalCa ca = LocalCa.generate(dir.resolve("ok"));
    RunConfig ok = RunConfig.resolve(k -> k.equals("loadchaos.caCert") ? ca.caCert().toString() : null, e -> null, Map.of());
    assertThat(ok.get(Knobs.CA_CERT)).isEqualTo(ca.caCert().toString());
    assertThat(ok.get(Knobs.TLS)).isFalse();
  }
}
