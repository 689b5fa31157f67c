package io.tollgate.exporter.langfuse;

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
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Config of {@code langfuse}: {@code otlp_http} (Langfuse has no gRPC endpoint) to Langfuse's OTLP
 * endpoint, authenticated with the project's key pair, and with {@code
 * x-langfuse-ingestion-version: 4} so that spans show up at once rather than after minutes.
 *
 * @param region which Langfuse Cloud host to use when {@code endpoint} is empty
 * @param endpoint a self-hosted Langfuse: its base URL ({@code http://langfuse:3000}), its OTLP URL
 *     ({@code …/api/public/otel}) or the full traces URL; wins over {@code region}
 */
public record LangfuseConfig(
    LangfuseRegion region,
    String endpoint,
    Secret publicKey,
    Secret secretKey,
    OtlpHttpEncoding encoding,
    TlsSettings tls,
    Map<String, Secret> headers,
    Compression compression,
    Duration timeout,
    QueueSettings sendingQueue,
    RetrySettings retryOnFailure)
    implements ComponentConfig {

  public static final String OTEL_PATH = "/api/public/otel";
  public static final String INGESTION_VERSION_HEADER = "x-langfuse-ingestion-version";
  public static final String INGESTION_VERSION = "4";

  public LangfuseConfig {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(endpoint, "endpoint");
    publicKey = publicKey == null ? Secret.of("") : publicKey;
    secretKey = secretKey == null ? Secret.of("") : secretKey;
    headers = headers == null ? Map.of() : headers;
  }

  public static LangfuseConfig defaults() {
    return new LangfuseConfig(
        LangfuseRegion.EU,
        "",
        Secret.of(""),
        Secret.of(""),
        OtlpHttpEncoding.PROTO,
        TlsSettings.defaults(),
        Map.of(),
        Compression.GZIP,
        OtlpHttpConfig.DEFAULT_TIMEOUT,
        QueueSettings.defaults(),
        RetrySettings.defaults());
  }

  public LangfuseConfig withKeys(String pk, String sk) {
    return new LangfuseConfig(
        region, endpoint, Secret.of(pk), Secret.of(sk), encoding, tls, headers, compression,
        timeout, sendingQueue, retryOnFailure);
  }

  public LangfuseConfig withEndpoint(String e) {
    return new LangfuseConfig(
        region, e, publicKey, secretKey, encoding, tls, headers, compression, timeout,
        sendingQueue, retryOnFailure);
  }

  public LangfuseConfig withRegion(LangfuseRegion r) {
    return new LangfuseConfig(
        r, endpoint, publicKey, secretKey, encoding, tls, headers, compression, timeout,
        sendingQueue, retryOnFailure);
  }

  /** Where traces are posted. */
  public String tracesUrl() {
    if (endpoint.isBlank()) {
      return Urls.tracesUrl(region.otelBaseUrl());
    }
    String e = Urls.stripSlashes(endpoint.trim());
    try {
      String path = new URI(e).getRawPath();
      if (path == null || path.isEmpty()) {
        e = e + OTEL_PATH; // the root of a self-hosted Langfuse
      }
    } catch (URISyntaxException ignored) {
      // otlp_http's validation reports the bad URL
    }
    return Urls.tracesUrl(e);
  }

  /** {@code Authorization: Basic base64(public_key:secret_key)} and the ingestion version. */
  private Map<String, Secret> derivedHeaders() {
    Map<String, Secret> h = new LinkedHashMap<>();
    String pair = publicKey.reveal() + ":" + secretKey.reveal();
    h.put(
        "Authorization",
        Secret.of(
            "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
    h.put(INGESTION_VERSION_HEADER, Secret.of(INGESTION_VERSION));
    return h;
  }

  /** The generic exporter config this preset stands for. */
  public OtlpHttpConfig toHttp() {
    return toHttp(new ConfigIssues());
  }

  private OtlpHttpConfig toHttp(ConfigIssues headerIssues) {
    return new OtlpHttpConfig(
        "",
        tracesUrl(),
        encoding,
        compression,
        timeout,
        Headers.merge(headers, derivedHeaders(), "public_key/secret_key", headerIssues),
        tls,
        sendingQueue,
        retryOnFailure);
  }

  @Override
  public void validate(ConfigIssues issues) {
    String pk = publicKey.reveal().trim();
    String sk = secretKey.reveal().trim();
    if (pk.isEmpty()) {
      issues.add(
          "public_key",
          "is required: set it to the Langfuse project's public key (pk-lf-…), e.g."
              + " ${env:LANGFUSE_PUBLIC_KEY}");
    } else if (pk.startsWith("sk-lf-")) {
      issues.add("public_key", "holds a secret key (sk-lf-…); swap public_key and secret_key");
    }
    if (sk.isEmpty()) {
      issues.add(
          "secret_key",
          "is required: set it to the Langfuse project's secret key (sk-lf-…), e.g."
              + " ${env:LANGFUSE_SECRET_KEY}");
    } else if (sk.startsWith("pk-lf-")) {
      issues.add("secret_key", "holds a public key (pk-lf-…); swap public_key and secret_key");
    }
    OtlpHttpConfig http = toHttp(issues.at("headers"));
    ConfigIssues generic = new ConfigIssues();
    http.validate(generic);
    // The generic config names the URL traces_endpoint; here the user wrote endpoint.
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
