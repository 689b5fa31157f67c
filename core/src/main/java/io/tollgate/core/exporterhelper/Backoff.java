package io.tollgate.core.exporterhelper;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The waits between attempts of one request: exponential with jitter, as the collector's (and
 * cenkalti/backoff's) {@code ExponentialBackOff}. Not thread-safe; one per request.
 */
final class Backoff {

  private final RetrySettings settings;
  private final DoubleSupplier random;
  private long currentNanos;

  /** @param random uniform in [0, 1); injected so that tests can pin the jitter */
  Backoff(RetrySettings settings, DoubleSupplier random) {
    this.settings = settings;
    this.random = random;
    this.currentNanos = settings.initialInterval().toNanos();
  }

  /** The next wait: the current interval spread by ±randomization_factor; then grows it. */
  Duration next() {
    double interval = currentNanos;
    double delta = settings.randomizationFactor() * interval;
    double low = interval - delta;
    double high = interval + delta;
    // Uniform in [low, high], as the Go implementation does.
    long wait = (long) (low + random.getAsDouble() * (high - low + 1));
    long max = settings.maxInterval().toNanos();
    if (currentNanos >= max / settings.multiplier()) {
      currentNanos = max;
    } else {
      currentNanos = (long) (currentNanos * settings.multiplier());
    }
    return Duration.ofNanos(Math.max(0, wait));
  }
}
