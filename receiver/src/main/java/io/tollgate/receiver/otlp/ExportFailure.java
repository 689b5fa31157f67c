package io.tollgate.receiver.otlp;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.tollgate.core.component.PermanentException;
import io.tollgate.core.component.RefusedException;
import java.time.Duration;

/**
 * Why an export request was not accepted, with what both transports answer: an HTTP status and a
 * gRPC code, a message that tells the sender what to do, and how long to wait when the failure is
 * temporary.
 *
 * @param retryAfter how long the sender should wait; {@code null} when unknown or not retryable
 */
record ExportFailure(Kind kind, String message, Duration retryAfter) {

  /** Throttled senders that get no hint wait this long (the collector's exporters' default). */
  static final Duration DEFAULT_THROTTLE_DELAY = Duration.ofSeconds(1);

  enum Kind {
    /** The request cannot be decoded; retrying will not help. */
    BAD_REQUEST(400, Code.INVALID_ARGUMENT),
    /** The request is larger than the configured limit; retrying will not help. */
    TOO_LARGE(413, Code.RESOURCE_EXHAUSTED),
    /** The pipeline is full; retry after a while. */
    THROTTLED(429, Code.RESOURCE_EXHAUSTED),
    /** The pipeline cannot take data right now; retry. */
    UNAVAILABLE(503, Code.UNAVAILABLE),
    /** The pipeline dropped the data for good for a reason other than bad data. */
    INTERNAL(500, Code.INTERNAL);

    final int httpStatus;
    final Code grpcCode;

    Kind(int httpStatus, Code grpcCode) {
      this.httpStatus = httpStatus;
      this.grpcCode = grpcCode;
    }
  }

  static ExportFailure badRequest(String message) {
    return new ExportFailure(Kind.BAD_REQUEST, message, null);
  }

  static ExportFailure tooLarge(String message) {
    return new ExportFailure(Kind.TOO_LARGE, message, null);
  }

  /**
   * A request over the size limit: {@code what} says which limit it passed, and the answer what to
   * do about it (both the sender's side and the collector's key, {@code sizeKey}).
   */
  static ExportFailure tooLarge(String what, String sizeKey) {
    return tooLarge(what + ". " + smallerBatchesOrRaise(sizeKey));
  }

  /** What to do about a request over the size limit {@code sizeKey}. */
  static String smallerBatchesOrRaise(String sizeKey) {
    return "Send smaller batches (e.g. a smaller max export batch size in the SDK) or raise "
        + sizeKey
        + ".";
  }

  static ExportFailure unavailable(String message) {
    return new ExportFailure(Kind.UNAVAILABLE, message, null);
  }

  /** Maps the way a consumer's stage failed onto the OTLP answer. */
  static ExportFailure fromConsumer(Throwable t) {
    if (t instanceof RefusedException) {
      RefusedException r = (RefusedException) t;
      if (r.reason() == RefusedException.Reason.THROTTLED) {
        Duration wait = r.retryAfter().filter(d -> !d.isNegative()).orElse(DEFAULT_THROTTLE_DELAY);
        return new ExportFailure(
            Kind.THROTTLED,
            sentence(r.getMessage(), "the pipeline is full")
                + " Retry after "
                + seconds(wait)
                + "s (OTLP exporters do this on their own); if this persists, give the collector"
                + " more memory or add replicas.",
            wait);
      }
      Duration wait = r.retryAfter().filter(d -> !d.isNegative()).orElse(null);
      return new ExportFailure(
          Kind.UNAVAILABLE,
          sentence(r.getMessage(), "the pipeline is unavailable")
              + (wait == null ? " Retry later" : " Retry after " + seconds(wait) + "s")
              + " (OTLP exporters do this on their own).",
          wait);
    }
    if (t instanceof PermanentException) {
      PermanentException p = (PermanentException) t;
      if (p.isBadData()) {
        return new ExportFailure(
            Kind.BAD_REQUEST,
            sentence(p.getMessage(), "the data was rejected")
                + " The data was dropped; do not resend it, fix what the sender produces.",
            null);
      }
      return new ExportFailure(
          Kind.INTERNAL,
          sentence(p.getMessage(), "the pipeline could not accept the data")
              + " The data was dropped and must not be resent; see the collector's log.",
          null);
    }
    // An unexpected failure may be transient; the collector answers UNAVAILABLE too, so that
    // senders retry instead of losing data.
    return new ExportFailure(
        Kind.UNAVAILABLE,
        "internal error while accepting spans ("
            + t.getClass().getSimpleName()
            + (t.getMessage() == null ? "" : ": " + t.getMessage())
            + "). Retry later; if it persists, see the collector's log.",
        null);
  }

  /** The {@code google.rpc.Status} for an HTTP body or a gRPC status, with RetryInfo if known. */
  Status toStatus() {
    Status.Builder s = Status.newBuilder().setCode(kind.grpcCode.getNumber()).setMessage(message);
    if (retryAfter != null) {
      s.addDetails(
          Any.pack(
              RetryInfo.newBuilder()
                  .setRetryDelay(
                      com.google.protobuf.Duration.newBuilder()
                          .setSeconds(retryAfter.getSeconds())
                          .setNanos(retryAfter.getNano()))
                  .build()));
    }
    return s.build();
  }

  /** The {@code Retry-After} value: whole seconds, rounded up, at least 1. */
  static long seconds(Duration d) {
    long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    return Math.max(1, s);
  }

  private static String sentence(String message, String fallback) {
    String m = message == null || message.isBlank() ? fallback : message.trim();
    return m.endsWith(".") ? m : m + ".";
  }
}
