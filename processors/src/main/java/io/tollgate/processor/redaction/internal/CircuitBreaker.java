package io.tollgate.processor.redaction.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Stops calling an analyzer that keeps failing: after {@code threshold} failures in a row it opens
 * for {@code openFor}, then lets one probe through (half-open); a success closes it. While it is
 * open, callers fail fast instead of each waiting for a timeout.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class CircuitBreaker {

  /** What a caller learns from {@link #tryAcquire}. */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private final int threshold;
  private final long openNanos;
  private final LongSupplier nanoClock;
  private int failures;
  private long openUntil;
  private boolean probing;

  public CircuitBreaker(int threshold, Duration openFor, LongSupplier nanoClock) {
    this.threshold = threshold;
    this.openNanos = openFor.toNanos();
    this.nanoClock = nanoClock;
  }

  /** Whether a request may go out now. */
  public synchronized boolean tryAcquire() {
    if (threshold <= 0 || failures < threshold) {
      return true;
    }
    if (nanoClock.getAsLong() - openUntil < 0 || probing) {
      return false;
    }
    probing = true;
    return true;
  }

  /** Records a success; returns true when this closed an open breaker. */
  public synchronized boolean onSuccess() {
    boolean wasOpen = threshold > 0 && failures >= threshold;
    failures = 0;
    probing = false;
    return wasOpen;
  }

  /** Records a failure; returns true when this opened the breaker. */
  public synchronized boolean onFailure() {
    boolean wasOpen = threshold > 0 && failures >= threshold;
    failures++;
    probing = false;
    if (threshold > 0 && failures >= threshold) {
      openUntil = nanoClock.getAsLong() + openNanos;
      return !wasOpen;
    }
    return false;
  }

  public synchronized State state() {
    if (threshold <= 0 || failures < threshold) {
      return State.CLOSED;
    }
    return nanoClock.getAsLong() - openUntil < 0 ? State.OPEN : State.HALF_OPEN;
  }
}
