package io.tollgate.collector;

import io.tollgate.config.ConfigException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate validate}: checks a configuration without running anything. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Validates the configuration without running the collector: YAML, environment"
          + " references, every component's settings, and the pipelines.",
      "Prints \"configuration is valid\" and exits 0, or prints every problem and exits 1."
    })
final class ValidateCommand implements Callable<Integer> {

  @ParentCommand TollgateCommand parent;

  @Mixin ConfigOptions options = new ConfigOptions();

  @Override
  public Integer call() {
    PrintWriter out = parent.spec.commandLine().getOut();
    PrintWriter err = parent.spec.commandLine().getErr();
    try {
      parent.load(options, err);
    } catch (ConfigException e) {
      return TollgateCommand.invalid(e, err);
    }
    out.println("configuration is valid");
    out.flush();
    return ExitCodes.OK;
  }
}
