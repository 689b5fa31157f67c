package io.tollgate.exporter.testing;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.Spans;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Spans shaped like the OpenAI instrumentation's chat spans (GenAI semantic conventions). */
public final class TestSpans {

  private TestSpans() {}

  public static Span.Builder chat() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("gen_ai.operation.name", "chat");
    a.put("gen_ai.provider.name", "openai");
    a.put("gen_ai.request.model", "gpt-4o");
    a.put("gen_ai.response.model", "gpt-4o-2024-08-06");
    a.put("gen_ai.response.id", "chatcmpl-9x");
    a.put("gen_ai.usage.input_tokens", 120L);
    a.put("gen_ai.usage.output_tokens", 45L);
    a.put("gen_ai.response.finish_reasons", List.of("stop"));
    a.put("server.address", "api.openai.com");
    return Spans.span("chat gpt-4o", a)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_UNSET));
  }

  /** A batch of {@code n} chat spans. */
  public static TraceBatch batch(int n) {
    Span.Builder[] spans = new Span.Builder[n];
    for (int i = 0; i < n; i++) {
      spans[i] = chat();
    }
    return Spans.batch(spans);
  }
}
