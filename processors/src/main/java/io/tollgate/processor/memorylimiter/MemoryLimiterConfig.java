package io.tollgate.processor.memorylimiter;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import java.time.Duration;

/**
 * Configuration of the {@code memory_limiter} processor, with the OpenTelemetry Collector's keys.
 * The limits are of the JVM heap: either in MiB, or in percent of the maximum heap ({@code -Xmx} or
 * {@code -XX:MaxRAMPercentage}). The soft limit is the hard limit minus the spike limit.
 *
 * @param checkInterval how often memory usage is measured
 * @param limitMib hard limit in MiB (0: use {@code limit_percentage})
 * @param spikeLimitMib headroom below the hard limit in MiB (0: 20% of the hard limit)
 * @param limitPercentage hard limit in percent of the maximum heap (0: use {@code limit_mib})
 * @param spikeLimitPercentage headroom in percent of the maximum heap (0: 20% of the hard limit)
 */
public record MemoryLimiterConfig(
    Duration checkInterval,
    long limitMib,
    long spikeLimitMib,
    int limitPercentage,
    int spikeLimitPercentage)
    implements ComponentConfig {

  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);
  private static final long MIB = 1024L * 1024;

  /** Check every second; the limits have no sensible default and must be set. */
  public static MemoryLimiterConfig defaults() {
    return new MemoryLimiterConfig(DEFAULT_CHECK_INTERVAL, 0, 0, 0, 0);
  }

  /** The limits in bytes for a heap of at most {@code maxHeapBytes}. */
  record Limits(long hardBytes, long softBytes) {}

  /**
   * Resolves the limits against the heap.
   *
   * @throws IllegalStateException when the limits do not fit this heap, with what to change
   */
  Limits resolve(long maxHeapBytes) {
    long hard;
    long spike;
    if (limitMib > 0) {
      hard = limitMib * MIB;
      spike = spikeLimitMib > 0 ? spikeLimitMib * MIB : hard / 5;
      if (maxHeapBytes != Long.MAX_VALUE && hard > maxHeapBytes) {
        throw new IllegalStateException(
            "memory_limiter: limit_mib "
                + limitMib
                + " is above the JVM's maximum heap of "
                + maxHeapBytes / MIB
                + " MiB, so the heap would run out before the limiter acts; lower limit_mib,"
                + " use limit_percentage, or raise -Xmx");
      }
    } else {
      if (maxHeapBytes == Long.MAX_VALUE) {
        throw new IllegalStateException(
            "memory_limiter: the JVM has no maximum heap, so limit_percentage has nothing to"
                + " refer to; set -Xmx or -XX:MaxRAMPercentage, or use limit_mib");
      }
      hard = maxHeapBytes / 100 * limitPercentage;
      spike = spikeLimitPercentage > 0 ? maxHeapBytes / 100 * spikeLimitPercentage : hard / 5;
    }
    return new Limits(hard, hard - spike);
  }

  @Override
  public void validate(ConfigIssues issues) {
    if (checkInterval == null || checkInterval.isNegative() || checkInterval.isZero()) {
      issues.add("check_interval", "must be a positive duration such as 1s; got " + checkInterval);
    }
    if (limitMib < 0) {
      issues.add("limit_mib", "must be 0 or more MiB; got " + limitMib);
    }
    if (spikeLimitMib < 0) {
      issues.add("spike_limit_mib", "must be 0 or more MiB; got " + spikeLimitMib);
    }
    if (limitPercentage < 0 || limitPercentage > 100) {
      issues.add("limit_percentage", "must be between 1 and 100; got " + limitPercentage);
    }
    if (spikeLimitPercentage < 0 || spikeLimitPercentage > 100) {
      issues.add(
          "spike_limit_percentage", "must be between 1 and 100; got " + spikeLimitPercentage);
    }
    if (limitMib == 0 && limitPercentage == 0) {
      issues.add(
          "set limit_mib (the heap limit in MiB) or limit_percentage (in percent of the maximum"
              + " heap, e.g. 80)");
      return;
    }
    if (limitMib > 0 && limitPercentage > 0) {
      issues.add("set either limit_mib or limit_percentage, not both");
      return;
    }
    if (limitMib > 0) {
      if (spikeLimitPercentage > 0) {
        issues.add(
            "spike_limit_percentage",
            "goes with limit_percentage; with limit_mib set spike_limit_mib instead");
      }
      if (spikeLimitMib >= limitMib) {
        issues.add(
            "spike_limit_mib",
            "must be less than limit_mib ("
                + limitMib
                + "), since the soft limit is limit_mib - spike_limit_mib; about 20% of it is a"
                + " good start; got "
                + spikeLimitMib);
      }
    } else {
      if (spikeLimitMib > 0) {
        issues.add(
            "spike_limit_mib",
            "goes with limit_mib; with limit_percentage set spike_limit_percentage instead");
      }
      if (spikeLimitPercentage >= limitPercentage) {
        issues.add(
            "spike_limit_percentage",
            "must be less than limit_percentage ("
                + limitPercentage
                + "), since the soft limit is their difference; got "
                + spikeLimitPercentage);
      }
    }
  }
}
