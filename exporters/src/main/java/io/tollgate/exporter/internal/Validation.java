package io.tollgate.exporter.internal;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Durations;
import java.time.Duration;

/** Small checks every exporter config makes. */
public final class Validation {

  private Validation() {}

  /**
   * Fails with every issue when {@code config} is invalid: the config loader validates first, but
   * a factory may also be called from code.
   */
  public static void requireValid(ComponentConfig config, ComponentContext context) {
    ConfigIssues issues = new ConfigIssues();
    config.validate(issues);
    if (!issues.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid config for exporter " + context.id() + ": " + issues.issues());
    }
  }

  public static void positive(Duration d, String key, ConfigIssues issues) {
    if (d == null || d.isNegative() || d.isZero()) {
      issues.add(
          key, "must be positive, e.g. 5s; got " + (d == null ? "nothing" : Durations.format(d)));
    }
  }
}
