package io.tollgate.exporter.presets;

import static io.tollgate.exporter.testing.ExporterHarness.FAST_RETRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.component.Secret;
import io.tollgate.core.exporterhelper.TlsSettings;
import io.tollgate.exporter.anyway.AnywayConfig;
import io.tollgate.exporter.anyway.AnywayExporterFactory;
import io.tollgate.exporter.internal.OtlpProtocol;
import io.tollgate.exporter.jaeger.JaegerConfig;
import io.tollgate.exporter.jaeger.JaegerExporterFactory;
import io.tollgate.exporter.langfuse.LangfuseConfig;
import io.tollgate.exporter.langfuse.LangfuseExporterFactory;
import io.tollgate.exporter.langfuse.LangfuseRegion;
import io.tollgate.exporter.tempo.TempoConfig;
import io.tollgate.exporter.tempo.TempoExporterFactory;
import io.tollgate.exporter.testing.ExporterHarness;
import io.tollgate.exporter.testing.GrpcBackend;
import io.tollgate.exporter.testing.HttpBackend;
import io.tollgate.exporter.testing.TestSpans;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each preset against a real backend, checking what the backend's docs say it needs. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PresetExportersTest {

  private final ExporterHarness harness = new ExporterHarness();

  @AfterEach
  void stop() {
    harness.close();
  }

  private static List<String> issues(io.tollgate.core.component.ComponentConfig c) {
    ConfigIssues issues = new ConfigIssues();
    c.validate(issues);
    return issues.issues().stream().map(Object::toString).collect(Collectors.toList());
  }

  @Test
  void tempoSendsTheTenantAsXScopeOrgId() throws Exception {
    try (GrpcBackend tempo = GrpcBackend.start()) {
      TempoConfig c = TempoConfig.defaults().withEndpoint(tempo.endpoint()).withTenant("team-a");
      Exporter e =
          harness.start(new TempoExporterFactory().create(c, harness.context("tempo")));

      e.consume(TestSpans.batch(2));

      await().until(() -> tempo.accepted.size() == 1);
      assertThat(tempo.header("x-scope-orgid")).isEqualTo("team-a");
    }
  }

  @Test
  void tempoOverHttp() throws Exception {
    try (HttpBackend tempo = HttpBackend.start()) {
      TempoConfig c =
          TempoConfig.defaults()
              .withProtocol(OtlpProtocol.HTTP)
              .withEndpoint(tempo.url())
              .withTenant("team-b");
      Exporter e = harness.start(new TempoExporterFactory().create(c, harness.context("tempo")));
      e.consume(TestSpans.batch(1));
      await().until(() -> tempo.accepted.size() == 1);
      assertThat(tempo.last().path()).isEqualTo("/v1/traces");
      assertThat(tempo.last().header("x-scope-orgid")).isEqualTo("team-b");
    }
  }

  @Test
  void tempoTenantChecks() {
    assertThat(issues(TempoConfig.defaults().withTenant("a b")))
        .singleElement()
        .asString()
        .startsWith("tenant: \"a b\" is not a valid Tempo tenant");
    TempoConfig clash =
        new TempoConfig(
            OtlpProtocol.GRPC, "", "t1", TlsSettings.plaintext(),
            Map.of("x-scope-orgid", Secret.of("t2")),
            TempoConfig.defaults().compression(), TempoConfig.defaults().timeout(),
            TempoConfig.defaults().sendingQueue(), TempoConfig.defaults().retryOnFailure());
    assertThat(issues(clash)).singleElement().asString().startsWith("headers.x-scope-orgid: is set by tenant");
  }

  @Test
  void jaegerDefaultsToLocalPlaintextGrpc() throws Exception {
    JaegerConfig d = JaegerConfig.defaults();
    assertThat(d.toGrpc().endpoint()).isEqualTo("localhost:4317");
    assertThat(d.toGrpc().tls().insecure()).isTrue();
    assertThat(d.withProtocol(OtlpProtocol.HTTP).toHttp().tracesUri().toString())
        .isEqualTo("http://localhost:4318/v1/traces");
    assertThat(issues(d)).isEmpty();

    try (GrpcBackend jaeger = GrpcBackend.start()) {
      Exporter e =
          harness.start(
              new JaegerExporterFactory()
                  .create(
                      d.withEndpoint(jaeger.endpoint()).withRetryOnFailure(FAST_RETRY),
                      harness.context("jaeger")));
      e.consume(TestSpans.batch(3));
      await().until(() -> jaeger.acceptedSpans() == 3);
    }
  }

  @Test
  void jaegerOverHttp() throws Exception {
    try (HttpBackend jaeger = HttpBackend.start()) {
      Exporter e =
          harness.start(
              new JaegerExporterFactory()
                  .create(
                      JaegerConfig.defaults().withProtocol(OtlpProtocol.HTTP).withEndpoint(jaeger.url()),
                      harness.context("jaeger")));
      e.consume(TestSpans.batch(1));
      await().until(() -> jaeger.accepted.size() == 1);
      assertThat(jaeger.last().path()).isEqualTo("/v1/traces");
      assertThat(jaeger.last().header("content-type")).isEqualTo("application/x-protobuf");
    }
  }

  @Test
  void langfuseSendsBasicAuthAndTheIngestionVersion() throws Exception {
    try (HttpBackend langfuse = HttpBackend.start()) {
      // A self-hosted Langfuse given by its root URL.
      LangfuseConfig c =
          LangfuseConfig.defaults().withKeys("pk-lf-123", "sk-lf-456").withEndpoint(langfuse.url());
      Exporter e =
          harness.start(new LangfuseExporterFactory().create(c, harness.context("langfuse")));

      e.consume(TestSpans.batch(2));

      await().until(() -> langfuse.accepted.size() == 1);
      HttpBackend.Received r = langfuse.last();
      assertThat(r.path()).isEqualTo("/api/public/otel/v1/traces");
      assertThat(r.header("authorization"))
          .isEqualTo(
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString("pk-lf-123:sk-lf-456".getBytes(StandardCharsets.UTF_8)));
      assertThat(r.header("x-langfuse-ingestion-version")).isEqualTo("4");
      assertThat(r.header("content-encoding")).isEqualTo("gzip");
      assertThat(langfuse.acceptedSpans()).isEqualTo(2);
    }
  }

  @Test
  void langfuseUrls() {
    LangfuseConfig c = LangfuseConfig.defaults().withKeys("pk-lf-1", "sk-lf-2");
    assertThat(c.tracesUrl()).isEqualTo("https://cloud.langfuse.com/api/public/otel/v1/traces");
    assertThat(c.withRegion(LangfuseRegion.US).tracesUrl())
        .isEqualTo("https://us.cloud.langfuse.com/api/public/otel/v1/traces");
    assertThat(c.withRegion(LangfuseRegion.JP).tracesUrl())
        .isEqualTo("https://jp.cloud.langfuse.com/api/public/otel/v1/traces");
    assertThat(c.withRegion(LangfuseRegion.HIPAA).tracesUrl())
        .isEqualTo("https://hipaa.cloud.langfuse.com/api/public/otel/v1/traces");
    assertThat(c.withEndpoint("http://langfuse:3000/api/public/otel").tracesUrl())
        .isEqualTo("http://langfuse:3000/api/public/otel/v1/traces");
    assertThat(c.withEndpoint("http://langfuse:3000/api/public/otel/v1/traces/").tracesUrl())
        .isEqualTo("http://langfuse:3000/api/public/otel/v1/traces");
    assertThat(issues(c)).isEmpty();
  }

  @Test
  void langfuseRefusesAConfigWithoutKeys() {
    assertThat(issues(LangfuseConfig.defaults()))
        .containsExactly(
            "public_key: is required: set it to the Langfuse project's public key (pk-lf-…), e.g."
                + " ${env:LANGFUSE_PUBLIC_KEY}",
            "secret_key: is required: set it to the Langfuse project's secret key (sk-lf-…), e.g."
                + " ${env:LANGFUSE_SECRET_KEY}");
    assertThat(issues(LangfuseConfig.defaults().withKeys("sk-lf-1", "pk-lf-2")))
        .anyMatch(s -> s.startsWith("public_key: holds a secret key"))
        .anyMatch(s -> s.startsWith("secret_key: holds a public key"));
    assertThatThrownBy(
            () -> new LangfuseExporterFactory().create(LangfuseConfig.defaults(), harness.context("langfuse")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("public_key: is required");
  }

  @Test
  void langfuseNeverShowsTheKeys() {
    LangfuseConfig c = LangfuseConfig.defaults().withKeys("pk-lf-visible", "sk-lf-hidden");
    assertThat(c.toString()).doesNotContain("sk-lf-hidden");
    assertThat(c.toHttp().headers().toString()).doesNotContain("sk-lf-hidden");
    LangfuseConfig clash =
        new LangfuseConfig(
            LangfuseRegion.EU, "", Secret.of("pk-lf-1"), Secret.of("sk-lf-2"),
            c.encoding(), c.tls(), Map.of("Authorization", Secret.of("Basic x")),
            c.compression(), c.timeout(), c.sendingQueue(), c.retryOnFailure());
    assertThat(issues(clash))
        .singleElement()
        .asString()
        .startsWith("headers.Authorization: is set by public_key/secret_key");
  }

  @Test
  void anywaySendsTheApiKeyAsBearer() throws Exception {
    try (HttpBackend anyway = HttpBackend.start()) {
      AnywayConfig c = AnywayConfig.defaults().withEndpoint(anyway.url()).withApiKey("ak_test_1");
      Exporter e = harness.start(new AnywayExporterFactory().create(c, harness.context("anyway")));

      e.consume(TestSpans.batch(1));

      await().until(() -> anyway.accepted.size() == 1);
      assertThat(anyway.last().path()).isEqualTo("/v1/traces");
      assertThat(anyway.last().header("authorization")).isEqualTo("Bearer ak_test_1");
    }
  }

  @Test
  void anywayNeedsAKeyForTheHostedService() {
    assertThat(issues(AnywayConfig.defaults()))
        .singleElement()
        .asString()
        .startsWith("api_key: is required for https://api.anyway.sh");
    assertThat(issues(AnywayConfig.defaults().withEndpoint("http://localhost:4318"))).isEmpty();
    assertThat(AnywayConfig.defaults().withApiKey("k").toHttp().tracesUri().toString())
        .isEqualTo("https://api.anyway.sh/v1/traces");
    assertThat(issues(AnywayConfig.defaults().withApiKey("k").withEndpoint("api.anyway.sh")))
        .singleElement()
        .asString()
        .startsWith("endpoint: \"api.anyway.sh/v1/traces\" must start with http://");
  }
}
