package io.tollgate.exporter.internal;

/** The {@code User-Agent} our exporters send, so that backends can tell Tollgate traffic apart. */
public final class UserAgent {

  private static final String VALUE = "Tollgate/" + version();

  private UserAgent() {}

  public static String value() {
    return VALUE;
  }

  private static String version() {
    String v = UserAgent.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
