package io.tollgate.processor.tailsampling;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.Spans;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Spans shaped like an LLM application's: an HTTP root, chat calls, tools. */
final class TestTraces {

  private TestTraces() {}

  static ByteString traceId(Random random) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    b[0] |= 1;
    return ByteString.copyFrom(b);
  }

  static ByteString spanId(long n) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) n;
      n >>>= 8;
    }
    b[0] |= 0x40;
    return ByteString.copyFrom(b);
  }

  /** A span of {@code trace}: root when {@code parent} is 0. Times in ms from an epoch. */
  static Span.Builder span(
      ByteString trace, long id, long parent, String name, long startMs, long endMs) {
    Span.Builder s =
        Spans.span(name, Map.of())
            .setTraceId(trace)
            .setSpanId(spanId(id))
            .setStartTimeUnixNano(1_700_000_000_000_000_000L + startMs * 1_000_000)
            .setEndTimeUnixNano(1_700_000_000_000_000_000L + endMs * 1_000_000);
    if (parent != 0) {
      s.setParentSpanId(spanId(parent));
    } else {
      s.setKind(Span.SpanKind.SPAN_KIND_SERVER);
    }
    return s;
  }

  static Span.Builder attr(Span.Builder s, String key, Object value) {
    return s.addAttributes(Spans.kv(key, value));
  }

  static Span.Builder error(Span.Builder s) {
    return s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
  }

  /** A chat span as genai_normalize and genai_cost leave it. */
  static Span.Builder chat(
      ByteString trace, long id, long parent, String model, long in, long out, double cost) {
    return chat(trace, id, parent, model, in, out, cost, "stop");
  }

  static Span.Builder chat(
      ByteString trace,
      long id,
      long parent,
      String model,
      long in,
      long out,
      double cost,
      String finishReason) {
    Span.Builder s = span(trace, id, parent, "chat " + model, 10, 900);
    attr(s, "gen_ai.operation.name", "chat");
    attr(s, "gen_ai.provider.name", "openai");
    attr(s, "gen_ai.request.model", model);
    attr(s, "gen_ai.response.model", model + "-2024-08-06");
    attr(s, "gen_ai.usage.input_tokens", in);
    attr(s, "gen_ai.usage.output_tokens", out);
    attr(s, "gen_ai.usage.cost", cost);
    attr(s, "gen_ai.response.finish_reasons", List.of(finishReason));
    return s;
  }

  static TraceBatch batch(Span.Builder... spans) {
    return Spans.batch(spans);
  }

  /** A batch from several services' resources, as a gateway sees them. */
  static TraceBatch batch(String service, List<Span.Builder> spans) {
    return TraceBatch.of(Spans.request(service, spans.toArray(new Span.Builder[0])));
  }
}
