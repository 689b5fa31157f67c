package io.tollgate.core.component;

import java.time.Duration;
import java.util.Optional;

/**
 * The pipeline cannot take this batch now; the sender should retry later. Receivers map
 * {@link Reason#THROTTLED} to HTTP 429 / gRPC {@code RESOURCE_EXHAUSTED} with {@code Retry-After}
 * / {@code RetryInfo}, and {@link Reason#UNAVAILABLE} to HTTP 503 / gRPC {@code UNAVAILABLE}.
 */
public final class RefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public enum Reason {
    /** Queues or memory are full: slow down. */
    THROTTLED,
    /** The pipeline is starting, stopping or cannot reach what it needs. */
    UNAVAILABLE
  }

  private final Reason reason;
  private final transient Duration retryAfter;

  public RefusedException(Reason reason, String message, Duration retryAfter) {
    super(message, null, false, false);
    this.reason = java.util.Objects.requireNonNull(reason, "reason");
    this.retryAfter = retryAfter;
  }

  public static RefusedException throttled(String message, Duration retryAfter) {
    return new RefusedException(Reason.THROTTLED, message, retryAfter);
  }

  public static RefusedException unavailable(String message) {
    return new RefusedException(Reason.UNAVAILABLE, message, null);
  }

  public Reason reason() {
    return reason;
  }

  /** How long the sender should wait, when we know. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
