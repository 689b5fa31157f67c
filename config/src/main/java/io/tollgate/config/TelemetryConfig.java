package io.tollgate.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import java.util.Locale;

/** {@code service.telemetry}: the collector's own metrics and logs. */
public record TelemetryConfig(Metrics metrics, Logs logs) implements ComponentConfig {

  public static final String DEFAULT_METRICS_ADDRESS = "localhost:8888";

  public TelemetryConfig {
    metrics = metrics == null ? Metrics.defaults() : metrics;
    logs = logs == null ? Logs.defaults() : logs;
  }

  public static TelemetryConfig defaults() {
    return new TelemetryConfig(Metrics.defaults(), Logs.defaults());
  }

  @Override
  public void validate(ConfigIssues issues) {
    metrics.validate(issues.at("metrics"));
  }

  /**
   * @param address where {@code /metrics} is served (Prometheus text format), {@code host:port}
   * @param level {@code none} turns self-metrics and their endpoint off
   */
  public record Metrics(String address, Level level) implements ComponentConfig {
    public Metrics {
      address = address == null ? DEFAULT_METRICS_ADDRESS : address;
      level = level == null ? Level.NORMAL : level;
    }

    public static Metrics defaults() {
      return new Metrics(DEFAULT_METRICS_ADDRESS, Level.NORMAL);
    }

    @Override
    public void validate(ConfigIssues issues) {
      if (level == Level.NONE) {
        return;
      }
      int colon = address.lastIndexOf(':');
      String port = colon < 0 ? "" : address.substring(colon + 1);
      boolean ok = port.matches("\\d{1,5}") && Integer.parseInt(port) <= 65535;
      issues.require(
          ok,
          "address",
          "\"" + address + "\" is not host:port; write e.g. localhost:8888 or 0.0.0.0:8888");
    }
  }

  /** The collector's metric levels. */
  public enum Level {
    NONE,
    BASIC,
    NORMAL,
    DETAILED;

    @JsonValue
    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Level of(String value) {
      return valueOf(value.toUpperCase(Locale.ROOT));
    }
  }

  /** @param level the root log level */
  public record Logs(LogLevel level) implements ComponentConfig {
    public Logs {
      level = level == null ? LogLevel.INFO : level;
    }

    public static Logs defaults() {
      return new Logs(LogLevel.INFO);
    }
  }

  /** Log levels, as the collector spells them. */
  public enum LogLevel {
    DEBUG,
    INFO,
    WARN,
    ERROR;

    @JsonValue
    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static LogLevel of(String value) {
      return valueOf(value.toUpperCase(Locale.ROOT));
    }
  }
}
