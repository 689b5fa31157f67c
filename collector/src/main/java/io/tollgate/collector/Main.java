package io.tollgate.collector;

import io.tollgate.config.Components;
import io.tollgate.config.internal.EnvExpander;

/** The entry point of {@code tollgate.jar}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    int code = TollgateCommand.commandLine(EnvExpander.systemEnv(), Components::load).execute(args);
    System.exit(code);
  }
}
