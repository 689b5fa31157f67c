package io.tollgate.core.model;

import io.opentelemetry.proto.trace.v1.Span;

/** A mutable view of one span event. */
public final class SpanEvent {

  private final Span.Event.Builder event;
  private final AttributeView attributes;

  SpanEvent(Span.Event.Builder event) {
    this.event = event;
    this.attributes = new AttributeViews.OfEvent(event);
  }

  public String name() {
    return event.getName();
  }

  public void setName(String name) {
    event.setName(name);
  }

  public long timeEpochNanos() {
    return event.getTimeUnixNano();
  }

  public AttributeView attributes() {
    return attributes;
  }

  /** The protobuf builder, for what this view does not cover. */
  public Span.Event.Builder proto() {
    return event;
  }
}
