package io.tollgate.core.exporterhelper;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * At most one log line per interval for a kind of event that can repeat thousands of times a
 * second (a backend down, partial success on every request). The next line that gets through
 * says how many were held back, so nothing is silently hidden.
 */
public final class RateLimitedLog {

  private final Logger logger;
  private final long intervalNanos;
  private final AtomicLong nextAllowed;
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimitedLog(Logger logger, Duration interval) {
    this.logger = logger;
    this.intervalNanos = interval.toNanos();
    this.nextAllowed = new AtomicLong(System.nanoTime());
  }

  /** Logs at warn when the interval allows, else counts the line as suppressed. */
  public void warn(String format, Object... args) {
    if (!logger.isWarnEnabled()) {
      return;
    }
    long now = System.nanoTime();
    long next = nextAllowed.get();
    if (now - next < 0 || !nextAllowed.compareAndSet(next, now + intervalNanos)) {
      suppressed.incrementAndGet();
      return;
    }
    long held = suppressed.getAndSet(0);
    if (held == 0) {
      logger.warn(format, args);
    } else {
      logger.warn(format + " (" + held + " similar messages suppressed)", args);
    }
  }
}
