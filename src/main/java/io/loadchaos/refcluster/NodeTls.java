package io.loadchaos.refcluster;

import com.linecorp.armeria.client.ClientFactoryBuilder;
import io.loadchaos.tls.Pem;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS of one node: the certificate and key it serves its one port with (HTTP API and Flight), and
 * the CA certificates it trusts when it calls its peers (null: the JDK's default trust). A node
 * with TLS reaches its peers over https too: a cluster is all TLS or all plain.
 */
public record NodeTls(Path cert, Path key, Path ca) {

  /** Null when neither --tls-cert nor --tls-key is given; checks the files otherwise. */
  public static NodeTls of(Path cert, Path key, Path ca) {
    if (cert == null && key == null) {
      if (ca != null) {
        throw new IllegalArgumentException("--tls-ca needs --tls-cert and --tls-key: peers are reached over https only when this node serves TLS");
      }
      return null;
    }
    if (cert == null || key == null) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together (got only " + (cert == null ? "--tls-key" : "--tls-cert") + ")");
    }
    try {
      Pem.certificates(cert);
    } catch (Pem.PemException e) {
      throw new IllegalArgumentException("--tls-cert: " + e.getMessage());
    }
    if (!Files.isReadable(key)) {
      throw new IllegalArgumentException("--tls-key: no readable file at " + key.toAbsolutePath());
    }
    if (ca != null) {
      try {
        Pem.certificates(ca);
      } catch (Pem.PemException e) {
        throw new IllegalArgumentException("--tls-ca: " + e.getMessage());
      }
    }
    return new NodeTls(cert, key, ca);
  }

  /** The URL scheme of this node's port and of its calls to peers. */
  public static String scheme(NodeTls tls) {
    return tls == null ? "http" : "https";
  }

  /** Makes a client factory trust exactly {@link #ca()} (when given) on node-to-node calls. */
  public ClientFactoryBuilder trustPeers(ClientFactoryBuilder b) {
    return ca == null ? b : b.tlsCustomizer(ssl -> ssl.trustManager(ca.toFile()));
  }
}
