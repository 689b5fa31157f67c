package io.tollgate.collector;

import io.tollgate.config.CollectorConfig;
import io.tollgate.config.Components;
import io.tollgate.config.ConfigException;
import io.tollgate.config.ConfigLoader;
import io.tollgate.core.component.ConfigIssues.Issue;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tollgate}: the root command; runs the collector when no subcommand is given. */
@Command(
    name = "tollgate",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "An OpenTelemetry-Collector-style gateway for the traces of LLM applications.",
      "Without a subcommand, runs the collector (as `tollgate run`)."
    },
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      ComponentsCommand.class,
      PrintConfigCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success; for validate, the configuration is valid",
      "1:the configuration is not valid (every problem is printed)",
      "2:wrong command line (unknown option or subcommand)",
      "3:the collector could not start (e.g. a port in use) or failed unexpectedly"
    })
public final class TollgateCommand implements Callable<Integer> {

  /** The embedded configuration used when no {@code --config} is given. */
  static final String DEFAULT_CONFIG = "classpath:tollgate-default.yaml";

  @Mixin ConfigOptions options = new ConfigOptions();

  @Spec CommandSpec spec;

  private final Function<String, String> env;
  private final Supplier<Components> components;

  TollgateCommand(Function<String, String> env, Supplier<Components> components) {
    this.env = Objects.requireNonNull(env, "env");
    this.components = Objects.requireNonNull(components, "components");
  }

  /**
   * The command line, ready to {@code execute(args)}.
   *
   * @param env where {@code ${env:…}} and {@code --config env:…} look names up
   * @param components the component factories (normally {@link Components#load()})
   */
  public static CommandLine commandLine(
      Function<String, String> env, Supplier<Components> components) {
    CommandLine cl = new CommandLine(new TollgateCommand(env, components));
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> failed(e, commandLine.getErr()));
    return cl;
  }

  @Override
  public Integer call() throws Exception {
    return RunCommand.run(this, new ConfigOptions(), spec.commandLine().getErr());
  }

  /** What a command that threw prints, and its exit code. */
  static int failed(Exception e, PrintWriter err) {
    err.println("tollgate: " + e.getMessage());
    err.flush();
    return ExitCodes.FAILED;
  }

  /** Standard error as picocli writes to it: {@code sun.stderr.encoding}, else the default. */
  static PrintWriter stderr() {
    String name = System.getProperty("sun.stderr.encoding");
    Charset charset = Charset.defaultCharset();
    if (name != null) {
      try {
        charset = Charset.forName("cp65001".equalsIgnoreCase(name) ? "UTF-8" : name);
      } catch (RuntimeException unknown) {
        // picocli falls back to the default too
      }
    }
    return new PrintWriter(
        new BufferedWriter(new OutputStreamWriter(System.err, charset)), true);
  }

  Components components() {
    return components.get();
  }

  /**
   * Loads the configuration from the root's and the subcommand's options, printing warnings.
   *
   * @throws ConfigException after printing nothing: the caller prints the report
   */
  CollectorConfig load(ConfigOptions own, PrintWriter err) throws ConfigException {
    List<String> configs = new ArrayList<>(options.configs);
    configs.addAll(own.configs);
    if (configs.isEmpty()) {
      err.println(
          "No --config given: using the embedded default configuration"
              + " (see it with `tollgate print-config`).");
      configs.add(DEFAULT_CONFIG);
    }
    if (!options.featureGates.isEmpty() || !own.featureGates.isEmpty()) {
      err.println("warning: --feature-gates is ignored: Tollgate has no feature gates");
    }
    List<String> sets = new ArrayList<>(options.sets);
    sets.addAll(own.sets);
    ConfigLoader loader = ConfigLoader.builder().components(components()).env(env).build();
    try {
      CollectorConfig config = loader.load(configs, sets);
      printWarnings(config.warnings(), err);
      return config;
    } catch (ConfigException e) {
      printWarnings(e.warnings(), err);
      throw e;
    }
  }

  static void printWarnings(List<Issue> warnings, PrintWriter err) {
    for (Issue w : warnings) {
      err.println("warning: " + w);
    }
    err.flush();
  }

  /** Prints a configuration report to stderr and gives the exit code for it. */
  static int invalid(ConfigException e, PrintWriter err) {
    err.println(e.getMessage());
    err.flush();
    return ExitCodes.INVALID_CONFIG;
  }
}
