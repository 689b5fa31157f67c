package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tollgate.core.component.ConfigIssues.Issue;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigErrorsTest {

  private final TestComponents test = new TestComponents();

  private ConfigException fail(String yaml) {
    return catchThrowableOfType(ConfigException.class, () -> test.loader().loadYaml(yaml));
  }

  private static List<String> lines(ConfigException e) {
    return e.problems().stream().map(Issue::toString).toList();
  }

  @Test
  void reportsEveryMistakeInTheFileWithPathAndSuggestion() {
    String yaml =
        String.join(
            "\n",
            "receivers:",
            "  otlp:",
            "    protocols:",
            "      grcp: {endpoint: 0.0.0.0:4317}",
            "processors:",
            "  batch:",
            "    key: [1, 2]",
            "  tagg: {}",
            "exporters:",
            "  otlp/tempo:",
            "    endpoint: tempo:4317",
            "    timeout: [1,2]",
            "    compression: gzipp",
            "    retry_on_failure:",
            "      max_interval_s: 30",
            "      initial_interval: 5",
            "      multiplier: 0.5",
            "    sending_queue:",
            "      queue_size: lots",
            "      max_bytes: 64 megs",
            "  otlphtp/langfuse: {}",
            "  debug:",
            "    endpoint: ''",
            "service:",
            "  pipelines:",
            "    traces:",
            "      receivers: [otlp]",
            "      processors: [batch, tag]",
            "      exporters: [otlp/tmpo, debug]",
            "    traces/empty:",
            "      processors: [batch]",
            "    metrics:",
            "      receivers: [otlp]",
            "      exporters: [debug]",
            "");
    ConfigException e = fail(yaml);
    assertThat(lines(e))
        .containsExactly(
            "receivers.otlp.protocols.grcp: unknown key; did you mean `grpc`?",
            "processors.batch.key: expected a string, got [1,2]",
            "processors.tagg: unknown processor type `tagg`; did you mean `tag`?",
            "exporters.otlp/tempo.timeout: expected a duration like 5s, got [1,2]",
            "exporters.otlp/tempo.compression: expected one of `gzip`, `zstd`, `none`, got"
                + " \"gzipp\"; did you mean `gzip`?",
            "exporters.otlp/tempo.retry_on_failure.max_interval_s: unknown key; did you mean"
                + " `max_interval`?",
            "exporters.otlp/tempo.retry_on_failure.initial_interval: expected a duration like 5s,"
                + " got 5; add a unit: 5s or 5ms",
            "exporters.otlp/tempo.sending_queue.queue_size: expected a whole number, got"
                + " \"lots\"",
            "exporters.otlp/tempo.sending_queue.max_bytes: expected a size like 64MiB, got"
                + " \"64 megs\"; write bytes (65536) or a unit: KiB, MiB, GiB (or KB, MB, GB)",
            "exporters.otlphtp/langfuse: unknown exporter type `otlphtp`; did you mean"
                + " `otlphttp`?",
            "exporters.debug.endpoint: must be set: the backend's address, e.g. tempo:4317",
            "service.pipelines.traces.processors: `tag` is not defined under processors; did you"
                + " mean `tagg`?",
            "service.pipelines.traces.exporters: `otlp/tmpo` is not defined under exporters; did"
                + " you mean `otlp/tempo`?",
            "service.pipelines.traces/empty.receivers: a pipeline needs at least one receiver;"
                + " add e.g. receivers: [otlp]",
            "service.pipelines.traces/empty.exporters: a pipeline needs at least one exporter;"
                + " add e.g. exporters: [debug]",
            "service.pipelines.metrics: only traces are supported; Tollgate has no metrics"
                + " pipelines, so remove this one (or send metrics to another collector)");
    assertThat(e.getMessage())
        .startsWith("The configuration is not valid (16 problems):\n  receivers.otlp.protocols")
        .endsWith("Fix them all, then check with `tollgate validate --config <file>`.");
  }
}
