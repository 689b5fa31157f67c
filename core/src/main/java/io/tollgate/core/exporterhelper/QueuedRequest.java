package io.tollgate.core.exporterhelper;

import io.tollgate.core.model.EncodedTraces;
import java.util.Objects;

/**
 * One request waiting in a {@link SendingQueue}: the encoded OTLP request, which a persistent queue
 * can store as it is ({@link EncodedTraces#ofStored} reads it back with its span count).
 */
public record QueuedRequest(EncodedTraces traces) {
  public QueuedRequest {
    Objects.requireNonNull(traces, "traces");
  }

  /** The spans in the request, for the exporter metrics. */
  public int spanCount() {
    return traces.spanCount();
  }
}
