package io.tollgate.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tollgate.config.CollectorConfig;
import io.tollgate.config.Components;
import io.tollgate.config.ConfigException;
import io.tollgate.config.ConfigLoader;
import io.tollgate.config.ConfiguredComponent;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.core.model.AttributeView;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.core.testing.Spans;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example the README points to loads and validates with the real components. */
class ExamplesTest {

  // The variables the examples expect from the environment; the rest have defaults.
  private static final Map<String, String> ENV =
      Map.of(
          "LANGFUSE_PUBLIC_KEY", "pk-lf-1234",
          "LANGFUSE_SECRET_KEY", "sk-lf-5678",
          "ANYWAY_API_KEY", "aw-test-key",
          "OTLP_TOKEN", "otlp-test-token");

  static Stream<Path> examples() throws IOException {
    // Surefire runs in the module directory; the examples live at the repository root.
    Path dir = Path.of("..", "examples");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(6);
    return files.stream();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void loadsAndValidates(Path example) {
    assertThatCode(
            () -> {
              CollectorConfig config =
                  ConfigLoader.builder()
                      .components(Components.load())
                      .env(ENV)
                      .build()
                      .load(List.of(example.toString()), List.of());
              // Secrets from the environment never reach print-config.
              assertThat(config.toYaml()).doesNotContain("sk-lf-5678").doesNotContain("aw-test-key");
            })
        .doesNotThrowAnyException();
  }

  /** Without its token the fan-out example stops at load, instead of sending "Bearer ". */
  @Test
  void theFanOutExampleRequiresItsToken() {
    String fanOut = Path.of("..", "examples", "otlp-fanout.yaml").toString();
    for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("OTLP_TOKEN", ""))) {
      ConfigException e =
          catchThrowableOfType(
              ConfigException.class,
              () ->
                  ConfigLoader.builder()
                      .components(Components.load())
                      .env(env)
                      .build()
                      .load(List.of(fanOut), List.of()));
      assertThat(e.problems().stream().map(Object::toString))
          .singleElement()
          .asString()
          .startsWith(
              "exporters.otlp/primary.headers.authorization: environment variable OTLP_TOKEN")
          .endsWith("set OTLP_TOKEN to the backend's API token");
    }
  }

  /**
   * Tempo cuts attribute values over 2048 bytes on its own, breaking message JSON; the example's
   * {@code truncate} must leave nothing that long, whatever the script: {@code max_length} counts
   * characters, which take up to 4 bytes.
   */
  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void theTempoExampleLeavesNoValueOverTemposByteLimit() throws Exception {
    CollectorConfig config =
        ConfigLoader.builder()
            .components(Components.load())
            .env(ENV)
            .build()
            .load(List.of(Path.of("..", "examples", "tempo.yaml").toString()), List.of());
    ConfiguredComponent truncate =
        config.component(ComponentKind.PROCESSOR, "truncate").orElseThrow();
    RecordingConsumer next = new RecordingConsumer();
    Processor processor =
        ((ProcessorFactory) truncate.factory())
            .create(
                truncate.config(),
                ComponentContext.builder(ComponentKind.PROCESSOR, truncate.id()).build(),
                next);
    String japanese = "東京の天気を教えてください。".repeat(200);
    String emoji = "😀".repeat(3000);
    String messages =
        "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\""
            + japanese
            + "\"}]}]";
    processor
        .consume(
            Spans.batch(
                Spans.span(
                    "chat gpt-4o",
                    Map.of("gen_ai.input.messages", messages, "input.value", emoji))))
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);

    AttributeView attrs = next.spans().get(0).attributes();
    for (String key : List.of("gen_ai.input.messages", "input.value")) {
      String value = attrs.getString(key);
      assertThat(value).as(key).contains("truncated");
      assertThat(value.getBytes(StandardCharsets.UTF_8).length).as(key).isLessThanOrEqualTo(2048);
    }
  }
}
