package io.tollgate.processor.genainormalize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;

/** JSON reading and writing with numbers kept exactly as sent. */
final class Json {

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  // BigDecimal floats, trailing zeros kept: a tool argument such as 0.1000000000000000055 or 1.50
  // must come out as it went in.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          // "5 apples" is prose, not the number 5.
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  // For reading fields of a JSON object an SDK wrote: Python's json.dumps writes float("inf") as
  // the bare word Infinity (the Langfuse OpenAI integration's max_tokens when none was set), which
  // strict JSON rejects, losing the whole object.
  private static final ObjectMapper LENIENT =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  /** The JSON document in {@code text}, or null when it is not JSON (or is blank). */
  static JsonNode parse(String text) {
    if (text == null) {
      return null;
    }
    int i = 0;
    int n = text.length();
    while (i < n && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    if (i == n) {
      return null;
    }
    char c = text.charAt(i);
    // Cheap rejection of plain prose before asking the parser.
    if (c != '{'
        && c != '['
        && c != '"'
        && c != '-'
        && !Character.isDigit(c)
        && c != 't'
        && c != 'f'
        && c != 'n') {
      return null;
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException | RuntimeException e) {
      return null;
    }
  }

  /** Like {@link #parse} but only objects and arrays; null for anything else. */
  static JsonNode parseContainer(String text) {
    JsonNode n = parse(text);
    return n != null && n.isContainerNode() ? n : null;
  }

  /**
   * The JSON object in {@code text}, accepting {@code NaN} and {@code Infinity} as numbers; null
   * when {@code text} holds no object. Only for reading fields: what it returns is never written.
   */
  static JsonNode parseObjectLenient(String text) {
    if (text == null || text.isBlank() || text.strip().charAt(0) != '{') {
      return null;
    }
    try {
      JsonNode n = LENIENT.readTree(text);
      return n != null && n.isObject() ? n : null;
    } catch (JsonProcessingException | RuntimeException e) {
      return null;
    }
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static ArrayNode array() {
    return NODES.arrayNode();
  }

  /** An OTLP value as JSON: maps become objects, arrays arrays, bytes base64. */
  static JsonNode of(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return NODES.textNode(v.getStringValue());
      case BOOL_VALUE:
        return NODES.booleanNode(v.getBoolValue());
      case INT_VALUE:
        return NODES.numberNode(v.getIntValue());
      case DOUBLE_VALUE:
        return NODES.numberNode(v.getDoubleValue());
      case ARRAY_VALUE:
        ArrayNode a = array();
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          a.add(of(e));
        }
        return a;
      case KVLIST_VALUE:
        ObjectNode o = object();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          o.set(kv.getKey(), of(kv.getValue()));
        }
        return o;
      case BYTES_VALUE:
        return NODES.textNode(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      default:
        return NODES.nullNode();
    }
  }

  /** The text of a string node, or null for anything else. */
  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }
}
