package io.tollgate.core.exporterhelper;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code retry_on_failure}: exponential backoff with jitter for retryable failures, as the
 * collector's exporterhelper. The n-th wait is {@code initial_interval * multiplier^(n-1)},
 * capped at {@code max_interval}, spread uniformly by {@code ± randomization_factor}; a delay the
 * server asks for ({@code Retry-After}, {@code RetryInfo}) is waited when it is longer. A request
 * is given up (and counted in {@code otelcol_exporter_send_failed_spans}) when the next attempt
 * would start after {@code max_elapsed_time} since the first one.
 *
 * @param maxElapsedTime {@link Duration#ZERO} retries forever (bounded only by shutdown)
 */
public record RetrySettings(
    boolean enabled,
    Duration initialInterval,
    Duration maxInterval,
    Duration maxElapsedTime,
    double multiplier,
    double randomizationFactor)
    implements ComponentConfig {

  public static final Duration DEFAULT_INITIAL_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_MAX_ELAPSED_TIME = Duration.ofSeconds(300);
  public static final double DEFAULT_MULTIPLIER = 1.5;
  public static final double DEFAULT_RANDOMIZATION_FACTOR = 0.5;

  public RetrySettings {
    Objects.requireNonNull(initialInterval, "initialInterval");
    Objects.requireNonNull(maxInterval, "maxInterval");
    Objects.requireNonNull(maxElapsedTime, "maxElapsedTime");
  }

  /** The collector's defaults: 5s, 30s, 300s, ×1.5, ±50%. */
  public static RetrySettings defaults() {
    return new RetrySettings(
        true,
        DEFAULT_INITIAL_INTERVAL,
        DEFAULT_MAX_INTERVAL,
        DEFAULT_MAX_ELAPSED_TIME,
        DEFAULT_MULTIPLIER,
        DEFAULT_RANDOMIZATION_FACTOR);
  }

  public static RetrySettings disabled() {
    return defaults().withEnabled(false);
  }

  public RetrySettings withEnabled(boolean e) {
    return new RetrySettings(
        e, initialInterval, maxInterval, maxElapsedTime, multiplier, randomizationFactor);
  }

  public RetrySettings withIntervals(Duration initial, Duration max, Duration maxElapsed) {
    return new RetrySettings(enabled, initial, max, maxElapsed, multiplier, randomizationFactor);
  }

  public RetrySettings withRandomizationFactor(double factor) {
    return new RetrySettings(
        enabled, initialInterval, maxInterval, maxElapsedTime, multiplier, factor);
  }

  @Override
  public void validate(ConfigIssues issues) {
    if (!enabled) {
      return;
    }
    if (initialInterval.isNegative() || initialInterval.isZero()) {
      issues.add("initial_interval", "must be positive, e.g. 5s; got " + Durations.format(initialInterval));
    }
    if (maxInterval.compareTo(initialInterval) < 0) {
      issues.add(
          "max_interval",
          "must be at least initial_interval ("
              + Durations.format(initialInterval)
              + "); got "
              + Durations.format(maxInterval));
    }
    if (maxElapsedTime.isNegative()) {
      issues.add("max_elapsed_time", "must be 0 (retry forever) or positive");
    } else if (!maxElapsedTime.isZero() && maxElapsedTime.compareTo(initialInterval) < 0) {
      issues.add(
          "max_elapsed_time",
          "is shorter than initial_interval, so no retry would ever happen; make it longer, or set"
              + " enabled: false");
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      issues.add("multiplier", "must be at least 1.0 (1.5 is the default); got " + multiplier);
    }
    if (!(randomizationFactor >= 0.0 && randomizationFactor <= 1.0)) {
      issues.add(
          "randomization_factor", "must be between 0 and 1 (0.5 is the default); got " + randomizationFactor);
    }
  }
}
