package io.tollgate.core.exporterhelper;

import io.tollgate.core.model.EncodedTraces;
import java.util.Objects;

/**
 * One request waiting in a {@link SendingQueue}: the encoded OTLP request (which a persistent queue
 * can store as it is) and its span count, kept so that metrics need not count again.
 */
public record QueuedRequest(EncodedTraces traces, int spanCount) {
  public QueuedRequest {
    Objects.requireNonNull(traces, "traces");
    if (spanCount < 0) {
      throw new IllegalArgumentException("spanCount must not be negative: " + spanCount);
    }
  }

  /** A request for {@code traces}, with its own span count. */
  public static QueuedRequest of(EncodedTraces traces) {
    return new QueuedRequest(traces, traces.spanCount());
  }
}
