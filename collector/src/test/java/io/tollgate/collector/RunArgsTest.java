package io.tollgate.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.collector.testing.TestComponents;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class RunArgsTest {

  @TempDir Path dir;

  private final TestComponents test = new TestComponents();

  /** Lines a sidecar or a user starts the collector with: read without picocli. */
  private static final List<List<String>> PLAIN =
      List.of(
          List.of(),
          List.of("run"),
          List.of("--config", "a.yaml"),
          List.of("--config=a.yaml"),
          List.of("run", "--config", "/etc/tollgate/config.yaml"),
          List.of("--config", "a.yaml", "run", "--config", "b.yaml", "--set", "x.y=1"),
          List.of("--set=service.telemetry.metrics={address: '0.0.0.0:8888', level: normal}"),
          List.of("--set", "receivers.otlp.protocols.grpc.endpoint=0.0.0.0:4317"),
          List.of("--config", "env:TOLLGATE_CONFIG", "--config", "yaml:exporters::debug: {}"),
          List.of("--feature-gates=-some.gate", "run", "--feature-gates", "x"),
          List.of("run", "--config", "run.yaml", "--set", "a=b=c"));

  /** Everything else is picocli's. */
  private static final List<List<String>> NOT_PLAIN =
      List.of(
          List.of("--help"),
          List.of("-h"),
          List.of("--version"),
          List.of("run", "--help"),
          List.of("validate", "--config", "a.yaml"),
          List.of("print-config"),
          List.of("components"),
          List.of("help", "run"),
          List.of("--config"),
          List.of("--config="),
          List.of("run", "--config"),
          List.of("--config", ""),
          List.of("--config", "--set", "x=1"),
          List.of("--config", "run"),
          List.of("--config", "validate"),
          List.of("@args.txt"),
          List.of("--config", "@args.txt"),
          List.of("--conifg", "a.yaml"),
          List.of("--", "a.yaml"),
          List.of("run", "run"),
          List.of("a.yaml"),
          List.of("run", "--config", "a.yaml", "extra"));

  private CommandLine picocli() {
    return TollgateCommand.commandLine(Map.<String, String>of()::get, test::components);
  }

  @Test
  void readsPlainLinesAsPicocliDoes() {
    for (List<String> args : PLAIN) {
      Optional<RunArgs> plain = RunArgs.parse(args.toArray(String[]::new));
      assertThat(plain).as("%s", args).isPresent();

      CommandLine cl = picocli();
      ParseResult result = cl.parseArgs(args.toArray(String[]::new));
      TollgateCommand root = cl.getCommand();
      assertSame(args, "root", plain.get().root, root.options);
      if (result.hasSubcommand()) {
        assertThat(result.subcommand().commandSpec().name()).isEqualTo("run");
        RunCommand run = (RunCommand) result.subcommand().commandSpec().userObject();
        assertSame(args, "run", plain.get().run, run.options);
      } else {
        assertThat(args).doesNotContain("run");
        assertSame(args, "run", plain.get().run, new ConfigOptions());
      }
    }
  }

  private static void assertSame(
      List<String> args, String which, ConfigOptions plain, ConfigOptions picocli) {
    assertThat(plain.configs).as("%s %s --config", args, which).isEqualTo(picocli.configs);
    assertThat(plain.sets).as("%s %s --set", args, which).isEqualTo(picocli.sets);
    assertThat(plain.featureGates)
        .as("%s %s --feature-gates", args, which)
        .isEqualTo(picocli.featureGates);
  }

  @Test
  void leavesEverythingElseToPicocli() {
    for (List<String> args : NOT_PLAIN) {
      assertThat(RunArgs.parse(args.toArray(String[]::new))).as("%s", args).isEmpty();
    }
  }

  @Test
  void knowsEverySubcommandName() {
    assertThat(RunArgs.SUBCOMMANDS).isEqualTo(picocli().getSubcommands().keySet());
  }

  @Test
  void picocliSettingsInSystemPropertiesGoToPicocli() {
    System.setProperty("picocli.trimQuotes", "true");
    try {
      assertThat(RunArgs.parse("--config", "\"a.yaml\"")).isEmpty();
    } finally {
      System.clearProperty("picocli.trimQuotes");
    }
  }

  @Test
  void failsAsPicocliDoes() throws Exception {
    Path invalid = Files.writeString(dir.resolve("invalid.yaml"), "receivers: {otlp: {x: 1}}\n");
    Path missing = dir.resolve("missing.yaml");
    for (String[] args :
        List.of(
            new String[] {"--config", invalid.toString()},
            new String[] {"run", "--config", missing.toString(), "--feature-gates", "g"})) {
      StringWriter viaPicocli = new StringWriter();
      CommandLine cl = picocli();
      cl.setErr(new PrintWriter(viaPicocli, true));
      int picocliCode = cl.execute(args);

      StringWriter plain = new StringWriter();
      int plainCode =
          RunArgs.parse(args)
              .orElseThrow()
              .execute(
                  Map.<String, String>of()::get, test::components, new PrintWriter(plain, true));

      assertThat(picocliCode).isEqualTo(ExitCodes.INVALID_CONFIG);
      assertThat(plainCode).isEqualTo(picocliCode);
      assertThat(plain.toString()).isNotEmpty().isEqualTo(viaPicocli.toString());
    }
  }
}
