package io.tollgate.core.telemetry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A count of something that can happen thousands of times a second (spans lost, oversized spans),
 * reported in at most one log line per interval with everything counted since the line before, so
 * that a burst neither floods the log nor hides. Unlike {@code RateLimitedLog}, which counts the
 * lines it held back, this sums a quantity. What is counted after the last line of a burst shows in
 * the next line, whenever that comes: callers also count it in a metric, which never waits.
 * Thread-safe.
 *
 * <pre>{@code
 * long n = lost.add(spans);
 * if (n > 0) {
 *   log.warn("... {} spans since the last report ...", n);
 * }
 * }</pre>
 */
public final class CountSinceReport {

  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final AtomicLong lastReport = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong count = new AtomicLong();

  public CountSinceReport(Duration interval) {
    this(interval, System::nanoTime);
  }

  CountSinceReport(Duration interval, LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    if (interval.isNegative()) {
      throw new IllegalArgumentException("interval must not be negative: " + interval);
    }
    this.intervalNanos = interval.toNanos();
  }

  /**
   * Adds {@code n}. When a report is due (the first ever, or an interval after the last), returns
   * the total since the last report and counts afresh; else returns 0 and the caller logs nothing.
   */
  public long add(long n) {
    count.addAndGet(n);
    long now = nanoClock.getAsLong();
    long last = lastReport.get();
    if ((last == Long.MIN_VALUE || now - last >= intervalNanos)
        && lastReport.compareAndSet(last, now)) {
      return count.getAndSet(0);
    }
    return 0;
  }
}
