package io.tollgate.core.model;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * A mutable view of one span together with its resource and instrumentation scope: the surface
 * processors work on. Views are cheap and short-lived; do not keep one after the batch has moved
 * downstream.
 */
public final class SpanRecord {

  private final ResourceSpans.Builder resource;
  private final InstrumentationScope scope;
  private final Span.Builder span;
  private AttributeView attributes;
  private AttributeView resourceAttributes;
  private List<SpanEvent> events;

  SpanRecord(ResourceSpans.Builder resource, InstrumentationScope scope, Span.Builder span) {
    this.resource = resource;
    this.scope = scope;
    this.span = span;
  }

  public ByteString traceId() {
    return span.getTraceId();
  }

  public String traceIdHex() {
    return Ids.toHex(span.getTraceId());
  }

  public ByteString spanId() {
    return span.getSpanId();
  }

  public String spanIdHex() {
    return Ids.toHex(span.getSpanId());
  }

  public ByteString parentSpanId() {
    return span.getParentSpanId();
  }

  /** A span without a parent is the root of its trace. */
  public boolean isRoot() {
    return span.getParentSpanId().isEmpty();
  }

  public String name() {
    return span.getName();
  }

  public void setName(String name) {
    span.setName(name);
  }

  public Span.SpanKind kind() {
    return span.getKind();
  }

  public long startEpochNanos() {
    return span.getStartTimeUnixNano();
  }

  public long endEpochNanos() {
    return span.getEndTimeUnixNano();
  }

  /** End minus start, or 0 when the span has no sensible end. */
  public long durationNanos() {
    long d = span.getEndTimeUnixNano() - span.getStartTimeUnixNano();
    return d > 0 ? d : 0;
  }

  public Status.StatusCode statusCode() {
    return span.getStatus().getCode();
  }

  public String statusMessage() {
    return span.getStatus().getMessage();
  }

  public void setStatus(Status.StatusCode code, String message) {
    span.setStatus(Status.newBuilder().setCode(code).setMessage(message == null ? "" : message));
  }

  public AttributeView attributes() {
    if (attributes == null) {
      attributes = new AttributeViews.OfSpan(span);
    }
    return attributes;
  }

  /**
   * The resource's attributes. The resource is shared by every span of the same
   * {@code ResourceSpans} in this batch: a change shows on all of them.
   */
  public AttributeView resourceAttributes() {
    if (resourceAttributes == null) {
      resourceAttributes = new AttributeViews.OfResource(resource.getResourceBuilder());
    }
    return resourceAttributes;
  }

  /** {@code service.name} of the resource, or "" when absent. */
  public String serviceName() {
    for (var kv : resource.getResource().getAttributesList()) {
      if (kv.getKey().equals("service.name") && kv.getValue().hasStringValue()) {
        return kv.getValue().getStringValue();
      }
    }
    return "";
  }

  public String scopeName() {
    return scope.getName();
  }

  public List<SpanEvent> events() {
    if (events == null) {
      int n = span.getEventsCount();
      if (n == 0) {
        events = Collections.emptyList();
      } else {
        List<SpanEvent> list = new ArrayList<>(n);
        for (Span.Event.Builder e : span.getEventsBuilderList()) {
          list.add(new SpanEvent(e));
        }
        events = list;
      }
    }
    return events;
  }

  /** Removes the events that match; returns how many. */
  public int removeEvents(Predicate<SpanEvent> predicate) {
    int removed = 0;
    for (int i = span.getEventsCount() - 1; i >= 0; i--) {
      if (predicate.test(new SpanEvent(span.getEventsBuilder(i)))) {
        span.removeEvents(i);
        removed++;
      }
    }
    if (removed > 0) {
      events = null;
    }
    return removed;
  }

  /** The protobuf builder, for what this view does not cover. */
  public Span.Builder proto() {
    return span;
  }
}
