package io.multiraft.transport;

import io.multiraft.transport.wire.ProtocolException;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/** Checks that the certificate a TLS peer presented names the node id it claims. */
final class PeerIdentity {
  private static final int SAN_DNS = 2;

  private PeerIdentity() {}

  static String expectedName(long nodeId) {
    return "node-" + nodeId;
  }

  /** Does nothing on a plaintext channel. */
  static void verify(Channel ch, long claimedNodeId) throws ProtocolException {
    SslHandler ssl = ch.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return;
    }
    X509Certificate cert;
    try {
      Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate x)) {
        throw new ProtocolException("peer presented no X.509 certificate");
      }
      cert = x;
    } catch (SSLPeerUnverifiedException e) {
      throw new ProtocolException("peer presented no verified certificate", e);
    }
    List<String> names = names(cert);
    String expected = expectedName(claimedNodeId);
    if (!names.contains(expected)) {
      throw new ProtocolException("certificate names " + names + " but the peer claims node " + claimedNodeId
          + " (expected " + expected + ")");
    }
  }

  /** The certificate's subject CN and DNS subject alternative names. */
  static List<String> names(X509Certificate cert) {
    List<String> names = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          names.add(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      // no usable subject: only the alternative names can identify the node
    }
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2 && san.get(0) instanceof Integer type && type == SAN_DNS) {
            names.add(String.valueOf(san.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // unreadable extension: fall back to the subject
    }
    return names.stream().distinct().toList();
  }
}
