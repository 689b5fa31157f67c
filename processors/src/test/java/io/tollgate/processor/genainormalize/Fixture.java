package io.tollgate.processor.genainormalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.Processor;
import io.tollgate.core.model.AttributeView;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.Values;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.core.testing.Spans;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs spans through a real {@code genai_normalize} processor and reads the result. */
final class Fixture {

  private static final ObjectMapper JSON = new ObjectMapper();

  final MeterRegistry registry = new SimpleMeterRegistry();
  final RecordingConsumer next = new RecordingConsumer();
  final Processor processor;

  Fixture() {
    this(GenAiNormalizeConfig.defaults());
  }

  Fixture(GenAiNormalizeConfig config) {
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("genai_normalize"))
            .pipeline("traces")
            .meterRegistry(registry)
            .build();
    processor = new GenAiNormalizeProcessorFactory().create(config, ctx, next);
  }

  /** Processes one span and returns it as it leaves the processor. */
  SpanRecord run(Span.Builder span) {
    next.clear();
    processor.consume(Spans.batch(span)).toCompletableFuture().join();
    return next.spans().get(0);
  }

  TraceBatch run(TraceBatch batch) {
    next.clear();
    processor.consume(batch).toCompletableFuture().join();
    return next.batches().get(0);
  }

  double counter(String name, String... tags) {
    var search = registry.find(name);
    if (tags.length > 0) {
      search = search.tags(tags);
    }
    var c = search.counter();
    return c == null ? 0 : c.count();
  }

  // ---- building spans ----

  /** A map of attributes in the order given: key, value, key, value, ... */
  static Map<String, Object> attrs(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static Span.Builder span(String name, Object... kv) {
    return Spans.span(name, attrs(kv));
  }

  static Span.Event event(String name, Object... kv) {
    Span.Event.Builder e =
        Span.Event.newBuilder().setName(name).setTimeUnixNano(1_700_000_000_500_000_000L);
    attrs(kv).forEach((k, v) -> e.addAttributes(Spans.kv(k, v)));
    return e.build();
  }

  static AnyValue strings(String... values) {
    return Values.ofStrings(List.of(values));
  }

  // ---- reading spans ----

  /** The attributes as plain Java values (String, Long, Double, Boolean, List of String). */
  static Map<String, Object> values(SpanRecord span) {
    return values(span.attributes());
  }

  static Map<String, Object> values(AttributeView a) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < a.size(); i++) {
      out.put(a.key(i), plain(a.value(i)));
    }
    return out;
  }

  static Object plain(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case INT_VALUE:
        return v.getIntValue();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      case ARRAY_VALUE:
        List<Object> l = new ArrayList<>();
        v.getArrayValue().getValuesList().forEach(e -> l.add(plain(e)));
        return l;
      default:
        return v;
    }
  }

  /** The attribute holding JSON, parsed. */
  static JsonNode json(SpanRecord span, String key) {
    String s = span.attributes().getString(key);
    if (s == null) {
      throw new AssertionError("no string attribute " + key + " in " + span.attributes());
    }
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new AssertionError(key + " is not JSON: " + s, e);
    }
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError("bad JSON in test: " + json, e);
    }
  }

  static List<String> eventNames(SpanRecord span) {
    List<String> out = new ArrayList<>();
    span.events().forEach(e -> out.add(e.name()));
    return out;
  }
}
