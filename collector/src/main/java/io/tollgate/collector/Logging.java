package io.tollgate.collector;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.tollgate.config.TelemetryConfig;
import org.slf4j.LoggerFactory;

/** Applies {@code service.telemetry.logs.level} to the logging backend. */
final class Logging {

  private Logging() {}

  static void apply(TelemetryConfig.Logs logs) {
    org.slf4j.Logger root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root instanceof Logger) {
      ((Logger) root).setLevel(Level.toLevel(logs.level().value(), Level.INFO));
    }
  }
}
