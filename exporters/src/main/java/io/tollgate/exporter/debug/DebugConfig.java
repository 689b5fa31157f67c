package io.tollgate.exporter.debug;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tollgate.core.component.ComponentConfig;
import java.util.Locale;
import java.util.Objects;

/**
 * Config of {@code debug}.
 *
 * @param verbosity {@code basic}: one line per span; {@code detailed}: also every attribute and
 *     event, on the lines below
 */
public record DebugConfig(Verbosity verbosity) implements ComponentConfig {

  /** How much of each span is printed. */
  public enum Verbosity {
    BASIC,
    DETAILED;

    @JsonValue
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Also accepts the collector's {@code normal} (one line per span, like our basic). */
    @JsonCreator
    public static Verbosity fromConfig(String value) {
      String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
      switch (v) {
        case "basic":
        case "normal":
          return BASIC;
        case "detailed":
          return DETAILED;
        default:
          throw new IllegalArgumentException(
              "unknown verbosity \"" + value + "\"; use basic or detailed");
      }
    }

    @Override
    public String toString() {
      return configName();
    }
  }

  public DebugConfig {
    Objects.requireNonNull(verbosity, "verbosity");
  }

  public static DebugConfig defaults() {
    return new DebugConfig(Verbosity.BASIC);
  }
}
