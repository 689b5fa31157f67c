package io.tollgate.exporter.otlpgrpc;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.core.testing.RandomTraces;

/** Requests with prompt-sized text, larger than one chunk of an encoding. */
public final class LargeRequests {

  private LargeRequests() {}

  /** A seeded request of more than {@code bytes} encoded bytes. */
  public static ExportTraceServiceRequest over(int bytes) {
    RandomTraces random = new RandomTraces(17, false).maxPromptWords(3000);
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    while (b.build().getSerializedSize() <= bytes) {
      b.addResourceSpans(random.resourceSpans(10));
    }
    return b.build();
  }
}
