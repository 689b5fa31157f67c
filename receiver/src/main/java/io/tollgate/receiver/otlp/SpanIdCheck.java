package io.tollgate.receiver.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.SpanOrBuilder;
import io.tollgate.core.model.Ids;
import java.util.EnumMap;
import java.util.Map;

/**
 * Finds spans whose ids break the OTLP rules (16-byte non-zero trace id, 8-byte non-zero span id,
 * empty or 8-byte parent id). Such spans cannot be stored or joined into a trace, so the receiver
 * drops just them and reports a partial success, rather than refusing the whole request or passing
 * on spans that break every backend downstream.
 */
final class SpanIdCheck {

  private static final int MAX_NAME_IN_MESSAGE = 60;

  /** What is wrong with a span's ids; {@link #message} is the first half of a sentence. */
  enum Problem {
    TRACE_ID_LENGTH("trace_id must be 16 bytes"),
    TRACE_ID_ZERO("trace_id must not be all zeros"),
    SPAN_ID_LENGTH("span_id must be 8 bytes"),
    SPAN_ID_ZERO("span_id must not be all zeros"),
    PARENT_SPAN_ID_LENGTH("parent_span_id must be empty or 8 bytes");

    private final String message;

    Problem(String message) {
      this.message = message;
    }
  }

  /** The rejected spans of one request. */
  record Rejections(int count, String message) {}

  private SpanIdCheck() {}

  /** The first problem of a span, or {@code null} when its ids are valid. */
  static Problem problem(SpanOrBuilder span) {
    ByteString traceId = span.getTraceId();
    if (traceId.size() != 16) {
      return Problem.TRACE_ID_LENGTH;
    }
    if (!Ids.isValidTraceId(traceId)) { // the length is right, so it is all zeros
      return Problem.TRACE_ID_ZERO;
    }
    ByteString spanId = span.getSpanId();
    if (spanId.size() != 8) {
      return Problem.SPAN_ID_LENGTH;
    }
    if (!Ids.isValidSpanId(spanId)) {
      return Problem.SPAN_ID_ZERO;
    }
    int parent = span.getParentSpanId().size();
    if (parent != 0 && parent != 8) {
      return Problem.PARENT_SPAN_ID_LENGTH;
    }
    return null;
  }

  /**
   * Checks every span of {@code request}.
   *
   * @param totalSpans the number of spans in the request
   * @return {@code null} when every span is valid
   */
  static Rejections check(ExportTraceServiceRequest request, int totalSpans) {
    Map<Problem, Example> found = null;
    int count = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          Problem p = problem(span);
          if (p == null) {
            continue;
          }
          count++;
          if (found == null) {
            found = new EnumMap<>(Problem.class);
          }
          Example e = found.get(p);
          if (e == null) {
            found.put(p, new Example(span, p));
          } else {
            e.more++;
          }
        }
      }
    }
    if (found == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    sb.append(count).append(count == 1 ? " span" : " spans").append(" rejected: ");
    boolean first = true;
    for (Example e : found.values()) {
      if (!first) {
        sb.append("; ");
      }
      first = false;
      sb.append(e.problem.message).append(" (span '").append(e.name).append('\'');
      if (e.detail != null) {
        sb.append(' ').append(e.detail);
      }
      if (e.more > 0) {
        sb.append(", and ").append(e.more).append(e.more == 1 ? " more span" : " more spans");
      }
      sb.append(')');
    }
    int accepted = totalSpans - count;
    sb.append(". ");
    if (accepted > 0) {
      sb.append("The other ")
          .append(accepted)
          .append(accepted == 1 ? " span was" : " spans were")
          .append(" accepted. ");
    }
    sb.append(
        "Fix the SDK or instrumentation that made these ids (in OTLP/JSON, trace_id is 32 hex"
            + " digits and span_id 16); do not resend these spans.");
    return new Rejections(count, sb.toString());
  }

  private static final class Example {
    final Problem problem;
    final String name;
    final String detail;
    int more;

    Example(Span span, Problem problem) {
      this.problem = problem;
      String n = span.getName();
      this.name =
          n.length() > MAX_NAME_IN_MESSAGE ? n.substring(0, MAX_NAME_IN_MESSAGE) + "..." : n;
      switch (problem) {
        case TRACE_ID_LENGTH:
          detail = "had " + span.getTraceId().size();
          break;
        case SPAN_ID_LENGTH:
          detail = "had " + span.getSpanId().size();
          break;
        case PARENT_SPAN_ID_LENGTH:
          detail = "had " + span.getParentSpanId().size();
          break;
        default:
          detail = null;
      }
    }
  }
}
