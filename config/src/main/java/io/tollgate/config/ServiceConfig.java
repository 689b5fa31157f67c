package io.tollgate.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code service} section: which extensions run, the pipelines, self-telemetry, and how long
 * a shutdown may take to drain.
 *
 * @param extensions ids from {@code extensions} to start, in order
 * @param pipelines by pipeline id ({@code traces} or {@code traces/<name>}), in file order
 * @param shutdownTimeout how long a shutdown may take to flush processors and drain exporters (a
 *     Tollgate addition; the collector has no such key)
 * @param shutdownDelay at the start of a shutdown, how long the health endpoint answers 503 while
 *     the receivers still accept, before they close; part of {@code shutdownTimeout} (at most half
 *     of it), and only when a {@code health_check} extension runs (a Tollgate addition)
 */
public record ServiceConfig(
    List<String> extensions,
    Map<String, PipelineConfig> pipelines,
    TelemetryConfig telemetry,
    Duration shutdownTimeout,
    Duration shutdownDelay)
    implements ComponentConfig {

  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_SHUTDOWN_DELAY = Duration.ofSeconds(2);

  public ServiceConfig {
    extensions = extensions == null ? List.of() : List.copyOf(extensions);
    pipelines =
        pipelines == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pipelines));
    telemetry = telemetry == null ? TelemetryConfig.defaults() : telemetry;
    shutdownTimeout = shutdownTimeout == null ? DEFAULT_SHUTDOWN_TIMEOUT : shutdownTimeout;
    shutdownDelay = shutdownDelay == null ? DEFAULT_SHUTDOWN_DELAY : shutdownDelay;
  }

  public static ServiceConfig defaults() {
    return new ServiceConfig(
        List.of(),
        Map.of(),
        TelemetryConfig.defaults(),
        DEFAULT_SHUTDOWN_TIMEOUT,
        DEFAULT_SHUTDOWN_DELAY);
  }

  /**
   * The not-ready window a shutdown begins with: {@code shutdown_delay}, but at most half of
   * {@code shutdown_timeout}, so that the drain keeps at least the other half of the budget.
   */
  @JsonIgnore
  public Duration effectiveShutdownDelay() {
    Duration half = shutdownTimeout.dividedBy(2);
    return shutdownDelay.compareTo(half) > 0 ? half : shutdownDelay;
  }

  @Override
  public void validate(ConfigIssues issues) {
    telemetry.validate(issues.at("telemetry"));
    if (shutdownDelay.isNegative()) {
      issues.add("shutdown_delay", "must not be negative; got " + shutdownDelay);
    }
  }
}
