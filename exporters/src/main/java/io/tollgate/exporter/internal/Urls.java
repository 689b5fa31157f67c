package io.tollgate.exporter.internal;

/** URL helpers for the OTLP/HTTP presets. */
public final class Urls {

  public static final String TRACES_PATH = "/v1/traces";

  private Urls() {}

  /**
   * {@code base + /v1/traces}, unless {@code base} already ends with it (users paste either the
   * base or the full traces URL from a backend's docs).
   */
  public static String tracesUrl(String base) {
    String b = stripSlashes(base.trim());
    return b.endsWith(TRACES_PATH) ? b : b + TRACES_PATH;
  }

  public static String stripSlashes(String s) {
    String out = s;
    while (out.endsWith("/")) {
      out = out.substring(0, out.length() - 1);
    }
    return out;
  }
}
