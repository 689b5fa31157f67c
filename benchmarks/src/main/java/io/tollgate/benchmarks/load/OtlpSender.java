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

  record Ack(Outcome outcome, long rejectedSpans, String detail) {
    static final Ack OK = new Ack(Outcome.OK, 0, "");
  }

  /** Never completes exceptionally: transport failures are {@link Outcome#FAILED} acks. */
  CompletableFuture<Ack> send(byte[] body);

  String describe();

  @Override
  void close();
}
