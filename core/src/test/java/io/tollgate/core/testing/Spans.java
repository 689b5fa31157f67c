package io.tollgate.core.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.Values;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Builders for spans in tests. */
public final class Spans {

  private Spans() {}

  public static ByteString randomTraceId() {
    byte[] b = new byte[16];
    ThreadLocalRandom.current().nextBytes(b);
    b[0] |= 1;
    return ByteString.copyFrom(b);
  }

  public static ByteString randomSpanId() {
    byte[] b = new byte[8];
    ThreadLocalRandom.current().nextBytes(b);
    b[0] |= 1;
    return ByteString.copyFrom(b);
  }

  public static ByteString traceId(int n) {
    byte[] b = new byte[16];
    Arrays.fill(b, (byte) 0);
    b[0] = 1;
    b[12] = (byte) (n >>> 24);
    b[13] = (byte) (n >>> 16);
    b[14] = (byte) (n >>> 8);
    b[15] = (byte) n;
    return ByteString.copyFrom(b);
  }

  public static KeyValue kv(String key, Object value) {
    AnyValue v;
    if (value instanceof String) {
      v = Values.of((String) value);
    } else if (value instanceof Integer || value instanceof Long) {
      v = Values.of(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      v = Values.of(((Number) value).doubleValue());
    } else if (value instanceof Boolean) {
      v = Values.of((Boolean) value);
    } else if (value instanceof java.util.List) {
      @SuppressWarnings("unchecked")
      java.util.List<String> l = (java.util.List<String>) value;
      v = Values.ofStrings(l);
    } else if (value instanceof AnyValue) {
      v = (AnyValue) value;
    } else {
      throw new IllegalArgumentException("unsupported attribute value " + value);
    }
    return KeyValue.newBuilder().setKey(key).setValue(v).build();
  }

  /** A span with the given attributes (insertion order kept). */
  public static Span.Builder span(String name, Map<String, ?> attributes) {
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(randomTraceId())
            .setSpanId(randomSpanId())
            .setName(name)
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .setStartTimeUnixNano(1_700_000_000_000_000_000L)
            .setEndTimeUnixNano(1_700_000_001_000_000_000L);
    attributes.forEach((k, v) -> b.addAttributes(kv(k, v)));
    return b;
  }

  /** One resource ({@code service.name}) and one scope holding {@code spans}. */
  public static ExportTraceServiceRequest request(String service, Span.Builder... spans) {
    ScopeSpans.Builder ss =
        ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test"));
    for (Span.Builder s : spans) {
      ss.addSpans(s);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", service)))
                .addScopeSpans(ss))
        .build();
  }

  public static TraceBatch batch(Span.Builder... spans) {
    return TraceBatch.of(request("test-service", spans));
  }
}
