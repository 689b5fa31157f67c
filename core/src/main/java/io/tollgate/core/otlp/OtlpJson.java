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
 * <p>An id that is not hex fails the whole request with a message naming the field and the span
 * (as the collector's JSON unmarshaller does): such an id means the sender's encoder is wrong, most
 * often protobuf's generic JSON mapping, which writes bytes as base64, so every span it sends is
 * affected. An id that is hex but of the wrong length decodes to its bytes, and the receiver
 * rejects just those spans (partial success).
 */
public final class OtlpJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace().printingEnumsAsInts();

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
    /**
     * Rewrites {@code node.field}.
     *
     * @throws NotHexException when the value is not a hex id
     */
    void apply(ObjectNode node, String field);
  }

  private static void forEachSpanNode(JsonNode root, IdFix fix)
      throws InvalidProtocolBufferException {
    String rsKey = key(root, "resourceSpans", "resource_spans");
    int r = 0;
    for (JsonNode rs : array(root, rsKey)) {
      String ssKey = key(rs, "scopeSpans", "scope_spans");
      int s = 0;
      for (JsonNode ss : array(rs, ssKey)) {
        int i = 0;
        for (JsonNode span : array(ss, "spans")) {
          if (span.isObject()) {
            ObjectNode o = (ObjectNode) span;
            String at = "";
            try {
              fixIds(o, fix, "traceId", "trace_id", "spanId", "span_id");
              fixIds(o, fix, "parentSpanId", "parent_span_id");
              int l = 0;
              for (JsonNode link : array(span, "links")) {
                if (link.isObject()) {
                  at = ".links[" + l + "]";
                  fixIds((ObjectNode) link, fix, "traceId", "trace_id", "spanId", "span_id");
                }
                l++;
              }
            } catch (NotHexException e) {
              throw new InvalidProtocolBufferException(
                  String.format(
                      "%s[%d].%s[%d].spans[%d]%s.%s %s",
                      rsKey, r, ssKey, s, i, at, e.field, e.getMessage()));
            }
          }
          i++;
        }
        s++;
      }
      r++;
    }
  }

  private static void fixIds(ObjectNode o, IdFix fix, String... fields) {
    for (String f : fields) {
      if (o.has(f)) {
        fix.apply(o, f);
      }
    }
  }

  /** The key the sender used: OTLP/JSON's lowerCamelCase, or the proto field name. */
  private static String key(JsonNode parent, String camel, String snake) {
    return parent.has(camel) || !parent.has(snake) ? camel : snake;
  }

  private static Iterable<JsonNode> array(JsonNode parent, String key) {
    JsonNode a = parent.get(key);
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
    checkHex(field, hex);
    byte[] id = Ids.fromHex(hex).toByteArray();
    node.set(field, TextNode.valueOf(Base64.getEncoder().encodeToString(id)));
  }

  /** Only ASCII hex digits, in pairs (Go's encoding/hex, which the collector uses, agrees). */
  private static void checkHex(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) {
        throw new NotHexException(
            field,
            "is not hex: "
                + quoted(value)
                + " has "
                + describe(c)
                + " at "
                + i
                + ". OTLP/JSON ids are hex strings (trace ids 32 digits, span ids 16)"
                + (looksLikeBase64(value)
                    ? "; this looks like base64, as protobuf's generic JSON mapping writes bytes:"
                        + " use an OTLP/JSON encoder, or send OTLP/protobuf"
                    : ""));
      }
    }
    if ((value.length() & 1) != 0) {
      throw new NotHexException(
          field,
          "is not hex: "
              + quoted(value)
              + " has an odd number of digits ("
              + value.length()
              + "). OTLP/JSON ids are hex strings (trace ids 32 digits, span ids 16)");
    }
  }

  /** Base64 of a 16- or 8-byte id (24 or 12 characters, padded as protobuf writes it). */
  private static boolean looksLikeBase64(String value) {
    if (value.length() != 24 && value.length() != 12) {
      return false;
    }
    try {
      int n = Base64.getDecoder().decode(value).length;
      return n == 16 || n == 8;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static final int MAX_ID_IN_MESSAGE = 64;

  /** The value as sent, cut short: an id is not content, but the field may hold anything. */
  private static String quoted(String value) {
    String v =
        value.length() > MAX_ID_IN_MESSAGE ? value.substring(0, MAX_ID_IN_MESSAGE) + "..." : value;
    return "\"" + v + "\"";
  }

  private static String describe(char c) {
    return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }

  /** A hex id field whose value is not hex; the walker adds where the span is. */
  private static final class NotHexException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String field;

    NotHexException(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }
  }

  private static void base64ToHex(ObjectNode node, String field) {
    JsonNode v = node.get(field);
    if (v.isTextual()) {
      byte[] raw = Base64.getDecoder().decode(v.asText());
      node.set(field, TextNode.valueOf(Ids.toHex(ByteString.copyFrom(raw))));
    }
  }
}
