package io.tollgate.collector;

import io.tollgate.config.Components;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The command lines that only start the collector ({@code tollgate}, {@code tollgate [run]} with
 * {@code --config}, {@code --set} and {@code --feature-gates}), read without picocli.
 *
 * <p>Why: before it parses anything, picocli builds the model of every command by reflection, and
 * its classes (compiled for Java 5) are verified the slow way and cannot go into a CDS archive.
 * That was about 0.2 s of CPU on every start of a sidecar, for a command line that names files.
 *
 * <p>Anything else goes to picocli, so help, version, the other subcommands and every error
 * message stay picocli's: another option, a positional word, a value that is empty, starts with
 * {@code -} or names a subcommand, an {@code @argument-file}, or a {@code picocli.*} system
 * property. {@code RunArgsTest} checks that picocli reads every accepted line the same way.
 */
final class RunArgs {

  /** Words picocli would read as subcommands; a value like that goes to picocli. */
  static final Set<String> SUBCOMMANDS =
      Set.of("run", "validate", "components", "print-config", "help");

  final ConfigOptions root = new ConfigOptions();
  final ConfigOptions run = new ConfigOptions();

  private RunArgs() {}

  /** The options of a plain start, or empty when picocli must read this command line. */
  static Optional<RunArgs> parse(String... args) {
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("picocli.")) {
        return Optional.empty();
      }
    }
    RunArgs parsed = new RunArgs();
    ConfigOptions target = parsed.root;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("run") && target == parsed.root) {
        target = parsed.run;
        continue;
      }
      String name;
      String value;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
        if (value.isEmpty()) {
          return Optional.empty();
        }
      } else {
        if (i + 1 == args.length) {
          return Optional.empty();
        }
        name = arg;
        value = args[++i];
        if (value.isEmpty()
            || value.startsWith("-")
            || value.startsWith("@")
            || SUBCOMMANDS.contains(value)) {
          return Optional.empty();
        }
      }
      List<String> values = valuesOf(target, name);
      if (values == null) {
        return Optional.empty();
      }
      values.add(value);
    }
    return Optional.of(parsed);
  }

  private static List<String> valuesOf(ConfigOptions options, String name) {
    switch (name) {
      case "--config":
        return options.configs;
      case "--set":
        return options.sets;
      case "--feature-gates":
        return options.featureGates;
      default:
        return null;
    }
  }

  /** Runs the collector as {@code tollgate run} does, until it has shut down. */
  int execute(Function<String, String> env, Supplier<Components> components, PrintWriter err) {
    TollgateCommand command = new TollgateCommand(env, components);
    command.options = root;
    try {
      return RunCommand.run(command, run, err);
    } catch (Exception e) {
      return TollgateCommand.failed(e, err);
    }
  }
}
