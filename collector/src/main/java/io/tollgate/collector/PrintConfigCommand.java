package io.tollgate.collector;

import io.tollgate.config.CollectorConfig;
import io.tollgate.config.ConfigException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate print-config}: the effective configuration, secrets masked. */
@Command(
    name = "print-config",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Prints the effective configuration as YAML: files merged, --set applied, environment"
          + " references expanded and every default filled in.",
      "Secrets are masked as [REDACTED]."
    })
final class PrintConfigCommand implements Callable<Integer> {

  @ParentCommand TollgateCommand parent;

  @Mixin ConfigOptions options = new ConfigOptions();

  @Override
  public Integer call() {
    PrintWriter out = parent.spec.commandLine().getOut();
    PrintWriter err = parent.spec.commandLine().getErr();
    CollectorConfig config;
    try {
      config = parent.load(options, err);
    } catch (ConfigException e) {
      return TollgateCommand.invalid(e, err);
    }
    out.print(config.toYaml());
    out.flush();
    return ExitCodes.OK;
  }
}
