package io.tollgate.core.exporterhelper;

import io.tollgate.core.model.EncodedTraces;
import java.util.concurrent.CompletionStage;

/**
 * Sends one request to one backend, once: the only part of an exporter that knows the protocol.
 * Queueing, retries, metrics and shutdown are {@link QueuedRetryExporter}'s job.
 *
 * <p>Contract: {@link #send} does not block for I/O; it returns a stage that completes with a
 * {@link SendResult} (it should not complete exceptionally; if it does, the attempt counts as
 * retryable). Each attempt enforces its own timeout. Several sends may run at once.
 * {@link #toString()} describes the sender for logs ({@code "otlp_grpc to tempo:4317"}) and never
 * contains a secret.
 *
 * <p>The request arrives encoded: a protocol sender writes {@link EncodedTraces#bytes()} as they
 * are (a retry sends the same bytes again); a sender that needs the spans as objects calls {@link
 * EncodedTraces#request()}.
 */
public interface Sender {

  /** Opens connections, loads certificates. Throwing aborts the collector's start. */
  default void start() throws Exception {}

  CompletionStage<SendResult> send(EncodedTraces traces);

  /** Releases connections; called once everything that could be sent was sent. */
  default void shutdown() {}
}
