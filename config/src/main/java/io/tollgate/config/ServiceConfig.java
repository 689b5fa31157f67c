package io.tollgate.config;

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
 */
public record ServiceConfig(
    List<String> extensions,
    Map<String, PipelineConfig> pipelines,
    TelemetryConfig telemetry,
    Duration shutdownTimeout)
    implements ComponentConfig {

  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  public ServiceConfig {
    extensions = extensions == null ? List.of() : List.copyOf(extensions);
    pipelines =
        pipelines == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pipelines));
    telemetry = telemetry == null ? TelemetryConfig.defaults() : telemetry;
    shutdownTimeout = shutdownTimeout == null ? DEFAULT_SHUTDOWN_TIMEOUT : shutdownTimeout;
  }

  public static ServiceConfig defaults() {
    return new ServiceConfig(
        List.of(), Map.of(), TelemetryConfig.defaults(), DEFAULT_SHUTDOWN_TIMEOUT);
  }

  @Override
  public void validate(ConfigIssues issues) {
    telemetry.validate(issues.at("telemetry"));
  }
}
