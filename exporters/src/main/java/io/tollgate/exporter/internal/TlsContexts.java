package io.tollgate.exporter.internal;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.tollgate.core.exporterhelper.TlsSettings;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;

/**
 * Turns {@link TlsSettings} into the TLS contexts of our two clients, reading the PEM files with
 * Netty's parser for both (so that gRPC and HTTP accept exactly the same files).
 */
public final class TlsContexts {

  private TlsContexts() {}

  /** For grpc-java on Netty. */
  public static SslContext forGrpc(TlsSettings tls) throws IOException {
    return build(GrpcSslContexts.forClient(), tls);
  }

  /** For the JDK {@code HttpClient}: the JVM's default unless a key asks for more. */
  public static SSLContext forHttp(TlsSettings tls) throws IOException {
    if (!tls.insecureSkipVerify() && tls.caFile().isEmpty() && tls.certFile().isEmpty()) {
      try {
        return SSLContext.getDefault();
      } catch (NoSuchAlgorithmException e) {
        throw new IOException("the JVM has no default TLS context", e);
      }
    }
    SslContext ctx = build(SslContextBuilder.forClient().sslProvider(SslProvider.JDK), tls);
    return ((JdkSslContext) ctx).context();
  }

  private static SslContext build(SslContextBuilder b, TlsSettings tls) throws IOException {
    if (tls.insecureSkipVerify()) {
      b.trustManager(InsecureTrustManagerFactory.INSTANCE);
    } else if (!tls.caFile().isEmpty()) {
      File ca = readable(tls.caFile(), "tls.ca_file");
      try {
        b.trustManager(ca);
      } catch (IllegalArgumentException e) {
        throw new IOException(
            "tls.ca_file " + ca + " does not hold PEM certificates: " + e.getMessage(), e);
      }
    }
    if (!tls.certFile().isEmpty()) {
      File cert = readable(tls.certFile(), "tls.cert_file");
      File key = readable(tls.keyFile(), "tls.key_file");
      try {
        b.keyManager(cert, key);
      } catch (IllegalArgumentException e) {
        throw new IOException(
            "tls.cert_file "
                + cert
                + " / tls.key_file "
                + key
                + " are not a PEM certificate and its unencrypted PKCS#8 key: "
                + e.getMessage(),
            e);
      }
    }
    try {
      return b.build();
    } catch (IOException e) {
      throw new IOException("could not set up TLS: " + e.getMessage(), e);
    }
  }

  private static File readable(String path, String key) throws IOException {
    Path p = Path.of(path);
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new IOException(
          key + " " + p.toAbsolutePath() + " is not a readable file; check the path and mounts");
    }
    return p.toFile();
  }
}
