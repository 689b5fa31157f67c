package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.internal.SecretMasker;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrintConfigTest {

  private final TestComponents test = new TestComponents();

  @Test
  void printsTheEffectiveConfigWithEverySecretMasked() throws Exception {
    CollectorConfig c =
        test.loader(Map.of("LANGFUSE_AUTH", "Basic cGstbGYtMTIzOnNrLWxmLTQ1Ng=="))
            .loadYaml(
                String.join(
                    "\n",
                    "receivers: {otlp: {}}",
                    "exporters:",
                    "  otlphttp/langfuse:",
                    "    endpoint: https://cloud.langfuse.com/api/public/otel",
                    "    api_key: sk-live-123",
                    "    headers:",
                    "      Authorization: ${env:LANGFUSE_AUTH}",
                    "      x-langfuse-project: p-42",
                    "    tags: ['Bearer abc.def']",
                    "service:",
                    "  pipelines:",
                    "    traces: {receivers: [otlp], exporters: [otlphttp/langfuse]}",
                    ""));
    String yaml = c.toYaml();
    assertThat(yaml)
        .doesNotContain("sk-live-123")
        .doesNotContain("cGstbGYtMTIz")
        .doesNotContain("p-42")
        .doesNotContain("abc.def")
        .contains("api_key: \"[REDACTED]\"")
        .contains("Authorization: \"[REDACTED]\"")
        // Defaults are filled in, durations and sizes in the config language.
        .contains("timeout: 5s")
        .contains("max_bytes: 64MiB")
        .contains("endpoint: https://cloud.langfuse.com/api/public/otel")
        .contains("localhost:4317")
        .contains("shutdown_timeout: 10s")
        .contains("address: localhost:8888");
    assertThat(yaml)
        .isEqualTo(
            String.join(
                "\n",
                "receivers:",
                "  otlp:",
                "    protocols:",
                "      grpc:",
                "        endpoint: localhost:4317",
                "      http:",
                "        endpoint: localhost:4318",
                "exporters:",
                "  otlphttp/langfuse:",
                "    endpoint: https://cloud.langfuse.com/api/public/otel",
                "    api_key: \"[REDACTED]\"",
                "    headers:",
                "      Authorization: \"[REDACTED]\"",
                "      x-langfuse-project: \"[REDACTED]\"",
                "    timeout: 5s",
                "    compression: gzip",
                "    retry_on_failure:",
                "      enabled: true",
                "      initial_interval: 5s",
                "      max_interval: 30s",
                "      max_elapsed_time: 5m",
                "      multiplier: 1.5",
                "    sending_queue:",
                "      enabled: true",
                "      num_consumers: 10",
                "      queue_size: 1000",
                "      max_bytes: 64MiB",
                "    tags:",
                "      - \"[REDACTED]\"",
                "service:",
                "  extensions: []",
                "  pipelines:",
                "    traces:",
                "      receivers:",
                "        - otlp",
                "      processors: []",
                "      exporters:",
                "        - otlphttp/langfuse",
                "  telemetry:",
                "    metrics:",
                "      address: localhost:8888",
                "      level: normal",
                "    logs:",
                "      level: info",
                "  shutdown_timeout: 10s",
                "  shutdown_delay: 2s",
                ""));
  }

  @Test
  void passwordsInsideUrlsAreMaskedWhateverTheKey() throws Exception {
    CollectorConfig c =
        test.loader(Map.of("PRESIDIO_PW", "hunter2-pw"))
            .loadYaml(
                String.join(
                    "\n",
                    "receivers: {otlp: {}}",
                    "exporters:",
                    "  otlphttp/a:",
                    "    endpoint: https://svc:${env:PRESIDIO_PW}@presidio.internal:3000/x",
                    "    tags: ['redis://:${env:PRESIDIO_PW}@cache:6379', support@acme.example]",
                    "service:",
                    "  pipelines:",
                    "    traces: {receivers: [otlp], exporters: [otlphttp/a]}",
                    ""));
    assertThat(c.toYaml())
        .doesNotContain("hunter2-pw")
        .contains("endpoint: \"https://[REDACTED]@presidio.internal:3000/x\"")
        .contains("redis://[REDACTED]@cache:6379")
        // An e-mail address is not a URL with credentials.
        .contains("support@acme.example");
  }

  @Test
  void keysThatLookSecretAreMaskedEvenWithoutTheSecretType() {
    assertThat(SecretMasker.looksSecret("api_key")).isTrue();
    assertThat(SecretMasker.looksSecret("x-api-key")).isTrue();
    assertThat(SecretMasker.looksSecret("private_key")).isTrue();
    assertThat(SecretMasker.looksSecret("key_pem")).isTrue();
    assertThat(SecretMasker.looksSecret("password")).isTrue();
    assertThat(SecretMasker.looksSecret("client_secret")).isTrue();
    assertThat(SecretMasker.looksSecret("bearer_token")).isTrue();
    assertThat(SecretMasker.looksSecret("Authorization")).isTrue();
    assertThat(SecretMasker.looksSecret("proxy-authorization")).isTrue();
    // Where a secret is, and counts of LLM tokens, are not secrets.
    assertThat(SecretMasker.looksSecret("password_file")).isFalse();
    assertThat(SecretMasker.looksSecret("key_file")).isFalse();
    assertThat(SecretMasker.looksSecret("token_url")).isFalse();
    assertThat(SecretMasker.looksSecret("max_tokens")).isFalse();
    assertThat(SecretMasker.looksSecret("metadata_keys")).isFalse();
    assertThat(SecretMasker.looksSecret("blocked_key_patterns")).isFalse();
    assertThat(SecretMasker.looksSecret("key")).isFalse();
  }
}
