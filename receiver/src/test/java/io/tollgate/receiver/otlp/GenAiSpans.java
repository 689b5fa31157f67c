package io.tollgate.receiver.otlp;

import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tollgate.core.testing.Spans;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Spans as an OpenAI instrumentation emits them, made by the real OpenTelemetry SDK. */
final class GenAiSpans {

  private GenAiSpans() {}

  /** An agent span with one {@code chat gpt-4o} child, as finished SDK spans. */
  static List<SpanData> agentWithChat() {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.builder().put("service.name", "support-bot").build())))
            .addSpanProcessor(SimpleSpanProcessor.create(memory))
            .build();
    Tracer tracer = provider.get("io.opentelemetry.openai-java-1.1", "2.18.0-alpha");
    Span agent =
        tracer
            .spanBuilder("invoke_agent support")
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute("gen_ai.operation.name", "invoke_agent")
            .setAttribute("gen_ai.agent.name", "support")
            .setAttribute("gen_ai.provider.name", "openai")
            .startSpan();
    try (Scope ignored = agent.makeCurrent()) {
      tracer
          .spanBuilder("chat gpt-4o")
          .setSpanKind(SpanKind.CLIENT)
          .setAttribute("gen_ai.operation.name", "chat")
          .setAttribute("gen_ai.provider.name", "openai")
          .setAttribute("gen_ai.request.model", "gpt-4o")
          .setAttribute("gen_ai.request.temperature", 0.2)
          .setAttribute("gen_ai.request.max_tokens", 512L)
          .setAttribute("gen_ai.response.id", "chatcmpl-9xQq3")
          .setAttribute("gen_ai.response.model", "gpt-4o-2024-08-06")
          .setAttribute(stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop"))
          .setAttribute("gen_ai.usage.input_tokens", 1200L)
          .setAttribute("gen_ai.usage.output_tokens", 85L)
          .setAttribute("server.address", "api.openai.com")
          .setAttribute("server.port", 443L)
          .startSpan()
          .end();
    } finally {
      agent.end();
    }
    List<SpanData> finished = memory.getFinishedSpanItems(); // shutdown() clears them
    provider.shutdown();
    return finished;
  }

  /** A request holding one valid chat span. */
  static ExportTraceServiceRequest chatRequest() {
    return Spans.request(
        "support-bot",
        Spans.span(
            "chat gpt-4o",
            Map.of(
                "gen_ai.operation.name", "chat",
                "gen_ai.provider.name", "openai",
                "gen_ai.request.model", "gpt-4o",
                "gen_ai.usage.input_tokens", 1200L,
                "gen_ai.usage.output_tokens", 85L)));
  }

  /** A request whose single span carries a prompt of {@code bytes} bytes. */
  static ExportTraceServiceRequest requestOfSize(int bytes) {
    return Spans.request(
        "support-bot",
        Spans.span(
            "chat gpt-4o",
            Map.of("gen_ai.operation.name", "chat", "gen_ai.input.messages", "a".repeat(bytes))));
  }

  /** Three spans: one with a 3-byte trace id, one with an all-zero span id, one valid. */
  static ExportTraceServiceRequest requestWithBadIds() {
    return Spans.request(
        "support-bot",
        Spans.span("chat gpt-4o", Map.of("gen_ai.request.model", "gpt-4o"))
            .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3})),
        Spans.span("embeddings text-embedding-3-small", Map.of())
            .setSpanId(ByteString.copyFrom(new byte[8])),
        Spans.span("execute_tool get_weather", Map.of("gen_ai.tool.name", "get_weather")));
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  /**
   * A gzip bomb: {@code mib} MiB of zeros in about a KiB per MiB. Written as one gzip member per
   * MiB (RFC 1952 allows several; every gzip reader inflates them all), because deflating a
   * gibibyte in one member takes tens of seconds on a loaded CI machine.
   */
  static byte[] gzipBomb(int mib) throws IOException {
    byte[] member = gzip(new byte[1024 * 1024]);
    ByteArrayOutputStream out = new ByteArrayOutputStream(member.length * mib + 64);
    // Inflated, it starts like a valid request: an unknown length-delimited field (number 2) as
    // long as the zeros that follow, so that a streaming parser has to read on rather than stop
    // at the first byte.
    ByteArrayOutputStream prefix = new ByteArrayOutputStream();
    com.google.protobuf.CodedOutputStream cos =
        com.google.protobuf.CodedOutputStream.newInstance(prefix);
    cos.writeTag(2, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
    cos.writeUInt64NoTag((long) mib * 1024 * 1024);
    cos.flush();
    out.write(gzip(prefix.toByteArray()));
    writeRepeated(out, member, mib);
    return out.toByteArray();
  }

  private static void writeRepeated(OutputStream out, byte[] chunk, int times) throws IOException {
    for (int i = 0; i < times; i++) {
      out.write(chunk);
    }
  }
}
