package io.tollgate.core.component;

import java.util.Locale;

/** How settled a component is, with the OpenTelemetry Collector's levels. */
public enum Stability {
  DEVELOPMENT,
  ALPHA,
  BETA,
  STABLE,
  DEPRECATED;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
