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

  @Test
  void sectionsIdsAndKindsAreChecked() {
    ConfigException e =
        fail(
            String.join(
                "\n",
                "recievers: {}",
                "connectors:",
                "  spanmetrics: {}",
                "receivers:",
                "  otlp: {}",
                "  debug: {}",
                "  9bad: {}",
                "exporters:",
                "  debug: {endpoint: x}",
                "extensions:",
                "  noop: {}",
                "service:",
                "  extensions: [noop, zpages]",
                "  pipelines:",
                "    trace:",
                "      receivers: [otlp]",
                "      exporters: [debug]",
                "    traces:",
                "      receivers: [otlp, otlp]",
                "      processors: [debug]",
                "      exporters: [debug]",
                ""));
    assertThat(lines(e))
        .containsExactly(
            "recievers: unknown section; did you mean `receivers`?",
            "receivers.debug: `debug` is an exporter, not a receiver; define it under exporters",
            "receivers.9bad: invalid component type \"9bad\": a type starts with a letter and has"
                + " only letters, digits and '_' (at most 63); an id is type or type/name, e.g."
                + " otlp/tempo",
            "connectors: connectors are not supported yet; remove this section (Tollgate runs"
                + " traces pipelines from receivers to exporters)",
            "service.pipelines.trace: unknown pipeline type `trace`; pipelines are named traces or"
                + " traces/<name>; did you mean `traces`?",
            "service.pipelines.traces.receivers: `otlp` is listed twice; list each receiver once",
            "service.pipelines.traces.processors: `debug` is defined under receivers, not"
                + " processors; list it under receivers",
            "service.extensions: `zpages` is not defined under extensions; define it there or fix"
                + " the name");
  }

  @Test
  void aPipelineNamingAKnownTypeThatIsNotConfiguredSaysWhatToAdd() {
    ConfigException e =
        fail(
            String.join(
                "\n",
                "receivers: {otlp: {}}",
                "exporters: {debug: {endpoint: x}}",
                "service:",
                "  pipelines:",
                "    traces:",
                "      receivers: [otlp]",
                "      processors: [tag/pii, nosuch]",
                "      exporters: [debug, debug/audit]",
                ""));
    assertThat(lines(e))
        .containsExactly(
            "service.pipelines.traces.processors: `tag/pii` is not defined under processors;"
                + " `tag` is a processor type: add `tag/pii: {}` under processors to use its"
                + " defaults",
            "service.pipelines.traces.processors: `nosuch` is not defined under processors;"
                + " define it there or fix the name",
            "service.pipelines.traces.exporters: `debug/audit` is not defined under exporters;"
                + " `debug` is an exporter type: add `debug/audit: {}` under exporters to use"
                + " its defaults");
  }

  @Test
  void telemetryKeysTheCollectorHasGetAHint() {
    ConfigException e =
        fail(
            String.join(
                "\n",
                "receivers: {otlp: {}}",
                "exporters: {debug: {endpoint: x}}",
                "service:",
                "  telemetry:",
                "    metrics:",
                "      readers: []",
                "      level: verbose",
                "    logs:",
                "      encoding: json",
                "      levl: debug",
                "  shutdown_timeout: soon",
                "  pipelines:",
                "    traces: {receivers: [otlp], exporters: [debug]}",
                ""));
    assertThat(lines(e))
        .containsExactly(
            "service.telemetry.metrics.readers: `readers` is not supported: Tollgate serves its"
                + " metrics in Prometheus format at `address` (default localhost:8888); set only"
                + " `address` and `level`",
            "service.telemetry.metrics.level: expected one of `none`, `basic`, `normal`,"
                + " `detailed`, got \"verbose\"",
            "service.telemetry.logs.encoding: `encoding` is not supported: logs go to stderr; set"
                + " only `level`",
            "service.telemetry.logs.levl: unknown key; did you mean `level`?",
            "service.shutdown_timeout: expected a duration like 5s, got \"soon\"; units are ns,"
                + " us, ms, s, m, h (e.g. 200ms, 1m30s)");
  }

  @Test
  void secretValuesNeverAppearInErrors() {
    ConfigException e =
        fail(
            String.join(
                "\n",
                "receivers: {otlp: {}}",
                "exporters:",
                "  debug:",
                "    endpoint: x",
                "    api_key: [sk-live-123]",
                "    headers: {authorization: [Bearer sk-live-456]}",
                "service:",
                "  pipelines:",
                "    traces: {receivers: [otlp], exporters: [debug]}",
                ""));
    assertThat(lines(e))
        .containsExactly(
            "exporters.debug.api_key: expected a string, got a list",
            "exporters.debug.headers.authorization: expected a string, got a list");
    assertThat(e.getMessage()).doesNotContain("sk-live");
  }

  @Test
  void yamlSyntaxErrorsNameTheLine() {
    ConfigException e = fail("receivers:\n  otlp: [1\nexporters: {}\n");
    assertThat(lines(e)).hasSize(1);
    assertThat(lines(e).get(0))
        .startsWith("--config yaml: line 3, column 10: expected ',' or ']', but got :");
    ConfigException dup = fail("receivers:\n  otlp: {}\n  otlp: {}\n");
    assertThat(lines(dup))
        .containsExactly(
            "--config yaml: line 3, column 3: key \"otlp\" is defined twice in this map");
  }

  @Test
  void unusedComponentsAreWarningsNotErrors() throws Exception {
    CollectorConfig config =
        test.loader()
            .loadYaml(
                String.join(
                    "\n",
                    "receivers: {otlp: {}}",
                    "processors: {batch: {}}",
                    "exporters: {debug: {endpoint: x}, otlp: {endpoint: y}}",
                    "extensions: {noop: {}}",
                    "service:",
                    "  pipelines:",
                    "    traces: {receivers: [otlp], exporters: [debug]}",
                    ""));
    assertThat(config.warnings().stream().map(Issue::toString))
        .containsExactly(
            "processors.batch: defined but not used in any pipeline; it will not be started",
            "exporters.otlp: defined but not used in any pipeline; it will not be started",
            "extensions.noop: defined but not listed in service.extensions; it will not be"
                + " started");
  }

  @Test
  void noPipelineIsAnError() {
    ConfigException e = fail("receivers: {otlp: {}}\n");
    assertThat(lines(e))
        .containsExactly(
            "service.pipelines: no pipeline is defined; add one, e.g. traces: {receivers: [otlp],"
                + " exporters: [debug]}");
  }
}
