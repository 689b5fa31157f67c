package io.tollgate.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.tollgate.core.testing.Spans;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceBatchTest {

  @Test
  void attributesReadAndWriteThroughTheView() {
    TraceBatch batch =
        Spans.batch(
            Spans.span(
                "chat gpt-4o",
                Map.of("gen_ai.request.model", "gpt-4o", "gen_ai.usage.input_tokens", "120")));
    SpanRecord span = batch.spans().get(0);

    assertThat(span.attributes().getString("gen_ai.request.model")).isEqualTo("gpt-4o");
    // Token counts sent as strings still read as numbers.
    assertThat(span.attributes().getLong("gen_ai.usage.input_tokens")).isEqualTo(120L);

    span.attributes().put("gen_ai.usage.input_tokens", 121L);
    span.attributes().put("gen_ai.usage.cost", 0.25);
    span.attributes().remove("gen_ai.request.model");

    SpanRecord again = batch.spans().get(0);
    assertThat(again.attributes().getLong("gen_ai.usage.input_tokens")).isEqualTo(121L);
    assertThat(again.attributes().getDouble("gen_ai.usage.cost")).isEqualTo(0.25);
    assertThat(again.attributes().contains("gen_ai.request.model")).isFalse();
    assertThat(again.attributes().size()).isEqualTo(2);
  }

  @Test
  void groupByTraceKeepsResourceAndScopeAndLosesNothing() {
    var a1 = Spans.span("a1", Map.of()).setTraceId(Spans.traceId(1));
    var b1 = Spans.span("b1", Map.of()).setTraceId(Spans.traceId(2));
    var a2 = Spans.span("a2", Map.of()).setTraceId(Spans.traceId(1));
    TraceBatch batch = TraceBatch.of(Spans.request("svc", a1, b1, a2));

    Map<ByteString, TraceBatch> byTrace = batch.groupByTrace();

    assertThat(byTrace).hasSize(2);
    TraceBatch t1 = byTrace.get(Spans.traceId(1));
    assertThat(t1.spans()).extracting(SpanRecord::name).containsExactly("a1", "a2");
    assertThat(t1.spans().get(0).serviceName()).isEqualTo("svc");
    assertThat(t1.spans().get(0).scopeName()).isEqualTo("test");
    assertThat(byTrace.get(Spans.traceId(2)).spanCount()).isEqualTo(1);
    assertThat(batch.spanCount()).isEqualTo(3);
  }

  @Test
  void removeSpansPrunesEmptyContainers() {
    TraceBatch batch = Spans.batch(Spans.span("keep", Map.of()), Spans.span("drop", Map.of()));
    assertThat(batch.removeSpans(s -> s.name().equals("drop"))).isEqualTo(1);
    assertThat(batch.spans()).extracting(SpanRecord::name).containsExactly("keep");
    batch.removeSpans(s -> true);
    assertThat(batch.resourceSpansBuilders()).isEmpty();
    assertThat(batch.isEmpty()).isTrue();
  }

  @Test
  void splitHonoursTheLimitAndKeepsOrder() {
    TraceBatch batch =
        Spans.batch(
            Spans.span("1", Map.of()),
            Spans.span("2", Map.of()),
            Spans.span("3", Map.of()),
            Spans.span("4", Map.of()),
            Spans.span("5", Map.of()));
    List<TraceBatch> parts = batch.split(2);
    assertThat(parts).extracting(TraceBatch::spanCount).containsExactly(2, 2, 1);
    assertThat(parts.get(2).spans().get(0).name()).isEqualTo("5");
    assertThat(parts.get(2).spans().get(0).serviceName()).isEqualTo("test-service");
  }

  @Test
  void copyIsIndependent() {
    TraceBatch batch = Spans.batch(Spans.span("s", Map.of("k", "v")));
    TraceBatch copy = batch.copy();
    copy.spans().get(0).attributes().put("k", "changed");
    assertThat(batch.spans().get(0).attributes().getString("k")).isEqualTo("v");
  }

  @Test
  void serializedSizeMatchesTheEncodedRequest() {
    TraceBatch batch =
        Spans.batch(Spans.span("s", Map.of("k", "v".repeat(1000))), Spans.span("t", Map.of()));
    assertThat(batch.serializedSize()).isEqualTo(batch.toRequest().getSerializedSize());
  }
}
