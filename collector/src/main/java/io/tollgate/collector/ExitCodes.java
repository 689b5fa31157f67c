package io.tollgate.collector;

/** The exit codes of the {@code tollgate} command. */
final class ExitCodes {

  private ExitCodes() {}

  /** Done, or the configuration is valid. */
  static final int OK = 0;

  /** The configuration is not valid; every problem was printed. */
  static final int INVALID_CONFIG = 1;

  /** The command line is wrong (unknown option or subcommand). */
  static final int USAGE = 2;

  /** The collector could not start (e.g. a port in use) or failed unexpectedly. */
  static final int FAILED = 3;
}
