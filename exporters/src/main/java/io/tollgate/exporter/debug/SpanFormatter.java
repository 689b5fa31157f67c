package io.tollgate.exporter.debug;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Status;
import io.tollgate.core.model.AttributeView;
import io.tollgate.core.model.SpanEvent;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.Values;
import java.util.List;
import java.util.Locale;

/**
 * Formats spans for people reading a terminal: one {@code key=value} line per span with what
 * matters for an LLM call (model, tokens, cost), and in detailed mode every attribute and event
 * below it. Newlines inside values are escaped so that one span never looks like two.
 */
final class SpanFormatter {

  private SpanFormatter() {}

  static void basic(SpanRecord span, StringBuilder out) {
    AttributeView a = span.attributes();
    out.append("span trace_id=")
        .append(span.traceIdHex())
        .append(" span_id=")
        .append(span.spanIdHex())
        .append(" name=");
    quoted(span.name(), out);
    String service = span.serviceName();
    if (!service.isEmpty()) {
      out.append(" service=");
      quoted(service, out);
    }
    out.append(" duration_ms=")
        .append(String.format(Locale.ROOT, "%.3f", span.durationNanos() / 1e6))
        .append(" status=")
        .append(status(span.statusCode()));
    if (span.statusCode() == Status.StatusCode.STATUS_CODE_ERROR && !span.statusMessage().isEmpty()) {
      out.append('(');
      quoted(span.statusMessage(), out);
      out.append(')');
    }
    String provider = first(a, "gen_ai.provider.name", "gen_ai.system");
    if (provider != null) {
      out.append(" provider=");
      plainOrQuoted(provider, out);
    }
    String model = first(a, "gen_ai.response.model", "gen_ai.request.model");
    if (model != null) {
      out.append(" model=");
      plainOrQuoted(model, out);
    }
    Long in = a.getLong("gen_ai.usage.input_tokens");
    if (in != null) {
      out.append(" input_tokens=").append(in);
    }
    Long outTokens = a.getLong("gen_ai.usage.output_tokens");
    if (outTokens != null) {
      out.append(" output_tokens=").append(outTokens);
    }
    Double cost = a.getDouble("gen_ai.usage.cost");
    if (cost != null) {
      out.append(" cost_usd=").append(String.format(Locale.ROOT, "%.6f", cost));
    }
    AnyValue reasons = a.get("gen_ai.response.finish_reasons");
    if (reasons != null) {
      List<String> list = Values.asStrings(reasons);
      if (!list.isEmpty()) {
        out.append(" finish_reasons=");
        plainOrQuoted(String.join(",", list), out);
      }
    }
    out.append('\n');
  }

  static void detailed(SpanRecord span, StringBuilder out) {
    basic(span, out);
    out.append("  kind=").append(kind(span)).append(" scope=");
    quoted(span.scopeName(), out);
    if (!span.isRoot()) {
      out.append(" parent_span_id=").append(io.tollgate.core.model.Ids.toHex(span.parentSpanId()));
    }
    out.append('\n');
    attributes("  resource ", span.resourceAttributes(), out);
    attributes("  attr ", span.attributes(), out);
    for (SpanEvent e : span.events()) {
      out.append("  event ");
      quoted(e.name(), out);
      long offset = e.timeEpochNanos() - span.startEpochNanos();
      out.append(" at_ms=").append(String.format(Locale.ROOT, "%.3f", offset / 1e6)).append('\n');
      attributes("    attr ", e.attributes(), out);
    }
  }

  private static void attributes(String prefix, AttributeView attrs, StringBuilder out) {
    for (int i = 0; i < attrs.size(); i++) {
      out.append(prefix).append(attrs.key(i)).append('=');
      AnyValue v = attrs.value(i);
      if (v.hasStringValue()) {
        quoted(v.getStringValue(), out);
      } else {
        escaped(Values.toDisplayString(v), out);
      }
      out.append('\n');
    }
  }

  private static String first(AttributeView a, String key, String fallback) {
    String v = a.getString(key);
    if (v == null || v.isEmpty()) {
      v = a.getString(fallback);
    }
    return v == null || v.isEmpty() ? null : v;
  }

  private static String status(Status.StatusCode code) {
    switch (code) {
      case STATUS_CODE_OK:
        return "OK";
      case STATUS_CODE_ERROR:
        return "ERROR";
      default:
        return "UNSET";
    }
  }

  private static String kind(SpanRecord span) {
    String k = span.kind().name();
    return k.startsWith("SPAN_KIND_") ? k.substring("SPAN_KIND_".length()) : k;
  }

  private static void plainOrQuoted(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c > '~') {
        quoted(s, out);
        return;
      }
    }
    out.append(s);
  }

  private static void quoted(String s, StringBuilder out) {
    out.append('"');
    escaped(s, out);
    out.append('"');
  }

  private static void escaped(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < ' ') {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
  }
}
