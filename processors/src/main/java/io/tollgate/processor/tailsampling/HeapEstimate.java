package io.tollgate.processor.tailsampling;

import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.model.TraceBatch;

/**
 * What the spans of one arrival take on the heap while buffered, estimated without walking the
 * object graph: their encoded size (strings take about their UTF-8 size, as Latin-1 compact
 * strings) plus the object overhead of the protobuf messages that hold them.
 *
 * <p>The encoded size alone would badly under-count: every attribute is a {@code KeyValue}, an
 * {@code AnyValue} and two {@code String}s with their arrays (about 150–180 bytes for some 30 bytes
 * on the wire), so spans of small attributes take 6–7× their encoded size and tiny spans more than
 * 10×. The constants were measured on JDK 17 (compressed oops) with protobuf-java 4, by buffering
 * decoded requests of several shapes and comparing heap after GC: per arrival (the trace's entry,
 * batch, resource and scope copies) about 1.3 KB, per span about 400 B, per attribute about 150–180
 * B, per event about 90 B on top of its attributes. Prompt-sized text is dominated by its encoded
 * size, where the estimate is close to exact.
 */
final class HeapEstimate {

  static final int PER_ARRIVAL = 1280;
  static final int PER_SPAN = 400;
  static final int PER_ATTRIBUTE = 160;
  static final int PER_EVENT_OR_LINK = 96;

  private HeapEstimate() {}

  /** Estimated heap bytes of {@code batch} (one trace's spans from one request) when buffered. */
  static long of(TraceBatch batch) {
    long[] overhead = {PER_ARRIVAL};
    batch.forEachSpan(
        s -> {
          Span.Builder p = s.proto();
          long attributes = p.getAttributesCount();
          int events = p.getEventsCount();
          for (int i = 0; i < events; i++) {
            attributes += p.getEvents(i).getAttributesCount();
          }
          int links = p.getLinksCount();
          for (int i = 0; i < links; i++) {
            attributes += p.getLinks(i).getAttributesCount();
          }
          overhead[0] +=
              PER_SPAN + PER_ATTRIBUTE * attributes + (long) PER_EVENT_OR_LINK * (events + links);
        });
    return batch.serializedSize() + overhead[0];
  }
}
