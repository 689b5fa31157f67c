package io.tollgate.exporter.tempo;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Secret;
import io.tollgate.core.exporterhelper.Compression;
import io.tollgate.core.exporterhelper.QueueSettings;
import io.tollgate.core.exporterhelper.RetrySettings;
import io.tollgate.core.exporterhelper.TlsSettings;
import io.tollgate.exporter.internal.Headers;
import io.tollgate.exporter.internal.OtlpProtocol;
import io.tollgate.exporter.otlpgrpc.OtlpGrpcConfig;
import io.tollgate.exporter.otlphttp.OtlpHttpConfig;
import io.tollgate.exporter.otlphttp.OtlpHttpEncoding;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Config of {@code tempo}: {@code otlp_grpc} (or {@code otlp_http}) with Tempo's local defaults
 * and {@code tenant}, which becomes the {@code X-Scope-OrgID} header multi-tenant Tempo requires.
 *
 * @param tenant "" when Tempo runs single-tenant
 */
public record TempoConfig(
    OtlpProtocol protocol,
    String endpoint,
    String tenant,
    TlsSettings tls,
    Map<String, Secret> headers,
    Compression compression,
    Duration timeout,
    QueueSettings sendingQueue,
    RetrySettings retryOnFailure)
    implements ComponentConfig {

  public static final String TENANT_HEADER = "X-Scope-OrgID";
  public static final String DEFAULT_GRPC_ENDPOINT = "localhost:4317";
  public static final String DEFAULT_HTTP_ENDPOINT = "http://localhost:4318";
  // Tempo's (Cortex's) tenant id rules: these characters, at most 150 of them.
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9!_.*'()-]{1,150}");

  public TempoConfig {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(tenant, "tenant");
    headers = headers == null ? Map.of() : headers;
  }

  public static TempoConfig defaults() {
    return new TempoConfig(
        OtlpProtocol.GRPC,
        "",
        "",
        TlsSettings.plaintext(),
        Map.of(),
        Compression.GZIP,
        OtlpGrpcConfig.DEFAULT_TIMEOUT,
        QueueSettings.defaults(),
        RetrySettings.defaults());
  }

  public TempoConfig withEndpoint(String e) {
    return new TempoConfig(
        protocol, e, tenant, tls, headers, compression, timeout, sendingQueue, retryOnFailure);
  }

  public TempoConfig withTenant(String t) {
    return new TempoConfig(
        protocol, endpoint, t, tls, headers, compression, timeout, sendingQueue, retryOnFailure);
  }

  public TempoConfig withProtocol(OtlpProtocol p) {
    return new TempoConfig(
        p, endpoint, tenant, tls, headers, compression, timeout, sendingQueue, retryOnFailure);
  }

  private Map<String, Secret> allHeaders(ConfigIssues issues) {
    Map<String, Secret> derived =
        tenant.isEmpty() ? Map.of() : Map.of(TENANT_HEADER, Secret.of(tenant));
    return Headers.merge(headers, derived, "tenant", issues);
  }

  /** The generic exporter config, when {@code protocol: grpc}. */
  public OtlpGrpcConfig toGrpc() {
    return toGrpc(new ConfigIssues());
  }

  private OtlpGrpcConfig toGrpc(ConfigIssues issues) {
    return new OtlpGrpcConfig(
        endpoint.isBlank() ? DEFAULT_GRPC_ENDPOINT : endpoint,
        tls,
        allHeaders(issues),
        compression,
        timeout,
        sendingQueue,
        retryOnFailure);
  }

  /** The generic exporter config, when {@code protocol: http}. */
  public OtlpHttpConfig toHttp() {
    return toHttp(new ConfigIssues());
  }

  private OtlpHttpConfig toHttp(ConfigIssues issues) {
    return new OtlpHttpConfig(
        endpoint.isBlank() ? DEFAULT_HTTP_ENDPOINT : endpoint,
        "",
        OtlpHttpEncoding.PROTO,
        compression,
        timeout,
        allHeaders(issues),
        tls,
        sendingQueue,
        retryOnFailure);
  }

  @Override
  public void validate(ConfigIssues issues) {
    if (!tenant.isEmpty() && !TENANT.matcher(tenant).matches()) {
      issues.add(
          "tenant",
          "\""
              + tenant
              + "\" is not a valid Tempo tenant: use at most 150 letters, digits and !-_.*'()");
    }
    ConfigIssues headerIssues = issues.at("headers");
    if (protocol == OtlpProtocol.GRPC) {
      toGrpc(headerIssues).validate(issues);
    } else {
      toHttp(headerIssues).validate(issues);
    }
  }
}
