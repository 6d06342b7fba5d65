package io.multiraft.rangestore.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates made at test time (no private key is committed): the JDK's keytool
 * makes a PKCS#12 key pair per name, which is written out as the PEM files TLS is configured with.
 */
final class PemCertificates {
  private static final String PASSWORD = "test-only";
  private final Path dir;

  /** Creates {@code <name>.pem} and {@code <name>.key} for each name, in parallel keytool processes. */
  PemCertificates(Path dir, String... names) throws IOException, InterruptedException, GeneralSecurityException {
    this.dir = dir;
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    List<Process> running = new ArrayList<>();
    for (String name : names) {
      running.add(new ProcessBuilder(keytool, "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC",
          "-genkeypair", "-alias", "key", "-keyalg", "EC", "-groupname", "secp256r1",
          "-dname", "CN=" + name, "-ext", "SAN=dns:" + name, "-validity", "2",
          "-keystore", dir.resolve(name + ".p12").toString(), "-storetype", "PKCS12",
          "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start());
    }
    for (int i = 0; i < names.length; i++) {
      Process p = running.get(i);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool failed for " + names[i] + ": " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(dir.resolve(names[i] + ".p12"))) {
        ks.load(in, PASSWORD.toCharArray());
      }
      Key key = ks.getKey("key", PASSWORD.toCharArray());
      Certificate cert = ks.getCertificate("key");
      Files.writeString(cert(names[i]), pem("CERTIFICATE", cert.getEncoded()));
      Files.writeString(key(names[i]), pem("PRIVATE KEY", key.getEncoded())); // PKCS#8
    }
  }

  Path cert(String name) {
    return dir.resolve(name + ".pem");
  }

  Path key(String name) {
    return dir.resolve(name + ".key");
  }

  /** One PEM file holding the certificates of these names. */
  Path trust(String file, String... names) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String n : names) {
      sb.append(Files.readString(cert(n)));
    }
    Path p = dir.resolve(file);
    Files.writeString(p, sb.toString());
    return p;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
