package io.tollgate.processor.batch;

import io.tollgate.core.component.ByteSize;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import java.time.Duration;

/**
 * Configuration of the {@code batch} processor, with the OpenTelemetry Collector's keys and
 * defaults, plus a byte cap of our own ({@code send_batch_max_bytes}).
 *
 * @param sendBatchSize spans that trigger a send at once (a trigger, not a cap); 0: only the
 *     timeout sends
 * @param timeout the longest a span waits in the buffer; 0 sends every batch at once (only split by
 *     {@code send_batch_max_size})
 * @param sendBatchMaxSize the largest batch sent; bigger ones are split. 0: no cap
 * @param maxPendingSpans spans buffered or on their way to a slow next component beyond which new
 *     data is refused with a retryable "throttled" error. 0: twice {@code send_batch_size} (twice
 *     8192 when that is 0)
 * @param sendBatchMaxBytes the largest encoded size of a batch sent; bigger ones are split (a span
 *     larger than this goes alone), and reaching it in the buffer sends at once. 0: no byte cap
 */
public record BatchConfig(
    int sendBatchSize,
    Duration timeout,
    int sendBatchMaxSize,
    int maxPendingSpans,
    ByteSize sendBatchMaxBytes)
    implements ComponentConfig {

  public static final int DEFAULT_SEND_BATCH_SIZE = 8192;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(200);

  /**
   * 4 MiB: the default largest message that gRPC servers accept ({@code grpc.max_recv_msg_size}),
   * which Tempo, Jaeger and the OpenTelemetry Collector keep; a bigger request is answered with a
   * RESOURCE_EXHAUSTED that is not retried, so the whole batch would be lost.
   */
  public static final ByteSize DEFAULT_SEND_BATCH_MAX_BYTES = ByteSize.ofMiB(4);

  public static BatchConfig defaults() {
    return new BatchConfig(
        DEFAULT_SEND_BATCH_SIZE, DEFAULT_TIMEOUT, 0, 0, DEFAULT_SEND_BATCH_MAX_BYTES);
  }

  /** The byte cap in bytes; 0 when there is none. */
  long maxBytes() {
    return sendBatchMaxBytes == null ? 0 : sendBatchMaxBytes.bytes();
  }

  /** The bound on buffered plus in-flight spans that {@code max_pending_spans: 0} stands for. */
  int effectiveMaxPendingSpans() {
    if (maxPendingSpans > 0) {
      return maxPendingSpans;
    }
    long base = sendBatchSize > 0 ? sendBatchSize : DEFAULT_SEND_BATCH_SIZE;
    return (int) Math.min(Integer.MAX_VALUE, 2 * base);
  }

  @Override
  public void validate(ConfigIssues issues) {
    if (sendBatchSize < 0) {
      issues.add("send_batch_size", "must be 0 or more spans; got " + sendBatchSize);
    }
    if (timeout == null || timeout.isNegative()) {
      issues.add("timeout", "must be a duration of 0s or more, such as 200ms; got " + timeout);
    }
    if (sendBatchMaxSize < 0) {
      issues.add(
          "send_batch_max_size", "must be 0 (no cap) or more spans; got " + sendBatchMaxSize);
    } else if (sendBatchMaxSize > 0 && sendBatchMaxSize < sendBatchSize) {
      issues.add(
          "send_batch_max_size",
          "must be 0 (no cap) or at least send_batch_size ("
              + sendBatchSize
              + "); got "
              + sendBatchMaxSize);
    }
    if (sendBatchMaxBytes == null) {
      issues.add(
          "send_batch_max_bytes", "must be a size such as 4MiB, or 0 for no byte cap; got nothing");
    }
    if (maxPendingSpans < 0) {
      issues.add(
          "max_pending_spans",
          "must be 0 (twice send_batch_size) or more spans; got " + maxPendingSpans);
    }
  }
}
