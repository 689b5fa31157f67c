package io.tollgate.exporter.otlpgrpc;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Secret;
import io.tollgate.core.exporterhelper.Compression;
import io.tollgate.core.exporterhelper.QueueSettings;
import io.tollgate.core.exporterhelper.RetrySettings;
import io.tollgate.core.exporterhelper.TlsSettings;
import io.tollgate.exporter.internal.Headers;
import io.tollgate.exporter.internal.Validation;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Config of {@code otlp_grpc}, with the collector's keys.
 *
 * @param endpoint {@code host:port} (TLS unless {@code tls.insecure}), {@code https://host:port}
 *     (TLS) or {@code http://host:port} (plaintext)
 * @param headers sent as gRPC metadata with every request (names are lower-cased)
 * @param timeout per attempt
 */
public record OtlpGrpcConfig(
    String endpoint,
    TlsSettings tls,
    Map<String, Secret> headers,
    Compression compression,
    Duration timeout,
    QueueSettings sendingQueue,
    RetrySettings retryOnFailure)
    implements ComponentConfig {

  public static final String DEFAULT_ENDPOINT = "localhost:4317";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  public OtlpGrpcConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(sendingQueue, "sendingQueue");
    Objects.requireNonNull(retryOnFailure, "retryOnFailure");
    // Not Map.copyOf: a header without a value must reach validate(), not fail in binding.
    headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** The collector's defaults: localhost:4317 with TLS, gzip, 5s, queue and retry on. */
  public static OtlpGrpcConfig defaults() {
    return new OtlpGrpcConfig(
        DEFAULT_ENDPOINT,
        TlsSettings.defaults(),
        Map.of(),
        Compression.GZIP,
        DEFAULT_TIMEOUT,
        QueueSettings.defaults(),
        RetrySettings.defaults());
  }

  public OtlpGrpcConfig withEndpoint(String value) {
    return new OtlpGrpcConfig(
        value, tls, headers, compression, timeout, sendingQueue, retryOnFailure);
  }

  public OtlpGrpcConfig withTls(TlsSettings value) {
    return new OtlpGrpcConfig(
        endpoint, value, headers, compression, timeout, sendingQueue, retryOnFailure);
  }

  public OtlpGrpcConfig withHeaders(Map<String, Secret> value) {
    return new OtlpGrpcConfig(
        endpoint, tls, value, compression, timeout, sendingQueue, retryOnFailure);
  }

  public OtlpGrpcConfig withCompression(Compression value) {
    return new OtlpGrpcConfig(
        endpoint, tls, headers, value, timeout, sendingQueue, retryOnFailure);
  }

  public OtlpGrpcConfig withTimeout(Duration value) {
    return new OtlpGrpcConfig(
        endpoint, tls, headers, compression, value, sendingQueue, retryOnFailure);
  }

  public OtlpGrpcConfig withSendingQueue(QueueSettings value) {
    return new OtlpGrpcConfig(endpoint, tls, headers, compression, timeout, value, retryOnFailure);
  }

  public OtlpGrpcConfig withRetryOnFailure(RetrySettings value) {
    return new OtlpGrpcConfig(endpoint, tls, headers, compression, timeout, sendingQueue, value);
  }

  @Override
  public void validate(ConfigIssues issues) {
    try {
      GrpcEndpoint e = GrpcEndpoint.parse(endpoint);
      // An explicit scheme wins over tls.insecure (the presets default insecure: true for their
      // localhost endpoints, so https:// must still mean TLS there).
      if (!e.usesTls(tls.insecure()) && tls.hasTlsOptions()) {
        issues.add(
            "tls",
            "TLS is off for endpoint \""
                + endpoint
                + "\" ("
                + (e.scheme().equals("http") ? "http://" : "tls.insecure: true")
                + "), so ca_file, cert_file, key_file, insecure_skip_verify and"
                + " server_name_override would be ignored; use https:// or set tls.insecure:"
                + " false");
      }
    } catch (IllegalArgumentException x) {
      issues.add("endpoint", x.getMessage());
    }
    tls.validate(issues.at("tls"));
    Headers.validateGrpc(headers, issues.at("headers"));
    Validation.positive(timeout, "timeout", issues);
    sendingQueue.validate(issues.at("sending_queue"));
    retryOnFailure.validate(issues.at("retry_on_failure"));
  }
}
