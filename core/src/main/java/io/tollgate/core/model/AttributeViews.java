package io.tollgate.core.model;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;

/** The three attribute lists a processor can change, each over its protobuf builder. */
final class AttributeViews {

  private AttributeViews() {}

  static final class OfSpan extends AttributeView {
    private final Span.Builder span;

    OfSpan(Span.Builder span) {
      this.span = span;
    }

    @Override
    public int size() {
      return span.getAttributesCount();
    }

    @Override
    public KeyValue entry(int index) {
      return span.getAttributes(index);
    }

    @Override
    int find(String key, int hash) {
      int n = span.getAttributesCount();
      if (n >= HASHED_FROM) {
        return findByHash(key, hash, n);
      }
      for (int i = 0; i < n; i++) {
        if (sameKey(span.getAttributes(i).getKey(), key, hash)) {
          return i;
        }
      }
      return -1;
    }

    @Override
    void setEntry(int index, KeyValue kv) {
      span.setAttributes(index, kv);
    }

    @Override
    void addEntry(KeyValue kv) {
      span.addAttributes(kv);
    }

    @Override
    void removeEntry(int index) {
      span.removeAttributes(index);
    }
  }

  static final class OfEvent extends AttributeView {
    private final Span.Event.Builder event;

    OfEvent(Span.Event.Builder event) {
      this.event = event;
    }

    @Override
    public int size() {
      return event.getAttributesCount();
    }

    @Override
    public KeyValue entry(int index) {
      return event.getAttributes(index);
    }

    @Override
    int find(String key, int hash) {
      int n = event.getAttributesCount();
      if (n >= HASHED_FROM) {
        return findByHash(key, hash, n);
      }
      for (int i = 0; i < n; i++) {
        if (sameKey(event.getAttributes(i).getKey(), key, hash)) {
          return i;
        }
      }
      return -1;
    }

    @Override
    void setEntry(int index, KeyValue kv) {
      event.setAttributes(index, kv);
    }

    @Override
    void addEntry(KeyValue kv) {
      event.addAttributes(kv);
    }

    @Override
    void removeEntry(int index) {
      event.removeAttributes(index);
    }
  }

  /** Scans its entries: the resource is shared by every span's record (see keyHashes). */
  static final class OfResource extends AttributeView {
    private final Resource.Builder resource;

    OfResource(Resource.Builder resource) {
      this.resource = resource;
    }

    @Override
    public int size() {
      return resource.getAttributesCount();
    }

    @Override
    public KeyValue entry(int index) {
      return resource.getAttributes(index);
    }

    @Override
    int find(String key, int hash) {
      for (int i = 0, n = resource.getAttributesCount(); i < n; i++) {
        if (sameKey(resource.getAttributes(i).getKey(), key, hash)) {
          return i;
        }
      }
      return -1;
    }

    @Override
    void setEntry(int index, KeyValue kv) {
      resource.setAttributes(index, kv);
    }

    @Override
    void addEntry(KeyValue kv) {
      resource.addAttributes(kv);
    }

    @Override
    void removeEntry(int index) {
      resource.removeAttributes(index);
    }
  }
}
