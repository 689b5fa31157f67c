package io.tollgate.exporter.otlphttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Secret;
import io.tollgate.core.exporterhelper.TlsSettings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OtlpHttpConfigTest {

  private static List<String> issues(OtlpHttpConfig c) {
    ConfigIssues issues = new ConfigIssues();
    c.validate(issues);
    return issues.issues().stream().map(Object::toString).collect(Collectors.toList());
  }

  @Test
  void tracesUrlIsEndpointPlusPathUnlessTracesEndpointIsSet() {
    OtlpHttpConfig c = OtlpHttpConfig.defaults().withEndpoint("https://otlp.example.com/");
    assertThat(c.tracesUri()).isEqualTo(URI.create("https://otlp.example.com/v1/traces"));
    assertThat(c.withEndpoint("https://x.example.com/otlp").tracesUri())
        .isEqualTo(URI.create("https://x.example.com/otlp/v1/traces"));
    assertThat(c.withTracesEndpoint("https://y.example.com/t").tracesUri())
        .isEqualTo(URI.create("https://y.example.com/t"));
  }

  @Test
  void defaultsAreValid() {
    assertThat(issues(OtlpHttpConfig.defaults())).isEmpty();
    assertThat(OtlpHttpConfig.defaults().timeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void problemsAreReportedWithTheirKeys() {
    assertThat(issues(OtlpHttpConfig.defaults().withEndpoint("otlp.example.com:4318")))
        .singleElement()
        .asString()
        .startsWith("endpoint: \"otlp.example.com:4318\" must start with http:// or https://");
    assertThat(issues(OtlpHttpConfig.defaults().withTracesEndpoint("ftp://x")))
        .singleElement()
        .asString()
        .startsWith("traces_endpoint:");
    assertThat(issues(OtlpHttpConfig.defaults().withEndpoint("https://user:pw@x.example.com")))
        .singleElement()
        .asString()
        .contains("credentials");
    assertThat(
            issues(
                OtlpHttpConfig.defaults()
                    .withHeaders(
                        Map.of(
                            "Host", Secret.of("x"),
                            "Content-Type", Secret.of("y"),
                            "Bad Name", Secret.of("z")))))
        .hasSize(3);
    assertThat(
            issues(
                OtlpHttpConfig.defaults()
                    .withTls(TlsSettings.defaults().withCaFile("/etc/ca.pem"))))
        .singleElement()
        .asString()
        .startsWith("tls: the endpoint is http://");
    assertThat(
            issues(
                OtlpHttpConfig.defaults()
                    .withEndpoint("https://x.example.com")
                    .withTls(new TlsSettings(false, "", "", "", false, "other.example.com"))))
        .singleElement()
        .asString()
        .startsWith("tls.server_name_override:");
  }

  @Test
  void retryAfterForms() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(RetryAfter.parse("7", now)).isEqualTo(Duration.ofSeconds(7));
    assertThat(RetryAfter.parse(" 0 ", now)).isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.parse("Thu, 01 Jan 2026 00:00:30 GMT", now))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse("Wed, 31 Dec 2025 23:59:00 GMT", now)).isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.parse("soon", now)).isNull();
    assertThat(RetryAfter.parse("-3", now)).isNull();
    assertThat(RetryAfter.parse(null, now)).isNull();
  }
}
