package io.multiraft.transport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Key stores made at test time with the JDK's keytool (no private key is committed): one
 * self-signed EC certificate per name, and trust stores listing the certificates to trust.
 */
final class TestCertificates {
  static final char[] PASSWORD = "test-only".toCharArray();

  private final Path dir;
  private final Map<String, Path> keyStores = new TreeMap<>();

  /** Creates a key store for each name, e.g. "node-1", in parallel keytool processes. */
  TestCertificates(Path dir, String... names) throws IOException, InterruptedException {
    this.dir = dir;
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    List<Process> processes = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (String name : names) {
      Path ks = dir.resolve(name + ".p12");
      keyStores.put(name, ks);
      // quick-starting JVM flags: each keytool is a short-lived JVM
      processes.add(new ProcessBuilder(keytool, "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xshare:auto",
          "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1",
          "-dname", "CN=" + name, "-ext", "SAN=dns:" + name, "-validity", "2", "-keystore", ks.toString(),
          "-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
          .redirectErrorStream(true)
          .start());
      labels.add(name);
    }
    for (int i = 0; i < processes.size(); i++) {
      Process p = processes.get(i);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        throw new IOException("keytool failed for " + labels.get(i) + ": " + out);
      }
    }
  }

  Path keyStore(String name) {
    return keyStores.get(name);
  }

  /** A trust store holding the certificates of these names. */
  Path trustStore(String file, String... trusted) throws IOException, GeneralSecurityException {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, PASSWORD);
    for (String name : trusted) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(keyStores.get(name))) {
        ks.load(in, PASSWORD);
      }
      ts.setCertificateEntry(name, ks.getCertificate("node"));
    }
    Path path = dir.resolve(file);
    try (OutputStream out = Files.newOutputStream(path)) {
      ts.store(out, PASSWORD);
    }
    return path;
  }

  TlsConfig tls(String keyName, Path trustStore) {
    return TlsConfig.fromPkcs12(keyStores.get(keyName), PASSWORD, trustStore, PASSWORD);
  }
}
