package io.tollgate.benchmarks.load;

import java.util.concurrent.CompletableFuture;

/** Sends pre-encoded OTLP trace requests to one endpoint. */
interface OtlpSender extends AutoCloseable {

  /** How an export ended. */
  enum Outcome {
    /** Accepted (possibly partially: see {@link Ack#rejectedSpans()}). */
    OK,
    /** Throttled or unavailable: the OTLP answer that says "retry later". */
    REFUSED,
    /** Anything else: bad request, server error, transport failure. */
    FAILED
  }

  /**
   * @param retryAfterNanos the delay a refusal asked for ({@code RetryInfo}, {@code Retry-After}),
   *     or -1 when it named none
   */
  record Ack(Outcome outcome, long rejectedSpans, String detail, long retryAfterNanos) {
    static final Ack OK = new Ack(Outcome.OK, 0, "", -1);

    Ack(Outcome outcome, long rejectedSpans, String detail) {
      this(outcome, rejectedSpans, detail, -1);
    }
  }

  /** Never completes exceptionally: transport failures are {@link Outcome#FAILED} acks. */
  CompletableFuture<Ack> send(byte[] body);

  String describe();

  @Override
  void close();
}
