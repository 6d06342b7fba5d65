package io.multiraft.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Mutual TLS between nodes. Each node presents a certificate naming it ({@code CN=node-<id>} or a
 * DNS subject alternative name {@code node-<id>}) and trusts the cluster's CA (or the peers'
 * certificates). Which node a certificate belongs to is checked against the node id claimed in
 * the handshake, not against a host name: nodes are addressed by id, often behind plain IPs.
 */
public final class TlsConfig {
  private final SslContext server;
  private final SslContext client;

  public TlsConfig(KeyManagerFactory keys, TrustManagerFactory trust) {
    try {
      this.server = SslContextBuilder.forServer(keys)
          .trustManager(trust)
          .clientAuth(ClientAuth.REQUIRE)
          .sslProvider(SslProvider.JDK)
          .protocols("TLSv1.3")
          .build();
      this.client = SslContextBuilder.forClient()
          .keyManager(keys)
          .trustManager(trust)
          .sslProvider(SslProvider.JDK)
          .protocols("TLSv1.3")
          // identity is the node id in the certificate, checked after the handshake (PeerIdentity)
          .endpointIdentificationAlgorithm(null)
          .build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("cannot build TLS contexts from the given keys: " + e.getMessage(), e);
    }
  }

  private TlsConfig(SslContext server, SslContext client) {
    this.server = server;
    this.client = client;
  }

  /**
   * From PEM files: this node's certificate (chain), its PKCS#8 private key, and the certificates to
   * trust (the cluster's CA, or the peers' and admin clients' own certificates, concatenated).
   */
  public static TlsConfig fromPem(Path certificate, Path privateKey, Path trusted) {
    for (Path p : new Path[] {certificate, privateKey, trusted}) {
      if (p == null || !Files.isReadable(p)) {
        throw new IllegalArgumentException("TLS file " + p + " is missing or unreadable; give the certificate, key and trust PEM files");
      }
    }
    try {
      SslContext server = SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile())
          .trustManager(trusted.toFile())
          .clientAuth(ClientAuth.REQUIRE)
          .sslProvider(SslProvider.JDK)
          .protocols("TLSv1.3")
          .build();
      SslContext client = SslContextBuilder.forClient()
          .keyManager(certificate.toFile(), privateKey.toFile())
          .trustManager(trusted.toFile())
          .sslProvider(SslProvider.JDK)
          .protocols("TLSv1.3")
          .endpointIdentificationAlgorithm(null)
          .build();
      return new TlsConfig(server, client);
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot load TLS certificate " + certificate + ", key " + privateKey + " or trust "
          + trusted + ": " + e.getMessage(), e);
    }
  }

  /** From a PKCS#12 key store (this node's key and certificate chain) and a trust store. */
  public static TlsConfig fromPkcs12(Path keyStore, char[] keyPassword, Path trustStore, char[] trustPassword) {
    try {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(load(keyStore, keyPassword), keyPassword);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(load(trustStore, trustPassword));
      return new TlsConfig(kmf, tmf);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot load TLS key store " + keyStore + " or trust store " + trustStore
          + ": " + e.getMessage(), e);
    }
  }

  private static KeyStore load(Path path, char[] password) throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(path)) {
      ks.load(in, password);
    }
    return ks;
  }

  SslContext serverContext() {
    return server;
  }

  SslContext clientContext() {
    return client;
  }
}
