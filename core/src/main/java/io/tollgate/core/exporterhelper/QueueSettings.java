package io.tollgate.core.exporterhelper;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;

/**
 * {@code sending_queue}: the bounded in-memory queue in front of an exporter's senders.
 *
 * @param enabled when false, {@code consume} sends directly and completes once the backend
 *     answered (and retries ran), so back-pressure reaches the client
 * @param numConsumers how many requests are being sent (or waiting to be retried) at once
 * @param queueSize how many requests (batches, not spans) the queue holds before it refuses
 */
public record QueueSettings(boolean enabled, int numConsumers, int queueSize)
    implements ComponentConfig {

  public static final int DEFAULT_NUM_CONSUMERS = 10;
  public static final int DEFAULT_QUEUE_SIZE = 1000;

  /** The collector's defaults: enabled, {@value #DEFAULT_NUM_CONSUMERS} consumers, {@value #DEFAULT_QUEUE_SIZE} requests. */
  public static QueueSettings defaults() {
    return new QueueSettings(true, DEFAULT_NUM_CONSUMERS, DEFAULT_QUEUE_SIZE);
  }

  public static QueueSettings disabled() {
    return new QueueSettings(false, DEFAULT_NUM_CONSUMERS, DEFAULT_QUEUE_SIZE);
  }

  public QueueSettings withNumConsumers(int n) {
    return new QueueSettings(enabled, n, queueSize);
  }

  public QueueSettings withQueueSize(int n) {
    return new QueueSettings(enabled, numConsumers, n);
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
