package io.tollgate.exporter.otlphttp;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Secret;
import io.tollgate.core.exporterhelper.Compression;
import io.tollgate.core.exporterhelper.QueueSettings;
import io.tollgate.core.exporterhelper.RetrySettings;
import io.tollgate.core.exporterhelper.TlsSettings;
import io.tollgate.exporter.internal.Headers;
import io.tollgate.exporter.internal.Validation;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Config of {@code otlp_http}, with the collector's keys.
 *
 * @param endpoint base URL; traces go to {@code <endpoint>/v1/traces}
 * @param tracesEndpoint full URL for traces; wins over {@code endpoint} when set
 * @param timeout per attempt, from sending the request to the end of the response
 */
public record OtlpHttpConfig(
    String endpoint,
    String tracesEndpoint,
    OtlpHttpEncoding encoding,
    Compression compression,
    Duration timeout,
    Map<String, Secret> headers,
    TlsSettings tls,
    QueueSettings sendingQueue,
    RetrySettings retryOnFailure)
    implements ComponentConfig {

  public static final String DEFAULT_ENDPOINT = "http://localhost:4318";
  public static final String TRACES_PATH = "/v1/traces";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public OtlpHttpConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(tracesEndpoint, "tracesEndpoint");
    Objects.requireNonNull(encoding, "encoding");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(sendingQueue, "sendingQueue");
    Objects.requireNonNull(retryOnFailure, "retryOnFailure");
    headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** http://localhost:4318, protobuf, gzip, 30s, queue and retry on. */
  public static OtlpHttpConfig defaults() {
    return new OtlpHttpConfig(
        DEFAULT_ENDPOINT,
        "",
        OtlpHttpEncoding.PROTO,
        Compression.GZIP,
        DEFAULT_TIMEOUT,
        Map.of(),
        TlsSettings.defaults(),
        QueueSettings.defaults(),
        RetrySettings.defaults());
  }

  public OtlpHttpConfig withEndpoint(String value) {
    return new OtlpHttpConfig(
        value, tracesEndpoint, encoding, compression, timeout, headers, tls, sendingQueue,
        retryOnFailure);
  }

  public OtlpHttpConfig withTracesEndpoint(String value) {
    return new OtlpHttpConfig(
        endpoint, value, encoding, compression, timeout, headers, tls, sendingQueue,
        retryOnFailure);
  }

  public OtlpHttpConfig withEncoding(OtlpHttpEncoding value) {
    return new OtlpHttpConfig(
        endpoint, tracesEndpoint, value, compression, timeout, headers, tls, sendingQueue,
        retryOnFailure);
  }

  public OtlpHttpConfig withCompression(Compression value) {
    return new OtlpHttpConfig(
        endpoint, tracesEndpoint, encoding, value, timeout, headers, tls, sendingQueue,
        retryOnFailure);
  }

  public OtlpHttpConfig withTimeout(Duration value) {
    return new OtlpHttpConfig(
        endpoint, tracesEndpoint, encoding, compression, value, headers, tls, sendingQueue,
        retryOnFailure);
  }

  public OtlpHttpConfig withHeaders(Map<String, Secret> value) {
    return new OtlpHttpConfig(
        endpoint, tracesEndpoint, encoding, compression, timeout, value, tls, sendingQueue,
        retryOnFailure);
  }

  public OtlpHttpConfig withTls(TlsSettings value) {
    return new OtlpHttpConfig(
        endpoint, tracesEndpoint, encoding, compression, timeout, headers, value, sendingQueue,
        retryOnFailure);
  }

  public OtlpHttpConfig withSendingQueue(QueueSettings value) {
    return new OtlpHttpConfig(
        endpoint, tracesEndpoint, encoding, compression, timeout, headers, tls, value,
        retryOnFailure);
  }

  public OtlpHttpConfig withRetryOnFailure(RetrySettings value) {
    return new OtlpHttpConfig(
        endpoint, tracesEndpoint, encoding, compression, timeout, headers, tls, sendingQueue,
        value);
  }

  /**
   * The URL traces are posted to: {@code traces_endpoint}, else {@code endpoint} + {@value
   * #TRACES_PATH}.
   *
   * @throws IllegalArgumentException when the URL is not a valid http(s) URL
   */
  public URI tracesUri() {
    if (!tracesEndpoint.isBlank()) {
      return checkedUri(tracesEndpoint.trim(), "traces_endpoint");
    }
    String base = endpoint.trim();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    checkedUri(base, "endpoint");
    return checkedUri(base + TRACES_PATH, "endpoint");
  }

  private static URI checkedUri(String url, String key) {
    if (url.isEmpty()) {
      throw new IllegalArgumentException("is empty; write a URL such as https://otlp.example.com");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("\"" + url + "\" is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "\""
              + url
              + "\" must start with http:// or https:// (OTLP/HTTP; for host:port use otlp_grpc)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("\"" + url + "\" has no host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "must not carry credentials in the URL; put them in headers (Authorization)");
    }
    return uri;
  }

  @Override
  public void validate(ConfigIssues issues) {
    try {
      URI uri = tracesUri();
      if (uri.getScheme().equalsIgnoreCase("http") && tls.hasTlsOptions()) {
        issues.add(
            "tls",
            "the endpoint is http://, so the tls keys would be ignored; use an https:// URL");
      }
    } catch (IllegalArgumentException e) {
      issues.add(tracesEndpoint.isBlank() ? "endpoint" : "traces_endpoint", e.getMessage());
    }
    tls.validate(issues.at("tls"));
    if (!tls.serverNameOverride().isEmpty()) {
      // The JDK HttpClient checks the certificate against the URL's host and offers no override.
      issues.add(
          "tls.server_name_override",
          "is supported by gRPC exporters only; put the name the certificate is issued for in the"
              + " URL");
    }
    Headers.validateHttp(headers, issues.at("headers"));
    Validation.positive(timeout, "timeout", issues);
    sendingQueue.validate(issues.at("sending_queue"));
    retryOnFailure.validate(issues.at("retry_on_failure"));
  }
}
