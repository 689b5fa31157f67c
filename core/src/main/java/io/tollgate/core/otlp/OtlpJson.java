package io.tollgate.core.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.tollgate.core.model.Ids;
import java.io.IOException;
import java.util.Base64;

/**
 * OTLP/JSON for traces: protobuf's canonical JSON mapping with the OTLP differences — trace and
 * span ids are hex rather than base64, enums are integers, unknown fields are ignored.
 *
 * <p>Ids that are not valid hex decode to a one-byte id, which no valid id has, so that the
 * receiver rejects just those spans (partial success) instead of the whole request.
 */
public final class OtlpJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace().printingEnumsAsInts();
  private static final String INVALID_ID = Base64.getEncoder().encodeToString(new byte[] {0});

  private OtlpJson() {}

  /**
   * Decodes an OTLP/JSON export request.
   *
   * @throws InvalidProtocolBufferException when the body is not a valid OTLP/JSON request; the
   *     message says where
   */
  public static ExportTraceServiceRequest decodeRequest(byte[] json)
      throws InvalidProtocolBufferException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidProtocolBufferException("body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidProtocolBufferException("body is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidProtocolBufferException(
          "body must be a JSON object with \"resourceSpans\" (OTLP/JSON)");
    }
    forEachSpanNode(root, OtlpJson::hexToBase64);
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    try {
      PARSER.merge(MAPPER.writeValueAsString(root), b);
    } catch (JsonProcessingException e) {
      throw new InvalidProtocolBufferException(e.getMessage());
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (RuntimeException e) {
      // JsonFormat throws IllegalArgumentException and friends on some malformed shapes.
      throw new InvalidProtocolBufferException("not an OTLP/JSON request: " + e.getMessage());
    }
    return b.build();
  }

  public static String encodeRequest(ExportTraceServiceRequest request) {
    try {
      JsonNode root = MAPPER.readTree(PRINTER.print(request));
      forEachSpanNode(root, OtlpJson::base64ToHex);
      return MAPPER.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException("could not encode OTLP/JSON", e);
    }
  }

  public static String encodeResponse(ExportTraceServiceResponse response) {
    try {
      return PRINTER.print(response);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ExportTraceServiceResponse decodeResponse(byte[] json)
      throws InvalidProtocolBufferException {
    ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
    String text = new String(json, java.nio.charset.StandardCharsets.UTF_8).trim();
    if (!text.isEmpty()) {
      PARSER.merge(text, b);
    }
    return b.build();
  }

  private interface IdFix {
    void apply(ObjectNode node, String field);
  }

  private static void forEachSpanNode(JsonNode root, IdFix fix) {
    for (JsonNode rs : array(root, "resourceSpans", "resource_spans")) {
      for (JsonNode ss : array(rs, "scopeSpans", "scope_spans")) {
        for (JsonNode span : array(ss, "spans", "spans")) {
          if (!span.isObject()) {
            continue;
          }
          ObjectNode o = (ObjectNode) span;
          fixIds(o, fix, "traceId", "trace_id", "spanId", "span_id", "parentSpanId", "parent_span_id");
          for (JsonNode link : array(span, "links", "links")) {
            if (link.isObject()) {
              fixIds((ObjectNode) link, fix, "traceId", "trace_id", "spanId", "span_id");
            }
          }
        }
      }
    }
  }

  private static void fixIds(ObjectNode o, IdFix fix, String... fields) {
    for (String f : fields) {
      if (o.has(f)) {
        fix.apply(o, f);
      }
    }
  }

  private static Iterable<JsonNode> array(JsonNode parent, String camel, String snake) {
    JsonNode a = parent.has(camel) ? parent.get(camel) : parent.get(snake);
    if (a == null || !a.isArray()) {
      return java.util.List.of();
    }
    return a::elements;
  }

  private static void hexToBase64(ObjectNode node, String field) {
    JsonNode v = node.get(field);
    if (!v.isTextual()) {
      return; // let the parser report the type error
    }
    String hex = v.asText();
    String out;
    try {
      out = Base64.getEncoder().encodeToString(Ids.fromHex(hex).toByteArray());
    } catch (IllegalArgumentException e) {
      out = INVALID_ID;
    }
    node.set(field, TextNode.valueOf(out));
  }

  private static void base64ToHex(ObjectNode node, String field) {
    JsonNode v = node.get(field);
    if (v.isTextual()) {
      byte[] raw = Base64.getDecoder().decode(v.asText());
      node.set(field, TextNode.valueOf(Ids.toHex(ByteString.copyFrom(raw))));
    }
  }
}
