package io.tollgate.exporter.jaeger;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Secret;
import io.tollgate.core.exporterhelper.Compression;
import io.tollgate.core.exporterhelper.QueueSettings;
import io.tollgate.core.exporterhelper.RetrySettings;
import io.tollgate.core.exporterhelper.TlsSettings;
import io.tollgate.exporter.internal.OtlpProtocol;
import io.tollgate.exporter.otlpgrpc.OtlpGrpcConfig;
import io.tollgate.exporter.otlphttp.OtlpHttpConfig;
import io.tollgate.exporter.otlphttp.OtlpHttpEncoding;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Config of {@code jaeger}: Jaeger v2 ingests OTLP, so this is {@code otlp_grpc} (or {@code
 * otlp_http} with {@code protocol: http}) with Jaeger's defaults: its local ports, plaintext.
 *
 * @param endpoint "" for Jaeger's local default: {@value #DEFAULT_GRPC_ENDPOINT} (grpc) or
 *     {@value #DEFAULT_HTTP_ENDPOINT} (http)
 */
public record JaegerConfig(
    OtlpProtocol protocol,
    String endpoint,
    TlsSettings tls,
    Map<String, Secret> headers,
    Compression compression,
    Duration timeout,
    QueueSettings sendingQueue,
    RetrySettings retryOnFailure)
    implements ComponentConfig {

  public static final String DEFAULT_GRPC_ENDPOINT = "localhost:4317";
  public static final String DEFAULT_HTTP_ENDPOINT = "http://localhost:4318";

  public JaegerConfig {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(endpoint, "endpoint");
    headers = headers == null ? Map.of() : headers;
  }

  public static JaegerConfig defaults() {
    return new JaegerConfig(
        OtlpProtocol.GRPC,
        "",
        TlsSettings.plaintext(),
        Map.of(),
        Compression.GZIP,
        OtlpGrpcConfig.DEFAULT_TIMEOUT,
        QueueSettings.defaults(),
        RetrySettings.defaults());
  }

  public JaegerConfig withProtocol(OtlpProtocol p) {
    return new JaegerConfig(
        p, endpoint, tls, headers, compression, timeout, sendingQueue, retryOnFailure);
  }

  public JaegerConfig withEndpoint(String e) {
    return new JaegerConfig(
        protocol, e, tls, headers, compression, timeout, sendingQueue, retryOnFailure);
  }

  public JaegerConfig withRetryOnFailure(RetrySettings r) {
    return new JaegerConfig(protocol, endpoint, tls, headers, compression, timeout, sendingQueue, r);
  }

  /** The generic exporter config this preset stands for, when {@code protocol: grpc}. */
  public OtlpGrpcConfig toGrpc() {
    return new OtlpGrpcConfig(
        endpoint.isBlank() ? DEFAULT_GRPC_ENDPOINT : endpoint,
        tls,
        headers,
        compression,
        timeout,
        sendingQueue,
        retryOnFailure);
  }

  /** The generic exporter config this preset stands for, when {@code protocol: http}. */
  public OtlpHttpConfig toHttp() {
    return new OtlpHttpConfig(
        endpoint.isBlank() ? DEFAULT_HTTP_ENDPOINT : endpoint,
        "",
        OtlpHttpEncoding.PROTO,
        compression,
        timeout,
        headers,
        tls,
        sendingQueue,
        retryOnFailure);
  }

  @Override
  public void validate(ConfigIssues issues) {
    if (protocol == OtlpProtocol.GRPC) {
      toGrpc().validate(issues);
    } else {
      toHttp().validate(issues);
    }
  }
}
