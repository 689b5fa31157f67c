package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tollgate.config.testing.MemoryExporterFactory;
import io.tollgate.core.component.ByteSize;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.ConfigIssues.Issue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeAndSetTest {

  private final TestComponents test = new TestComponents();

  @TempDir Path dir;

  private String file(String name, String... lines) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p.toString();
  }

  private static MemoryExporterFactory.Config exporter(CollectorConfig c, String id) {
    return (MemoryExporterFactory.Config)
        c.component(ComponentKind.EXPORTER, id).orElseThrow().config();
  }

  private String base() throws Exception {
    return file(
        "base.yaml",
        "receivers: {otlp: {}}",
        "processors: {batch: {}}",
        "exporters:",
        "  otlp/tempo.eu:",
        "    endpoint: tempo:4317",
        "    tags: [a, b]",
        "    headers: {x-team: llm}",
        "    retry_on_failure: {max_interval: 10s}",
        "service:",
        "  pipelines:",
        "    traces:",
        "      receivers: [otlp]",
        "      processors: [batch]",
        "      exporters: [otlp/tempo.eu]");
  }

  @Test
  void laterFilesMergeMapsAndReplaceLists() throws Exception {
    String override =
        file(
            "prod.yaml",
            "exporters:",
            "  otlp/tempo.eu:",
            "    tags: [c]",
            "    headers: {x-env: prod}",
            "    retry_on_failure: {multiplier: 2}",
            "  debug: {endpoint: stdout}",
            "service:",
            "  pipelines:",
            "    traces:",
            "      exporters: [otlp/tempo.eu, debug]");
    CollectorConfig c = test.loader().load(List.of(base(), "file:" + override), List.of());
    MemoryExporterFactory.Config tempo = exporter(c, "otlp/tempo.eu");
    assertThat(tempo.endpoint()).isEqualTo("tempo:4317");
    assertThat(tempo.tags()).containsExactly("c");
    assertThat(tempo.headers()).containsEntry("x-team", "llm").containsEntry("x-env", "prod");
    assertThat(tempo.retryOnFailure().maxInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(tempo.retryOnFailure().multiplier()).isEqualTo(2.0);
    assertThat(tempo.retryOnFailure().initialInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.service().pipelines().get("traces").exporters())
        .containsExactly("otlp/tempo.eu", "debug");
    assertThat(c.service().pipelines().get("traces").receivers()).containsExactly("otlp");
  }

  @Test
  void setFlagsOverrideFilesInOrder() throws Exception {
    CollectorConfig c =
        test.loader()
            .load(
                List.of(base()),
                List.of(
                    // A dotted path finds the existing id with a '.' in its name.
                    "exporters.otlp/tempo.eu.endpoint=tempo-2:4317",
                    // The collector's separator addresses any key exactly.
                    "exporters::otlp/tempo.eu::compression=zstd",
                    "exporters.otlp/tempo.eu.sending_queue.max_bytes=1GiB",
                    "exporters.otlp/tempo.eu.tags=[x, y]",
                    "exporters.otlp/tempo.eu.timeout=2s",
                    "exporters.otlp/tempo.eu.timeout=3s",
                    // An empty value resets the key to the component's default.
                    "exporters.otlp/tempo.eu.retry_on_failure.max_interval=",
                    "service.telemetry.metrics.level=none"));
    MemoryExporterFactory.Config tempo = exporter(c, "otlp/tempo.eu");
    assertThat(tempo.endpoint()).isEqualTo("tempo-2:4317");
    assertThat(tempo.compression()).isEqualTo(MemoryExporterFactory.Compression.ZSTD);
    assertThat(tempo.sendingQueue().maxBytes()).isEqualTo(ByteSize.parse("1GiB"));
    assertThat(tempo.tags()).containsExactly("x", "y");
    assertThat(tempo.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(tempo.retryOnFailure().maxInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.service().telemetry().metrics().level()).isEqualTo(TelemetryConfig.Level.NONE);
  }

  @Test
  void setCanAddAComponentAndPipeline() throws Exception {
    CollectorConfig c =
        test.loader()
            .load(
                List.of(base()),
                List.of(
                    "exporters.debug.endpoint=stdout",
                    "service.pipelines.traces/debug.receivers=[otlp]",
                    "service.pipelines.traces/debug.exporters=[debug]"));
    assertThat(c.service().pipelines()).containsOnlyKeys("traces", "traces/debug");
  }

  @Test
  void badSetFlagsAndMissingFilesAreReported() throws Exception {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                test.loader()
                    .load(
                        List.of(dir.resolve("missing.yaml").toString(), base()),
                        List.of(
                            "exporters.debug",
                            "exporters..x=1",
                            "processors.tail_sampling.policies[4].type=drop")));
    assertThat(e.problems().stream().map(Issue::toString))
        .containsExactly(
            dir.resolve("missing.yaml") + ": no such file",
            "--set exporters.debug: expected key.path=value, e.g. --set"
                + " processors.batch.timeout=2s",
            "--set exporters..x=1: the key has an empty part; write e.g."
                + " exporters.otlp/tempo.endpoint",
            "--set processors.tail_sampling.policies[4].type=drop: --set cannot address a list"
                + " element; set the whole list (e.g. --set"
                + " 'processors.tail_sampling.policies=[{name: all, type: always_sample}]') or"
                + " change it in a config file");
  }

  @Test
  void inlineYamlAndEnvSourcesUseTheCollectorsSyntax() throws Exception {
    CollectorConfig c =
        test.loader(java.util.Map.of("CONFIG", "exporters: {debug: {endpoint: from-env}}"))
            .load(
                List.of(
                    base(),
                    "env:CONFIG",
                    "yaml:exporters::otlp/tempo.eu::endpoint: inline:4317"),
                List.of());
    assertThat(exporter(c, "otlp/tempo.eu").endpoint()).isEqualTo("inline:4317");
    assertThat(exporter(c, "debug").endpoint()).isEqualTo("from-env");
  }
}
