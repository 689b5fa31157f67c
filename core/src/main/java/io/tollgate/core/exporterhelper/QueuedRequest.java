package io.tollgate.core.exporterhelper;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.Objects;

/**
 * One request waiting in a {@link SendingQueue}: an immutable OTLP request (which a persistent
 * queue can store as its protobuf bytes) and its span count, kept so that metrics need not count
 * again.
 */
public record QueuedRequest(ExportTraceServiceRequest request, int spanCount) {
  public QueuedRequest {
    Objects.requireNonNull(request, "request");
    if (spanCount < 0) {
      throw new IllegalArgumentException("spanCount must not be negative: " + spanCount);
    }
  }
}
