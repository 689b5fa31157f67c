package io.tollgate.core.exporterhelper;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of one attempt to send a request, in the terms of the OTLP specification. A
 * {@link Sender} completes its stage with one of these rather than failing it.
 */
public final class SendResult {

  /** The four outcomes a sender can report. */
  public enum Kind {
    /** The backend took every span. */
    SUCCESS,
    /** The backend took the request but rejected some spans; retrying would not help. */
    PARTIAL_SUCCESS,
    /** Try again later (network error, 429/502/503/504, UNAVAILABLE, …). */
    RETRYABLE,
    /** Never try this request again (400, UNAUTHENTICATED, a bad endpoint, …). */
    PERMANENT
  }

  private static final SendResult SUCCESS = new SendResult(Kind.SUCCESS, "", 0, null);

  private final Kind kind;
  private final String message;
  private final long rejectedSpans;
  private final Duration retryAfter;

  private SendResult(Kind kind, String message, long rejectedSpans, Duration retryAfter) {
    this.kind = kind;
    this.message = Objects.requireNonNull(message, "message");
    this.rejectedSpans = rejectedSpans;
    this.retryAfter = retryAfter;
  }

  public static SendResult success() {
    return SUCCESS;
  }

  /**
   * @param rejectedSpans what the server reported in {@code partial_success.rejected_spans} (0 is
   *     a warning only)
   * @param message the server's {@code error_message}
   */
  public static SendResult partialSuccess(long rejectedSpans, String message) {
    if (rejectedSpans < 0) {
      throw new IllegalArgumentException("rejectedSpans must not be negative: " + rejectedSpans);
    }
    return new SendResult(Kind.PARTIAL_SUCCESS, message, rejectedSpans, null);
  }

  /**
   * @param serverDelay how long the server asked us to wait ({@code Retry-After}, {@code
   *     RetryInfo}); null when it did not say
   */
  public static SendResult retryable(String message, Duration serverDelay) {
    if (serverDelay != null && serverDelay.isNegative()) {
      serverDelay = Duration.ZERO;
    }
    return new SendResult(Kind.RETRYABLE, message, 0, serverDelay);
  }

  public static SendResult retryable(String message) {
    return retryable(message, null);
  }

  public static SendResult permanent(String message) {
    return new SendResult(Kind.PERMANENT, message, 0, null);
  }

  public Kind kind() {
    return kind;
  }

  /** Why, for logs: never contains span content or secrets. */
  public String message() {
    return message;
  }

  public long rejectedSpans() {
    return rejectedSpans;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public String toString() {
    switch (kind) {
      case SUCCESS:
        return "success";
      case PARTIAL_SUCCESS:
        return "partial success (" + rejectedSpans + " rejected): " + message;
      case RETRYABLE:
        return "retryable: " + message + (retryAfter == null ? "" : " (retry after " + retryAfter + ")");
      default:
        return "permanent: " + message;
    }
  }
}
