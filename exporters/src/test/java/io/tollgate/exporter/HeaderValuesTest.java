package io.tollgate.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.testing.ComponentConfigs;
import io.tollgate.core.component.ComponentKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Header values that an empty environment variable leaves behind ({@code "Bearer ${env:TOKEN}"}
 * with TOKEN empty or unset), refused by every exporter with headers when the config is loaded
 * (through the real loader, whose environment here is empty), not by a 401 at the first export.
 */
class HeaderValuesTest {

  /** Each exporter with headers, with what else it needs to load. */
  private static String section(String type, String headers) {
    switch (type) {
      case "langfuse":
        return "{public_key: pk-lf-1, secret_key: sk-lf-2, headers: " + headers + "}";
      case "anyway":
        return "{api_key: k, headers: " + headers + "}";
      case "jaeger_http":
        return "{protocol: http, headers: " + headers + "}";
      case "tempo_http":
        return "{protocol: http, headers: " + headers + "}";
      default:
        return "{headers: " + headers + "}";
    }
  }

  private static List<String> problems(String type, String headers) {
    // jaeger_http and tempo_http: those presets with protocol http.
    String factoryType = type.startsWith("otlp") ? type : type.replace("_http", "");
    return ComponentConfigs.problems(ComponentKind.EXPORTER, factoryType, section(type, headers));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "otlp_grpc", "otlp_http", "jaeger", "jaeger_http", "tempo", "tempo_http", "langfuse",
        "anyway"
      })
  void aSchemeWithAnEmptyTokenIsRefusedWithThePathAndWhatToDo(String type) {
    assertThat(problems(type, "{x-upstream-auth: \"Bearer ${env:TOKEN}\"}"))
        .singleElement()
        .asString()
        .startsWith(
            "headers.x-upstream-auth: is only the scheme \"Bearer\" with no credentials after it")
        .contains("${env:TOKEN:?set TOKEN to the backend's token}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"otlp_grpc", "otlp_http", "tempo", "anyway"})
  void anEmptyValueIsRefused(String type) {
    assertThat(problems(type, "{x-api-key: \"${env:API_KEY}\"}"))
        .singleElement()
        .asString()
        .startsWith("headers.x-api-key: is empty")
        .contains("${env:NAME:?");
  }

  @Test
  void theAuthorizationHeaderIsCheckedAsWritten() {
    assertThat(problems("otlp_grpc", "{authorization: \"bearer  ${env:TOKEN}\"}"))
        .singleElement()
        .asString()
        .startsWith("headers.authorization: is only the scheme \"Bearer\"");
    assertThat(problems("otlp_http", "{Authorization: \"Basic ${env:BASIC_AUTH}\"}"))
        .singleElement()
        .asString()
        .startsWith("headers.Authorization: is only the scheme \"Basic\"");
  }

  @Test
  void anUnknownWordAndASpaceInAuthorizationIsRefusedWithoutShowingTheWord() {
    // "Custom" may be a credential as far as we know: never put it in a message.
    assertThat(problems("otlp_http", "{authorization: \"Custom ${env:TOKEN}\"}"))
        .singleElement()
        .asString()
        .startsWith("headers.authorization: is one word and a space with no credentials")
        .doesNotContain("Custom");
  }

  @Test
  void realCredentialsPass() {
    assertThat(problems("otlp_grpc", "{authorization: \"Bearer abc.def\"}")).isEmpty();
    // Some backends take the bare key in Authorization.
    assertThat(problems("otlp_http", "{authorization: sk_live_123}")).isEmpty();
    assertThat(problems("tempo", "{authorization: \"Basic dXNlcjpwdw==\"}")).isEmpty();
    assertThat(problems("otlp_http", "{x-honeycomb-team: abc, x-note: \"two words\"}")).isEmpty();
  }
}
