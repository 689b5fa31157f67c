package io.tollgate.core.exporterhelper;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.tollgate.core.component.ByteSize;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;

/**
 * {@code sending_queue}: the bounded in-memory queue in front of an exporter's senders.
 *
 * @param enabled when false, {@code consume} sends directly and completes once the backend
 *     answered (and retries ran), so back-pressure reaches the client
 * @param numConsumers how many requests are being sent (or waiting to be retried) at once
 * @param queueSize how many requests (batches, not spans) the queue holds before it refuses
 * @param maxInFlightBytes how many bytes of encoded requests may await the backend's answer at
 *     once; a request that does not fit waits (in the queue, or its caller waits without one)
 *     until enough is answered, and one request larger than this is sent alone. {@code 0} turns
 *     the byte budget off. Defaults to {@link #defaultMaxInFlightBytes()}
 */
public record QueueSettings(
    boolean enabled, int numConsumers, int queueSize, ByteSize maxInFlightBytes)
    implements ComponentConfig {

  public static final int DEFAULT_NUM_CONSUMERS = 10;
  public static final int DEFAULT_QUEUE_SIZE = 1000;

  @JsonCreator
  public QueueSettings {
    if (maxInFlightBytes == null) {
      // "max_in_flight_bytes:" without a value: the default, as an absent key gets.
      maxInFlightBytes = defaultMaxInFlightBytes();
    }
  }

  /** Settings with the default {@code max_in_flight_bytes}. */
  public QueueSettings(boolean enabled, int numConsumers, int queueSize) {
    this(enabled, numConsumers, queueSize, defaultMaxInFlightBytes());
  }

  /**
   * The collector's defaults: enabled, {@value #DEFAULT_NUM_CONSUMERS} consumers, {@value
   * #DEFAULT_QUEUE_SIZE} requests; plus {@link #defaultMaxInFlightBytes()}.
   */
  public static QueueSettings defaults() {
    return new QueueSettings(true, DEFAULT_NUM_CONSUMERS, DEFAULT_QUEUE_SIZE);
  }

  public static QueueSettings disabled() {
    return new QueueSettings(false, DEFAULT_NUM_CONSUMERS, DEFAULT_QUEUE_SIZE);
  }

  /**
   * A quarter of this JVM's direct memory ({@code -XX:MaxDirectMemorySize}, or the heap's maximum
   * when that is not set), rounded down to a whole MiB and at least 1 MiB.
   *
   * <p>Why a quarter: a request being sent over gRPC sits in Netty's direct buffers, whole, from
   * the moment it is framed until the socket has written it, and a send holds its bytes until the
   * backend answers. The receiver's admission ({@code admission.request_limit_mib}, 32 MiB by
   * default, half of the recommended gateway's 64 MiB) holds the requests still arriving in the
   * same memory, and Netty's pools need room beyond what is in use. A quarter for one exporter
   * leaves that room; with several exporters, their budgets add up (README, "Sizing direct
   * memory"). A fixed default would be too small for a large JVM and too large for a sidecar's 32
   * MiB.
   */
  public static ByteSize defaultMaxInFlightBytes() {
    return DirectMemory.DEFAULT_BUDGET;
  }

  public QueueSettings withNumConsumers(int n) {
    return new QueueSettings(enabled, n, queueSize, maxInFlightBytes);
  }

  public QueueSettings withQueueSize(int n) {
    return new QueueSettings(enabled, numConsumers, n, maxInFlightBytes);
  }

  public QueueSettings withMaxInFlightBytes(ByteSize value) {
    return new QueueSettings(enabled, numConsumers, queueSize, value);
  }

  @Override
  public void validate(ConfigIssues issues) {
    if (numConsumers < 1) {
      issues.add("num_consumers", "must be at least 1; got " + numConsumers);
    }
    if (enabled && queueSize < 1) {
      issues.add(
          "queue_size",
          "must be at least 1 request; got " + queueSize + " (set enabled: false to send without a queue)");
    }
  }
}
