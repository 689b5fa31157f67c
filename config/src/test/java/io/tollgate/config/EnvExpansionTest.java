package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tollgate.config.testing.MemoryExporterFactory;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.ConfigIssues.Issue;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvExpansionTest {

  private final TestComponents test = new TestComponents();

  private static String config(String exporterSettings) {
    return String.join(
        "\n",
        "receivers: {otlp: {}}",
        "exporters:",
        "  otlp/tempo:",
        exporterSettings,
        "service:",
        "  pipelines:",
        "    traces: {receivers: [otlp], exporters: [otlp/tempo]}",
        "");
  }

  private static MemoryExporterFactory.Config tempo(CollectorConfig c) {
    return (MemoryExporterFactory.Config)
        c.component(ComponentKind.EXPORTER, "otlp/tempo").orElseThrow().config();
  }

  @Test
  void expandsVariablesDefaultsAndDollarEscapes() throws Exception {
    CollectorConfig c =
        test.loader(Map.of("TEMPO_HOST", "tempo.observability", "API_KEY", "0123", "EMPTY", ""))
            .loadYaml(
                config(
                    String.join(
                        "\n",
                        "    endpoint: ${env:TEMPO_HOST}:${env:TEMPO_PORT:-4317}",
                        "    api_key: ${env:API_KEY}",
                        "    timeout: ${env:TIMEOUT:-2s}",
                        "    headers:",
                        "      x-price: $$5 and $${env:NOT_EXPANDED}",
                        "      x-empty: '${env:EMPTY:-unused}'",
                        "      x-short: ${TEMPO_HOST}",
                        "    tags: ['${env:TEMPO_HOST}', plain]")));
    MemoryExporterFactory.Config tempo = tempo(c);
    assertThat(tempo.endpoint()).isEqualTo("tempo.observability:4317");
    // A secret keeps its exact spelling: "0123" is not read as the number 123.
    assertThat(tempo.apiKey().reveal()).isEqualTo("0123");
    assertThat(tempo.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(tempo.headers())
        .containsEntry("x-price", "$5 and ${env:NOT_EXPANDED}")
        // As in the collector, the default is for an unset variable; a set but empty one stays.
        .containsEntry("x-empty", "")
        .containsEntry("x-short", "tempo.observability");
    assertThat(tempo.tags()).containsExactly("tempo.observability", "plain");
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void anUnsetVariableExpandsToEmptyWithAWarning() throws Exception {
    CollectorConfig c =
        test.loader()
            .loadYaml(
                config("    endpoint: tempo:4317\n    headers: {authorization: '${env:TOKEN}'}"));
    assertThat(tempo(c).headers()).containsEntry("authorization", "");
    assertThat(c.warnings().stream().map(Issue::toString))
        .containsExactly(
            "exporters.otlp/tempo.headers.authorization: environment variable TOKEN is not set;"
                + " using \"\" (set it, or give a default: ${env:TOKEN:-value})");
  }

  @Test
  void invalidReferencesAreErrorsWithTheirPath() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                test.loader()
                    .loadYaml(
                        config(
                            String.join(
                                "\n",
                                "    endpoint: ${env:TEMPO-HOST}",
                                "    timeout: ${file:/etc/timeout}",
                                "    tags: ['${env:A', '${env:1X:-x}']"))));
    assertThat(e.problems().stream().map(Issue::toString))
        .containsExactly(
            "exporters.otlp/tempo.endpoint: ${env:TEMPO-HOST}: \"TEMPO-HOST\" is not a valid"
                + " environment variable name (letters, digits and '_', not starting with a"
                + " digit)",
            "exporters.otlp/tempo.timeout: ${file:/etc/timeout}: the \"file\" scheme is not"
                + " supported; only ${env:NAME}, ${env:NAME:-default} and ${env:NAME:?message} are",
            "exporters.otlp/tempo.tags[0]: \"${\" is not closed; write ${env:NAME} for a"
                + " variable, or $$ for a literal $",
            "exporters.otlp/tempo.tags[1]: ${env:1X:-x}: \"1X\" is not a valid environment"
                + " variable name (letters, digits and '_', not starting with a digit)");
  }

  @Test
  void aRequiredVariableThatIsUnsetOrEmptyIsAnErrorWithItsMessage() {
    String settings =
        String.join(
            "\n",
            "    endpoint: ${env:TEMPO_HOST:?the Tempo host, e.g. tempo.observability}",
            "    headers:",
            "      authorization: 'Bearer ${env:TOKEN:?set TOKEN to the API token}'",
            "      x-tenant: '${TENANT:?}'");
    ConfigException unset =
        catchThrowableOfType(ConfigException.class, () -> test.loader().loadYaml(config(settings)));
    assertThat(unset.problems().stream().map(Issue::toString))
        .containsExactly(
            "exporters.otlp/tempo.endpoint: environment variable TEMPO_HOST is not set: the Tempo"
                + " host, e.g. tempo.observability",
            "exporters.otlp/tempo.headers.authorization: environment variable TOKEN is not set:"
                + " set TOKEN to the API token",
            "exporters.otlp/tempo.headers.x-tenant: environment variable TENANT is not set; set"
                + " it");

    // Empty is missing too: "Bearer " with no token is what this form exists to prevent.
    ConfigException empty =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                test.loader(Map.of("TEMPO_HOST", "tempo", "TOKEN", "", "TENANT", "acme"))
                    .loadYaml(config(settings)));
    assertThat(empty.problems().stream().map(Issue::toString))
        .containsExactly(
            "exporters.otlp/tempo.headers.authorization: environment variable TOKEN is empty: set"
                + " TOKEN to the API token");
  }

  @Test
  void aRequiredVariableThatIsSetIsItsValue() throws Exception {
    CollectorConfig c =
        test.loader(Map.of("TOKEN", "s3cr3t"))
            .loadYaml(
                config(
                    "    endpoint: ${env:HOST:-tempo}:4317\n"
                        + "    headers: {authorization: 'Bearer ${env:TOKEN:?set TOKEN}'}"));
    assertThat(tempo(c).endpoint()).isEqualTo("tempo:4317");
    assertThat(tempo(c).headers()).containsEntry("authorization", "Bearer s3cr3t");
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void expandedTextBindsToNumbersAndBooleans() throws Exception {
    CollectorConfig c =
        test.loader(Map.of("QUEUE", "5000", "RETRY", "false"))
            .loadYaml(
                config(
                    String.join(
                        "\n",
                        "    endpoint: x",
                        "    sending_queue: {queue_size: '${env:QUEUE}'}",
                        "    retry_on_failure: {enabled: '${env:RETRY}'}")));
    assertThat(tempo(c).sendingQueue().queueSize()).isEqualTo(5000);
    assertThat(tempo(c).retryOnFailure().enabled()).isFalse();
  }

  @Test
  void numbersWhereTextIsExpectedBecomeText() throws Exception {
    CollectorConfig c =
        test.loader()
            .loadYaml(
                config(
                    String.join(
                        "\n",
                        "    endpoint: 4317",
                        "    api_key: 12345",
                        "    headers: {x-retries: 3, x-debug: true}",
                        "    tags: [1, 2.5]")));
    MemoryExporterFactory.Config tempo = tempo(c);
    assertThat(tempo.endpoint()).isEqualTo("4317");
    assertThat(tempo.apiKey().reveal()).isEqualTo("12345");
    assertThat(tempo.headers()).containsEntry("x-retries", "3").containsEntry("x-debug", "true");
    assertThat(tempo.tags()).containsExactly("1", "2.5");
  }
}
