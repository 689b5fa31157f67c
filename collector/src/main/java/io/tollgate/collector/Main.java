package io.tollgate.collector;

import io.tollgate.config.Components;
import io.tollgate.config.internal.EnvExpander;
import java.util.Optional;
import java.util.function.Function;

/** The entry point of {@code tollgate.jar}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    Function<String, String> env = EnvExpander.systemEnv();
    // A plain start (what a sidecar does on every pod start) skips picocli; see RunArgs.
    Optional<RunArgs> plainRun = RunArgs.parse(args);
    int code =
        plainRun.isPresent()
            ? plainRun.get().execute(env, Components::load, TollgateCommand.stderr())
            : TollgateCommand.commandLine(env, Components::load).execute(args);
    System.exit(code);
  }
}
