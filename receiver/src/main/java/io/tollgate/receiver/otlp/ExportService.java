package io.tollgate.receiver.otlp;

import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.tollgate.core.component.PermanentException;
import io.tollgate.core.component.RefusedException;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.pipeline.Completions;
import io.tollgate.core.telemetry.Counts;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both transports do with a decoded request: drop spans with invalid ids, hand the rest to the
 * pipeline, count, and turn the pipeline's answer into an OTLP answer. Called on a worker thread,
 * never on a network thread.
 */
final class ExportService {

  private static final Logger log = LoggerFactory.getLogger(ExportService.class);
  private static final ExportTraceServiceResponse ACCEPTED =
      ExportTraceServiceResponse.getDefaultInstance();

  /** The answer to one request: a response, or a failure. Exactly one is set. */
  record Outcome(ExportTraceServiceResponse response, ExportFailure failure) {
    static Outcome ok(ExportTraceServiceResponse response) {
      return new Outcome(response, null);
    }

    static Outcome failed(ExportFailure failure) {
      return new Outcome(null, failure);
    }
  }

  private final TracesConsumer next;
  private final ReceiverMetrics metrics;
  private final String receiverId;
  private final AtomicInteger inFlight = new AtomicInteger();

  ExportService(TracesConsumer next, ReceiverMetrics metrics, String receiverId) {
    this.next = next;
    this.metrics = metrics;
    this.receiverId = receiverId;
  }

  ReceiverMetrics metrics() {
    return metrics;
  }

  /** Requests handed to the pipeline whose answer has not come back yet. */
  int inFlight() {
    return inFlight.get();
  }

  /**
   * Accepts a request as received. The returned stage completes (never exceptionally) once the
   * pipeline has accepted or refused the spans.
   */
  CompletionStage<Outcome> export(ReceivedTraces received, Transport transport) {
    if (received.scan() == null) {
      return export(received.request(), transport);
    }
    // The fast path: the scan found the request well-formed and every span's ids valid, so the
    // pipeline gets the bytes as they are.
    int total = received.scan().spanCount();
    if (total == 0) {
      metrics.request(transport, ReceiverMetrics.Outcome.SUCCESS);
      return CompletableFuture.completedFuture(Outcome.ok(ACCEPTED));
    }
    return deliver(TraceBatch.ofWire(received.scan()), total, 0, ACCEPTED, transport);
  }

  /**
   * Accepts a decoded request. The returned stage completes (never exceptionally) once the pipeline
   * has accepted or refused the spans.
   */
  CompletionStage<Outcome> export(ExportTraceServiceRequest request, Transport transport) {
    TraceBatch batch = TraceBatch.of(request);
    int total = batch.spanCount();
    if (total == 0) {
      // The spec: an empty request is a success.
      metrics.request(transport, ReceiverMetrics.Outcome.SUCCESS);
      return CompletableFuture.completedFuture(Outcome.ok(ACCEPTED));
    }
    SpanIdCheck.Rejections rejections = SpanIdCheck.check(request, total);
    int rejected = 0;
    ExportTraceServiceResponse response = ACCEPTED;
    if (rejections != null) {
      rejected = batch.removeSpans(s -> SpanIdCheck.problem(s.proto()) != null);
      response =
          ExportTraceServiceResponse.newBuilder()
              .setPartialSuccess(
                  ExportTracePartialSuccess.newBuilder()
                      .setRejectedSpans(rejected)
                      .setErrorMessage(rejections.message()))
              .build();
      log.debug("{}: {}", receiverId, rejections.message());
    }
    return deliver(batch, total, rejected, response, transport);
  }

  /** Hands what is left of a request to the pipeline and turns its answer into an outcome. */
  private CompletionStage<Outcome> deliver(
      TraceBatch batch,
      int total,
      int rejected,
      ExportTraceServiceResponse response,
      Transport transport) {
    int accepted = total - rejected;
    if (accepted == 0) {
      metrics.refused(transport, rejected);
      metrics.request(transport, ReceiverMetrics.Outcome.SUCCESS);
      return CompletableFuture.completedFuture(Outcome.ok(response));
    }

    CompletionStage<Void> stage;
    inFlight.incrementAndGet();
    try {
      stage = next.consume(batch);
    } catch (Throwable e) { // an Error too: the sender gets an answer, not a hung call
      stage = CompletableFuture.failedFuture(e);
    }
    int rejectedIds = rejected;
    ExportTraceServiceResponse success = response;
    return stage.handle(
        (ok, err) -> {
          inFlight.decrementAndGet();
          if (err == null) {
            metrics.accepted(transport, accepted);
            metrics.refused(transport, rejectedIds);
            metrics.request(transport, ReceiverMetrics.Outcome.SUCCESS);
            return Outcome.ok(success);
          }
          Throwable cause = Completions.unwrap(err);
          boolean refusal =
              cause instanceof RefusedException || cause instanceof PermanentException;
          if (refusal) {
            metrics.refused(transport, accepted + rejectedIds);
            metrics.request(transport, ReceiverMetrics.Outcome.REFUSED);
            log.debug(
                "{}: pipeline refused {}: {}",
                receiverId,
                Counts.of(accepted, "span"),
                cause.getMessage());
          } else {
            metrics.failed(transport, accepted);
            metrics.refused(transport, rejectedIds);
            metrics.request(transport, ReceiverMetrics.Outcome.FAILURE);
            log.warn(
                "{}: the pipeline failed unexpectedly on {}; answering UNAVAILABLE so that"
                    + " the sender retries",
                receiverId,
                Counts.of(accepted, "span"),
                cause);
          }
          return Outcome.failed(ExportFailure.fromConsumer(cause));
        });
  }

  /** Counts a request that failed before it could be decoded. */
  void malformed(Transport transport) {
    metrics.request(transport, ReceiverMetrics.Outcome.FAILURE);
  }
}
