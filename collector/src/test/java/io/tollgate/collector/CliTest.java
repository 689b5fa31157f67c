package io.tollgate.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.collector.testing.TestComponents;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final TestComponents test = new TestComponents();

  private int run(Map<String, String> env, String... args) {
    return run(test.components(), env, args);
  }

  private int run(io.tollgate.config.Components components, Map<String, String> env, String... args) {
    CommandLine cl = TollgateCommand.commandLine(env::get, () -> components);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  private String file(String... lines) throws Exception {
    Path p = Files.createTempFile(dir, "config", ".yaml");
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p.toString();
  }

  private static final String[] VALID = {
    "receivers: {otlp: {}}",
    "exporters:",
    "  debug:",
    "    api_key: ${env:DEBUG_KEY:-sk-default-1}",
    "service:",
    "  pipelines:",
    "    traces: {receivers: [otlp], exporters: [debug]}"
  };

  @Test
  void validateSaysValidAndExitsZero() throws Exception {
    assertThat(run("validate", "--config", file(VALID))).isZero();
    assertThat(out.toString()).isEqualTo("configuration is valid\n");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void validateListsEveryProblemAndExitsOne() throws Exception {
    String config =
        file(
            "receivers: {otlp: {protocols: {grcp: {}}}}",
            "exporters: {debug: {verbosity: [detailed]}, unused/x: {}}",
            "service:",
            "  pipelines:",
            "    traces: {receivers: [otlp], exporters: [debug, otlp]}");
    assertThat(run("validate", "--config", config)).isEqualTo(1);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString())
        .isEqualTo(
            String.join(
                "\n",
                "The configuration is not valid (4 problems):",
                "  receivers.otlp.protocols.grcp: unknown key; did you mean `grpc`?",
                "  exporters.debug.verbosity: expected a string, got [\"detailed\"]",
                "  exporters.unused/x: unknown exporter type `unused`; known exporter types:"
                    + " `debug`, `logging` (see `tollgate components`)",
                "  service.pipelines.traces.exporters: `otlp` is defined under receivers, not"
                    + " exporters; list it under receivers",
                "Each line starts with the path of the key in the YAML (sections and keys joined"
                    + " by '.'). Fix them all, then check with `tollgate validate --config"
                    + " <file>`.",
                ""));
  }

  @Test
  void optionsWorkBeforeAndAfterTheSubcommandAndMerge() throws Exception {
    String base = file(VALID);
    String extra = file("exporters: {debug: {verbosity: detailed}}");
    assertThat(
            run(
                "--config", base, "--feature-gates=-some.gate", "print-config", "--config",
                extra, "--set", "service.telemetry.logs.level=debug"))
        .isZero();
    assertThat(err.toString())
        .isEqualTo("warning: --feature-gates is ignored: Tollgate has no feature gates\n");
    assertThat(out.toString())
        .contains("verbosity: detailed")
        .contains("level: debug")
        .contains("api_key: \"[REDACTED]\"")
        .doesNotContain("sk-default-1");
  }

  @Test
  void printConfigMasksSecretsFromTheEnvironment() throws Exception {
    assertThat(run(Map.of("DEBUG_KEY", "sk-live-999"), "print-config", "--config", file(VALID)))
        .isZero();
    assertThat(out.toString()).contains("api_key: \"[REDACTED]\"").doesNotContain("sk-live-999");
  }

  @Test
  void theEmbeddedDefaultConfigIsValid() {
    // With the real components, as a user runs it: the default config names every GenAI processor.
    io.tollgate.config.Components real = io.tollgate.config.Components.load();
    assertThat(run(real, Map.of(), "validate")).isZero();
    assertThat(out.toString()).isEqualTo("configuration is valid\n");
    assertThat(err.toString()).startsWith("No --config given: using the embedded default");
    out.getBuffer().setLength(0);
    assertThat(run(real, Map.of(), "print-config")).isZero();
    assertThat(out.toString())
        .contains("health_check:")
        .contains("endpoint: localhost:13133")
        .contains("endpoint: localhost:4317")
        .contains("address: localhost:8888");
  }

  @Test
  void wrongCommandLinesExitTwo() {
    assertThat(run("vaildate")).isEqualTo(2);
    assertThat(err.toString()).contains("validate");
    assertThat(run("validate", "--conifg", "x.yaml")).isEqualTo(2);
  }

  @Test
  void aMissingFileIsAConfigError() {
    assertThat(run("validate", "--config", dir.resolve("nope.yaml").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("nope.yaml: no such file");
  }

  @Test
  void versionAndComponents() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("tollgate ").contains("Java ");
    out.getBuffer().setLength(0);
    assertThat(run("components")).isZero();
    assertThat(out.toString())
        .contains("command: tollgate")
        .contains(
            String.join(
                "\n",
                "exporters:",
                "  - name: debug",
                "    stability: development",
                "    aliases:",
                "      - logging",
                "    description: test exporter",
                "extensions:",
                "  - name: health_check",
                "    stability: beta",
                "    description: \"HTTP health endpoint: 200 when every pipeline runs, 503 while"
                    + " starting or stopping\""));
  }

  @Test
  void helpListsExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("Exit codes:")
        .contains("1   the configuration is not valid")
        .contains("validate")
        .contains("print-config");
  }

  @Test
  void runExitsThreeWhenAPortIsTaken() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      String config =
          file(
              "receivers: {otlp: {}}",
              "exporters: {debug: {}}",
              "extensions: {health_check: {endpoint: '" + address + "'}}",
              "service:",
              "  extensions: [health_check]",
              "  pipelines:",
              "    traces: {receivers: [otlp], exporters: [debug]}",
              "  telemetry: {metrics: {level: none}}");
      assertThat(run("run", "--config", config)).isEqualTo(3);
      assertThat(err.toString())
          .contains("tollgate could not start: health-check cannot listen on " + address);

      err.getBuffer().setLength(0);
      assertThat(run("--config", config, "--set", "service.telemetry.metrics={address: '"
              + address + "', level: normal}"))
          .isEqualTo(3);
      assertThat(err.toString())
          .contains("tollgate could not start: metrics cannot listen on " + address);
    }
  }
}
