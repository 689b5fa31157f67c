package io.tollgate.core.telemetry;

/**
 * A count and its noun for log lines and error messages: {@code "1 span"}, {@code "3 spans"},
 * {@code "0 spans"}. English only, as every message of the collector is; not a library, just enough
 * that a user does not read "1 spans" in a warning.
 */
public final class Counts {

  private Counts() {}

  /** {@code n} and {@code singular}, with an {@code s} unless {@code n} is 1. */
  public static String of(long n, String singular) {
    return n == 1 ? "1 " + singular : n + " " + singular + "s";
  }

  /** {@code n} and {@code singular} or {@code plural}, for nouns without a plain {@code s}. */
  public static String of(long n, String singular, String plural) {
    return n == 1 ? "1 " + singular : n + " " + plural;
  }
}
