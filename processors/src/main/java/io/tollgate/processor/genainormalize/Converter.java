package io.tollgate.processor.genainormalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.tollgate.core.model.Values;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.FinishReasons;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Converts source values to their targets' types. Stateless; shared by a processor's threads. */
final class Converter {

  /** What the span says about why generation stopped, for the finish_reason of output messages. */
  interface Context {
    /** The span's finish reasons as resolved so far, or an empty list. */
    List<String> finishReasons();

    /** {@code v} read as Langfuse's usage details (parsed once per span), or null. */
    default LangfuseUsage langfuseUsage(AnyValue v) {
      return v.hasStringValue() ? LangfuseUsage.parse(v.getStringValue()) : null;
    }
  }

  private final MappingTable table;
  private final FinishReasons mode;

  Converter(MappingTable table, FinishReasons mode) {
    this.table = table;
    this.mode = mode;
  }

  /** Converts {@code v} (the source's value, or its JSON field) for {@code rule}. */
  Converted convert(Rule rule, AnyValue v, Context ctx) {
    if (v == null) {
      return Converted.ABSENT;
    }
    if (rule.values() != null) {
      String s = scalar(v);
      String mapped = s == null ? null : rule.values().get(s.trim().toLowerCase(Locale.ROOT));
      return mapped == null ? Converted.FAILED : Converted.of(Values.of(mapped));
    }
    if (rule.type() == ValueType.LANGFUSE_USAGE) {
      LangfuseUsage usage = ctx.langfuseUsage(v);
      return usage == null ? Converted.FAILED : usage.count(rule.target());
    }
    return convert(rule.type(), v, ctx);
  }

  Converted convert(ValueType type, AnyValue v, Context ctx) {
    switch (type) {
      case STRING:
        {
          if (v.hasStringValue()) {
            return Converted.of(v);
          }
          String s = scalar(v);
          return s == null ? Converted.FAILED : Converted.of(Values.of(s));
        }
      case JSON_STRING:
        {
          if (v.hasStringValue()
              && !v.getStringValueBytes().isEmpty()
              && v.getStringValueBytes().byteAt(0) == '"') {
            JsonNode n = Json.parse(v);
            if (n != null && n.isTextual()) {
              return Converted.of(Values.of(n.asText()));
            }
          }
          return convert(ValueType.STRING, v, ctx);
        }
      case INT:
        {
          Long l = wholeNumber(v);
          if (l == null) {
            return Converted.FAILED;
          }
          return Converted.of(v.hasIntValue() ? v : Values.of(l));
        }
      case DOUBLE:
        {
          Double d = Values.asDouble(v);
          if (d == null) {
            return Converted.FAILED;
          }
          return Converted.of(v.hasDoubleValue() ? v : Values.of(d));
        }
      case BOOL:
        {
          Boolean b = Values.asBoolean(v);
          if (b == null) {
            return Converted.FAILED;
          }
          return Converted.of(v.hasBoolValue() ? v : Values.of(b));
        }
      case STRING_ARRAY:
        {
          List<String> l = strings(v);
          return l == null ? Converted.FAILED : Converted.of(Values.ofStrings(l));
        }
      case PROVIDER:
        {
          String s = v.hasStringValue() ? v.getStringValue().trim() : "";
          return s.isEmpty() ? Converted.FAILED : Converted.of(Values.of(table.provider(s)));
        }
      case FINISH_REASONS:
        return finishReasons(strings(v));
      case OUTPUT_TYPE:
        return outputType(v);
      case SECONDS_FROM_MS:
        {
          Double ms = Values.asDouble(v);
          return ms == null || ms < 0 ? Converted.FAILED : Converted.of(Values.of(ms / 1000.0));
        }
      case ANY:
        return Converted.of(v);
      case JSON:
        {
          // Checked and kept as it came (the value itself moves to the target): read from bytes.
          JsonNode n = Json.parseContainer(v);
          return n == null ? Converted.FAILED : new Converted(v, n, null);
        }
      case LANGFUSE_USAGE:
        throw new IllegalStateException("usage details are read per target: convert(Rule, ...)");
      default:
        return messages(type, v, ctx);
    }
  }

  /** Reasons as sent → the reasons to write (by {@code finish_reasons} mode), remembering both. */
  Converted finishReasons(List<String> raw) {
    if (raw == null || raw.isEmpty()) {
      return Converted.FAILED;
    }
    List<String> out = raw;
    if (mode == FinishReasons.CONVENTIONS) {
      out = new ArrayList<>(raw.size());
      for (String r : raw) {
        String m = table.finishReason(r);
        out.add(m != null ? m : r);
      }
    }
    return new Converted(Values.ofStrings(out), null, List.copyOf(raw));
  }

  /** The finish_reason of an output message: always the conventions' enum when known. */
  String messageFinishReason(String raw) {
    if (raw == null) {
      return null;
    }
    String m = table.finishReason(raw);
    return m != null ? m : raw;
  }

  private Converted outputType(AnyValue v) {
    if (!v.hasStringValue()) {
      return Converted.FAILED;
    }
    String s = v.getStringValue().trim();
    JsonNode n = Json.parseContainer(s);
    if (n != null) { // {"type": "json_schema", "json_schema": {...}}
      s = n.path("type").asText("");
    }
    switch (s.toLowerCase(Locale.ROOT)) {
      case "json_object":
      case "json_schema":
      case "json":
        return Converted.of(Values.of("json"));
      case "text":
        return Converted.of(Values.of("text"));
      default:
        return Converted.FAILED;
    }
  }

  private Converted messages(ValueType type, AnyValue v, Context ctx) {
    if (type == ValueType.VERCEL_TOOLS) {
      return vercelTools(v);
    }
    if (!v.hasStringValue() || v.getStringValueBytes().isEmpty()) {
      return Converted.FAILED;
    }
    // JSON is parsed from the UTF-8 bytes, and text that becomes the text of a message is copied
    // as those bytes: neither is read as a String.
    switch (type) {
      case SYSTEM_TEXT:
        return Converted.ofJson(Json.array().add(Messages.textPart(Json.textOf(v))));
      case USER_TEXT:
        return Converted.ofJson(Json.array().add(text(Messages.USER, v)));
      case ASSISTANT_TEXT:
        {
          ObjectNode m = text(Messages.ASSISTANT, v);
          Messages.setFinishReason(m, firstFinishReason(ctx));
          return Converted.ofJson(Json.array().add(m));
        }
      case CHAT_MESSAGES:
      case VERCEL_MESSAGES:
        {
          JsonNode n = Json.parseContainer(v);
          if (n == null) {
            return type == ValueType.CHAT_MESSAGES
                ? Converted.ofJson(Json.array().add(text(Messages.USER, v)))
                : Converted.FAILED;
          }
          ArrayNode out = Messages.fromChatMessages(n, Messages.USER, this::messageFinishReason);
          return out == null ? Converted.FAILED : Converted.ofJson(out);
        }
      case CHAT_COMPLETIONS:
        {
          JsonNode n = Json.parseContainer(v);
          ArrayNode out;
          if (n == null) {
            out = Json.array().add(text(Messages.ASSISTANT, v));
          } else {
            out = Messages.fromChatMessages(n, Messages.ASSISTANT, this::messageFinishReason);
            if (out == null) {
              return Converted.FAILED;
            }
          }
          applyFinishReasons(out, ctx);
          return Converted.ofJson(out);
        }
      default:
        throw new IllegalStateException("not a message type: " + type);
    }
  }

  /** Gives output messages without a finish_reason the span's, when it is unambiguous. */
  void applyFinishReasons(ArrayNode messages, Context ctx) {
    List<String> reasons = ctx.finishReasons();
    if (reasons.isEmpty()) {
      return;
    }
    boolean oneEach = reasons.size() == messages.size();
    if (!oneEach && messages.size() != 1) {
      return;
    }
    for (int i = 0; i < messages.size(); i++) {
      ObjectNode m = (ObjectNode) messages.get(i);
      if (!m.has("finish_reason")) {
        Messages.setFinishReason(m, messageFinishReason(reasons.get(oneEach ? i : 0)));
      }
    }
  }

  private String firstFinishReason(Context ctx) {
    List<String> reasons = ctx.finishReasons();
    return reasons.isEmpty() ? null : messageFinishReason(reasons.get(0));
  }

  private static ObjectNode text(String role, AnyValue content) {
    ObjectNode m = Messages.message(role);
    Messages.parts(m).add(Messages.textPart(Json.textOf(content)));
    return m;
  }

  /** Vercel's ai.prompt.tools: an array of JSON strings, one tool definition each. */
  private static Converted vercelTools(AnyValue v) {
    List<JsonNode> defs = new ArrayList<>();
    if (v.hasArrayValue()) {
      for (AnyValue e : v.getArrayValue().getValuesList()) {
        JsonNode n = Json.parseContainer(e);
        if (n == null) {
          return Converted.FAILED;
        }
        defs.add(n);
      }
    } else if (v.hasStringValue()) {
      JsonNode n = Json.parseContainer(v);
      if (n == null) {
        return Converted.FAILED;
      }
      if (n.isArray()) {
        for (JsonNode e : n) {
          defs.add(e.isTextual() ? Json.parseContainer(e.asText()) : e);
        }
      } else {
        defs.add(n);
      }
    } else {
      return Converted.FAILED;
    }
    ArrayNode out = Json.array();
    for (JsonNode d : defs) {
      ObjectNode def = Messages.toolDefinition(d);
      if (def == null) {
        return Converted.FAILED;
      }
      out.add(def);
    }
    return out.isEmpty() ? Converted.FAILED : Converted.ofJson(out);
  }

  /** A scalar as text (what a string target accepts), or null for arrays, maps and bytes. */
  static String scalar(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case BOOL_VALUE:
        return Boolean.toString(v.getBoolValue());
      case INT_VALUE:
        return Long.toString(v.getIntValue());
      case DOUBLE_VALUE:
        return Double.toString(v.getDoubleValue());
      default:
        return null;
    }
  }

  /**
   * A count: int, integral double, or a string holding either ("120", "120.0"). Null for anything
   * else, negative numbers included (no count is negative; such a value is kept as sent).
   */
  static Long wholeNumber(AnyValue v) {
    Long l;
    if (v.hasStringValue()) {
      String s = v.getStringValue().trim();
      try {
        l = Long.parseLong(s);
      } catch (NumberFormatException e) {
        l = Values.asLong(Values.of(parseDoubleOrNaN(s)));
      }
    } else {
      l = Values.asLong(v);
    }
    return l != null && l >= 0 ? l : null;
  }

  private static double parseDoubleOrNaN(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * Strings of a value: an array of scalars, a JSON array of strings held in a string, or one
   * string. Null when neither.
   */
  static List<String> strings(AnyValue v) {
    if (v.hasArrayValue()) {
      List<String> out = new ArrayList<>(v.getArrayValue().getValuesCount());
      for (AnyValue e : v.getArrayValue().getValuesList()) {
        String s = scalar(e);
        if (s == null) {
          return null;
        }
        out.add(s);
      }
      return out;
    }
    if (v.hasStringValue()) {
      String s = v.getStringValue();
      JsonNode n = s.startsWith("[") ? Json.parseContainer(s) : null;
      if (n != null && n.isArray()) {
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
          if (!e.isValueNode() || e.isNull()) {
            return null;
          }
          out.add(e.asText());
        }
        return out;
      }
      return List.of(s);
    }
    return null;
  }
}
