package io.tollgate.exporter.anyway;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Secret;
import io.tollgate.core.exporterhelper.Compression;
import io.tollgate.core.exporterhelper.QueueSettings;
import io.tollgate.core.exporterhelper.RetrySettings;
import io.tollgate.core.exporterhelper.TlsSettings;
import io.tollgate.exporter.internal.Headers;
import io.tollgate.exporter.internal.Urls;
import io.tollgate.exporter.otlphttp.OtlpHttpConfig;
import io.tollgate.exporter.otlphttp.OtlpHttpEncoding;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Config of {@code anyway}: {@code otlp_http} to the Anyway backend, authenticated with {@code
 * Authorization: Bearer <api_key>}.
 *
 * @param endpoint the base URL; traces go to {@code <endpoint>/v1/traces}
 * @param apiKey required for the hosted service; optional for a self-hosted endpoint
 */
public record AnywayConfig(
    String endpoint,
    Secret apiKey,
    OtlpHttpEncoding encoding,
    TlsSettings tls,
    Map<String, Secret> headers,
    Compression compression,
    Duration timeout,
    QueueSettings sendingQueue,
    RetrySettings retryOnFailure)
    implements ComponentConfig {

  public static final String DEFAULT_ENDPOINT = "https://api.anyway.sh";

  public AnywayConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    apiKey = apiKey == null ? Secret.of("") : apiKey;
    headers = headers == null ? Map.of() : headers;
  }

  public static AnywayConfig defaults() {
    return new AnywayConfig(
        DEFAULT_ENDPOINT,
        Secret.of(""),
        OtlpHttpEncoding.PROTO,
        TlsSettings.defaults(),
        Map.of(),
        Compression.GZIP,
        OtlpHttpConfig.DEFAULT_TIMEOUT,
        QueueSettings.defaults(),
        RetrySettings.defaults());
  }

  public AnywayConfig withEndpoint(String e) {
    return new AnywayConfig(
        e, apiKey, encoding, tls, headers, compression, timeout, sendingQueue, retryOnFailure);
  }

  public AnywayConfig withApiKey(String key) {
    return new AnywayConfig(
        endpoint, Secret.of(key), encoding, tls, headers, compression, timeout, sendingQueue,
        retryOnFailure);
  }

  /** The generic exporter config this preset stands for. */
  public OtlpHttpConfig toHttp() {
    return toHttp(new ConfigIssues());
  }

  private OtlpHttpConfig toHttp(ConfigIssues headerIssues) {
    Map<String, Secret> derived =
        apiKey.reveal().isBlank()
            ? Map.of()
            : Map.of("Authorization", Secret.of("Bearer " + apiKey.reveal().trim()));
    return new OtlpHttpConfig(
        "",
        Urls.tracesUrl(endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint),
        encoding,
        compression,
        timeout,
        Headers.merge(headers, derived, "api_key", headerIssues),
        tls,
        sendingQueue,
        retryOnFailure);
  }

  @Override
  public void validate(ConfigIssues issues) {
    boolean hosted =
        endpoint.isBlank() || Urls.stripSlashes(endpoint.trim()).equalsIgnoreCase(DEFAULT_ENDPOINT);
    if (hosted && apiKey.reveal().isBlank()) {
      issues.add(
          "api_key",
          "is required for " + DEFAULT_ENDPOINT + ": set it, e.g. ${env:ANYWAY_API_KEY}");
    }
    ConfigIssues generic = new ConfigIssues();
    toHttp(issues.at("headers")).validate(generic);
    generic
        .issues()
        .forEach(
            i ->
                issues.add(
                    i.path().startsWith("traces_endpoint")
                        ? "endpoint" + i.path().substring("traces_endpoint".length())
                        : i.path(),
                    i.message()));
  }
}
