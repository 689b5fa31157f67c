package io.tollgate.exporter.otlpgrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Secret;
import io.tollgate.core.exporterhelper.SendResult;
import io.tollgate.core.exporterhelper.TlsSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OtlpGrpcConfigTest {

  private static List<String> issues(OtlpGrpcConfig c) {
    ConfigIssues issues = new ConfigIssues();
    c.validate(issues);
    return issues.issues().stream().map(Object::toString).collect(Collectors.toList());
  }

  @Test
  void endpointForms() {
    assertThat(GrpcEndpoint.parse("tempo:4317")).isEqualTo(new GrpcEndpoint("tempo", 4317, ""));
    assertThat(GrpcEndpoint.parse("https://tempo.example.com"))
        .isEqualTo(new GrpcEndpoint("tempo.example.com", 443, "https"));
    assertThat(GrpcEndpoint.parse("http://jaeger:4317/")).isEqualTo(new GrpcEndpoint("jaeger", 4317, "http"));
    GrpcEndpoint v6 = GrpcEndpoint.parse("[::1]:4317");
    assertThat(v6.host()).isEqualTo("::1");
    assertThat(v6.authority()).isEqualTo("[::1]:4317");
    assertThatThrownBy(() -> GrpcEndpoint.parse("tempo")).hasMessageContaining("no port");
    assertThatThrownBy(() -> GrpcEndpoint.parse("https://x:4317/otlp")).hasMessageContaining("path");
    assertThatThrownBy(() -> GrpcEndpoint.parse("dns:///x:4317")).hasMessageContaining("scheme");
    assertThatThrownBy(() -> GrpcEndpoint.parse("")).hasMessageContaining("empty");
  }

  @Test
  void credentialsInTheEndpointAreRefusedWithoutShowingThem() {
    for (String endpoint : List.of("https://bob:s3cr3t@tempo.example.com", "bob:s3cr3t@tempo:4317")) {
      assertThat(issues(OtlpGrpcConfig.defaults().withEndpoint(endpoint)))
          .singleElement()
          .asString()
          .startsWith("endpoint: must not carry credentials in the URL")
          .contains("put them in headers")
          .doesNotContain("s3cr3t");
    }
  }

  @Test
  void tlsFollowsSchemeThenInsecure() {
    assertThat(GrpcEndpoint.parse("x:1").usesTls(false)).isTrue();
    assertThat(GrpcEndpoint.parse("x:1").usesTls(true)).isFalse();
    assertThat(GrpcEndpoint.parse("https://x:1").usesTls(true)).isTrue();
    assertThat(GrpcEndpoint.parse("http://x:1").usesTls(false)).isFalse();
  }

  @Test
  void defaultsAreValidAndTheCollectors() {
    OtlpGrpcConfig d = OtlpGrpcConfig.defaults();
    assertThat(issues(d)).isEmpty();
    assertThat(d.endpoint()).isEqualTo("localhost:4317");
    assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.tls().insecure()).isFalse();
  }

  @Test
  void everyProblemIsReportedWithItsKey() {
    OtlpGrpcConfig bad =
        OtlpGrpcConfig.defaults()
            .withEndpoint("http://x:4317")
            .withTls(new TlsSettings(false, "ca.pem", "c.pem", "", false, ""))
            .withHeaders(Map.of("grpc-timeout", Secret.of("1"), "bad key", Secret.of("v"), "x-bin", Secret.of("v")))
            .withTimeout(Duration.ZERO);
    assertThat(issues(bad))
        .anyMatch(s -> s.startsWith("tls: TLS is off for endpoint \"http://x:4317\""))
        .anyMatch(s -> s.startsWith("tls.key_file:"))
        .anyMatch(s -> s.startsWith("headers.grpc-timeout: is reserved"))
        .anyMatch(s -> s.startsWith("headers.bad key: is not a valid gRPC metadata key"))
        .anyMatch(s -> s.startsWith("headers.x-bin:"))
        .anyMatch(s -> s.startsWith("timeout: must be positive"));
  }

  @Test
  void headerValuesAreNeverShownInMessages() {
    OtlpGrpcConfig bad =
        OtlpGrpcConfig.defaults().withHeaders(Map.of("authorization", Secret.of("Bearer s3cr3t\n")));
    assertThat(issues(bad)).singleElement().asString().doesNotContain("s3cr3t").contains("authorization");
  }

  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {"CANCELLED", "DEADLINE_EXCEEDED", "ABORTED", "OUT_OF_RANGE", "UNAVAILABLE", "DATA_LOSS"})
  void retryableCodes(Status.Code code) {
    assertThat(OtlpGrpcSender.fromError(code.toStatus().asRuntimeException()).kind())
        .isEqualTo(SendResult.Kind.RETRYABLE);
  }

  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {
        "UNKNOWN", "INVALID_ARGUMENT", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "UNIMPLEMENTED", "INTERNAL", "UNAUTHENTICATED"
      })
  void permanentCodes(Status.Code code) {
    assertThat(OtlpGrpcSender.fromError(code.toStatus().asRuntimeException()).kind())
        .isEqualTo(SendResult.Kind.PERMANENT);
  }
}
