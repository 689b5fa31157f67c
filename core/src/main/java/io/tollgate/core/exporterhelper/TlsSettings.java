package io.tollgate.core.exporterhelper;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import java.util.Objects;

/**
 * {@code tls} of an exporter's client, with the collector's keys. Files are PEM and are read when
 * the exporter starts, so that {@code tollgate validate} can run where the files are not mounted.
 *
 * @param insecure gRPC only: plaintext instead of TLS for an endpoint without {@code https://}
 * @param caFile the CA bundle that signs the server's certificate ("" = the JVM's trust store)
 * @param certFile the client certificate for mutual TLS (needs {@code key_file})
 * @param keyFile the client's PKCS#8 private key for mutual TLS (needs {@code cert_file})
 * @param insecureSkipVerify accept any server certificate and host name (tests only!)
 * @param serverNameOverride the name to expect in the server's certificate and to send as SNI
 */
public record TlsSettings(
    boolean insecure,
    String caFile,
    String certFile,
    String keyFile,
    boolean insecureSkipVerify,
    String serverNameOverride)
    implements ComponentConfig {

  public TlsSettings {
    Objects.requireNonNull(caFile, "caFile");
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(serverNameOverride, "serverNameOverride");
  }

  /** TLS on, the JVM's trust store: the collector's default. */
  public static TlsSettings defaults() {
    return new TlsSettings(false, "", "", "", false, "");
  }

  /** Plaintext (gRPC), as for a backend on localhost. */
  public static TlsSettings plaintext() {
    return new TlsSettings(true, "", "", "", false, "");
  }

  public TlsSettings withInsecure(boolean value) {
    return new TlsSettings(value, caFile, certFile, keyFile, insecureSkipVerify, serverNameOverride);
  }

  public TlsSettings withCaFile(String path) {
    return new TlsSettings(insecure, path, certFile, keyFile, insecureSkipVerify, serverNameOverride);
  }

  /** Whether any key that only matters for a TLS connection is set. */
  public boolean hasTlsOptions() {
    return !caFile.isEmpty()
        || !certFile.isEmpty()
        || !keyFile.isEmpty()
        || insecureSkipVerify
        || !serverNameOverride.isEmpty();
  }

  /**
   * Checks the keys among themselves. Whether TLS is used at all depends on the endpoint's scheme
   * too, so the exporter checks that {@link #hasTlsOptions()} are not set on a plaintext endpoint.
   */
  @Override
  public void validate(ConfigIssues issues) {
    if (certFile.isEmpty() != keyFile.isEmpty()) {
      issues.add(
          certFile.isEmpty() ? "cert_file" : "key_file",
          "cert_file and key_file go together (mutual TLS): set both or neither");
    }
  }
}
