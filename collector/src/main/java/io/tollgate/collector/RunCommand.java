package io.tollgate.collector;

import io.tollgate.config.CollectorConfig;
import io.tollgate.config.ConfigException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate run}: runs the collector until SIGTERM or SIGINT. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Runs the collector until SIGTERM or SIGINT, then drains within"
          + " service.shutdown_timeout (default 10s).",
      "This is the default when no subcommand is given."
    })
final class RunCommand implements Callable<Integer> {

  @ParentCommand TollgateCommand parent;

  @Mixin ConfigOptions options = new ConfigOptions();

  @Override
  public Integer call() throws Exception {
    return run(parent, options, parent.spec.commandLine().getErr());
  }

  /**
   * Loads the configuration from {@code root}'s and {@code options}, starts the collector and
   * waits until it has shut down.
   */
  static int run(TollgateCommand root, ConfigOptions options, PrintWriter err)
      throws InterruptedException {
    CollectorConfig config;
    try {
      config = root.load(options, err);
    } catch (ConfigException e) {
      return TollgateCommand.invalid(e, err);
    }
    Collector collector;
    try {
      collector = Collector.create(config);
    } catch (ConfigException e) {
      return TollgateCommand.invalid(e, err);
    } catch (Exception e) {
      return couldNotStart(e, err);
    }
    // In place before anything listens: SIGTERM during start waits for it, then drains.
    Thread hook = new Thread(collector::shutdown, "tollgate-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      collector.begin();
    } catch (Exception e) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting
      }
      return couldNotStart(e, err);
    }
    collector.awaitShutdown();
    return ExitCodes.OK;
  }

  private static int couldNotStart(Exception e, PrintWriter err) {
    err.println("tollgate could not start: " + e.getMessage());
    err.flush();
    return ExitCodes.FAILED;
  }
}
