package io.tollgate.processor.genainormalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Builds the conventions' message JSON ({@code gen_ai.input.messages}, {@code
 * gen_ai.output.messages}, {@code gen_ai.system_instructions}, {@code gen_ai.tool.definitions})
 * from the shapes the dialects use: OpenAI chat messages, Anthropic and Vercel content parts.
 *
 * <p>Shape (semantic conventions 1.41.1, gen-ai-input-messages.json / -output-messages.json):
 * {@code {"role": ..., "parts": [{"type": "text", "content": ...}, {"type": "tool_call", "id",
 * "name", "arguments"}, {"type": "tool_call_response", "id", "response"}, ...], "name"?,
 * "finish_reason"?}}. Fields of a source message or part that have no place in that shape are
 * carried over under their own names rather than dropped, and part types the conventions do not
 * list are copied unchanged (the schema allows generic parts).
 */
final class Messages {

  static final String SYSTEM = "system";
  static final String USER = "user";
  static final String ASSISTANT = "assistant";
  static final String TOOL = "tool";

  private static final Set<String> CHAT_MESSAGE_FIELDS =
      Set.of(
          "role",
          "content",
          "tool_calls",
          "tool_call_id",
          "name",
          "function_call",
          "finish_reason",
          "index",
          "parts");

  private Messages() {}

  static ObjectNode message(String role) {
    ObjectNode m = Json.object(5); // role, parts; a tool call id, a name, a finish reason
    m.put("role", role);
    m.set("parts", Json.array(2)); // mostly one part: the text
    return m;
  }

  static ArrayNode parts(ObjectNode message) {
    return (ArrayNode) message.get("parts");
  }

  static ObjectNode textPart(String content) {
    return textPart(Json.NODES.textNode(content));
  }

  /** A text part whose content is {@code content}, a string node (kept, not copied). */
  static ObjectNode textPart(JsonNode content) {
    ObjectNode p = Json.object(2);
    p.put("type", "text");
    p.set("content", content);
    return p;
  }

  static ObjectNode reasoningPart(JsonNode content) {
    ObjectNode p = Json.object(2);
    p.put("type", "reasoning");
    p.set("content", content);
    return p;
  }

  static ObjectNode toolCallPart(String id, String name, JsonNode arguments) {
    ObjectNode p = Json.object(4);
    p.put("type", "tool_call");
    if (id != null) {
      p.put("id", id);
    }
    if (name != null) {
      p.put("name", name);
    }
    if (arguments != null && !arguments.isNull()) {
      p.set("arguments", arguments);
    }
    return p;
  }

  static ObjectNode toolResponsePart(String id, JsonNode response) {
    ObjectNode p = Json.object(3);
    p.put("type", "tool_call_response");
    if (id != null) {
      p.put("id", id);
    }
    p.set("response", response == null ? Json.NODES.nullNode() : response);
    return p;
  }

  /** Tool arguments: a JSON object or array as structure, anything else as the string sent. */
  static JsonNode arguments(String raw) {
    if (raw == null) {
      return null;
    }
    JsonNode parsed = Json.parseContainer(raw);
    return parsed != null ? parsed : Json.NODES.textNode(raw);
  }

  private static JsonNode argumentsNode(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    return node.isTextual() ? arguments(node.asText()) : node.deepCopy();
  }

  static void setFinishReason(ObjectNode message, String reason) {
    if (reason != null && !reason.isEmpty()) {
      message.put("finish_reason", reason);
    }
  }

  /**
   * Adds {@code content} as parts: a JSON list of typed parts (as OpenLLMetry writes multimodal or
   * Anthropic content) part by part, any other text as one text part.
   */
  static void addContent(ArrayNode parts, String content, boolean detectJsonParts) {
    if (detectJsonParts && addPartList(parts, Json.parseContainer(content))) {
      return;
    }
    parts.add(textPart(content));
  }

  /** {@link #addContent(ArrayNode, String, boolean)} of a string value, read from its bytes. */
  static void addContent(ArrayNode parts, AnyValue content, boolean detectJsonParts) {
    if (detectJsonParts && addPartList(parts, Json.parseContainer(content))) {
      return;
    }
    parts.add(textPart(Json.textOf(content)));
  }

  private static boolean addPartList(ArrayNode parts, JsonNode n) {
    if (n == null || !isPartList(n)) {
      return false;
    }
    for (JsonNode p : n) {
      parts.add(convertPart(p));
    }
    return true;
  }

  private static boolean isPartList(JsonNode n) {
    if (!n.isArray() || n.isEmpty()) {
      return false;
    }
    for (JsonNode p : n) {
      if (!p.isObject() || !p.path("type").isTextual()) {
        return false;
      }
    }
    return true;
  }

  /** One content part of OpenAI, Anthropic or the Vercel AI SDK in the conventions' shape. */
  static ObjectNode convertPart(JsonNode p) {
    String type = p.path("type").asText("");
    ObjectNode out = Json.object();
    switch (type) {
      case "text":
        if (p.path("text").isTextual()) {
          out.put("type", "text");
          out.set("content", p.get("text")); // the string node as read: text stays bytes
          return carry(out, p, "type", "text");
        }
        break;
      case "reasoning":
        if (p.path("text").isTextual()) {
          out.put("type", "reasoning");
          out.set("content", p.get("text")); // the string node as read: text stays bytes
          return carry(out, p, "type", "text");
        }
        break;
      case "thinking": // Anthropic extended thinking
        if (p.path("thinking").isTextual()) {
          out.put("type", "reasoning");
          out.set("content", p.get("thinking")); // the string node as read: text stays bytes
          return carry(out, p, "type", "thinking");
        }
        break;
      case "tool-call": // Vercel AI SDK (v5: input, v4: args)
        {
          JsonNode args = p.has("input") ? p.get("input") : p.get("args");
          ObjectNode part =
              toolCallPart(
                  Json.text(p, "toolCallId"), p.path("toolName").asText(null), argumentsNode(args));
          return carry(part, p, "type", "toolCallId", "toolName", "input", "args");
        }
      case "tool_use": // Anthropic
        {
          ObjectNode part =
              toolCallPart(
                  Json.text(p, "id"), p.path("name").asText(null), argumentsNode(p.get("input")));
          return carry(part, p, "type", "id", "name", "input");
        }
      case "tool-result": // Vercel AI SDK (v5: output, v4: result)
        {
          JsonNode response = p.has("output") ? p.get("output") : p.get("result");
          ObjectNode part =
              toolResponsePart(
                  Json.text(p, "toolCallId"), response == null ? null : response.deepCopy());
          return carry(part, p, "type", "toolCallId", "output", "result");
        }
      case "tool_result": // Anthropic
        {
          JsonNode response = p.get("content");
          ObjectNode part =
              toolResponsePart(
                  Json.text(p, "tool_use_id"), response == null ? null : response.deepCopy());
          return carry(part, p, "type", "tool_use_id", "content");
        }
      case "image_url": // OpenAI
        {
          JsonNode image = p.get("image_url");
          if (image != null && image.path("url").isTextual()) {
            out.put("type", "uri");
            out.put("modality", "image");
            out.put("uri", image.get("url").asText());
            carry(out, image, "url");
            return carry(out, p, "type", "image_url");
          }
          break;
        }
      default:
        break;
    }
    return p.isObject() ? ((ObjectNode) p).deepCopy() : out;
  }

  /**
   * One chat message in OpenAI's shape ({@code role}, {@code content} as text or parts, {@code
   * tool_calls}, {@code tool_call_id}, {@code name}), also accepted with Vercel or Anthropic
   * content parts. Returns null when {@code m} is not a message.
   *
   * @param finish maps a finish reason as sent to the one to write
   */
  static ObjectNode fromChatMessage(
      JsonNode m, String defaultRole, boolean detectJsonParts, UnaryOperator<String> finish) {
    if (m == null) {
      return null;
    }
    if (m.isTextual()) {
      ObjectNode msg = message(defaultRole);
      parts(msg).add(textPart(m));
      return msg;
    }
    if (!m.isObject()) {
      return null;
    }
    JsonNode roleNode = m.get("role");
    if (roleNode != null && !roleNode.isTextual()) {
      return null;
    }
    String role = roleNode != null ? roleNode.asText() : defaultRole;
    ObjectNode msg = message(role);
    ArrayNode parts = parts(msg);
    String toolCallId = Json.text(m, "tool_call_id");
    JsonNode content = m.get("content");
    if (content != null && !content.isNull()) {
      if (content.isTextual()) {
        if (TOOL.equals(role)) {
          parts.add(toolResponsePart(toolCallId, content.deepCopy()));
          toolCallId = null;
        } else {
          if (detectJsonParts) {
            addContent(parts, content.asText(), true);
          } else {
            parts.add(textPart(content)); // the string node as read: a message's text stays bytes
          }
        }
      } else if (content.isArray()) {
        for (JsonNode p : content) {
          if (p.isTextual()) {
            parts.add(textPart(p));
          } else if (p.isObject()) {
            parts.add(convertPart(p));
          } else {
            return null;
          }
        }
      } else if (TOOL.equals(role)) {
        parts.add(toolResponsePart(toolCallId, content.deepCopy()));
        toolCallId = null;
      } else {
        return null;
      }
    }
    JsonNode toolCalls = m.get("tool_calls");
    if (toolCalls != null && toolCalls.isTextual()) {
      toolCalls = Json.parseContainer(toolCalls.asText());
    }
    if (toolCalls != null && toolCalls.isArray()) {
      for (JsonNode tc : toolCalls) {
        ObjectNode part = toolCallFromOpenAi(tc);
        if (part == null) {
          return null;
        }
        parts.add(part);
      }
    } else if (toolCalls != null && !toolCalls.isNull()) {
      return null;
    }
    JsonNode functionCall = m.get("function_call");
    if (functionCall != null && functionCall.isObject()) {
      parts.add(
          toolCallPart(
              null,
              functionCall.path("name").asText(null),
              argumentsNode(functionCall.get("arguments"))));
    }
    if (toolCallId != null) {
      // A tool message whose content was absent: keep the id it answers.
      msg.put("tool_call_id", toolCallId);
    }
    if (m.path("name").isTextual()) {
      msg.put("name", m.get("name").asText());
    }
    String reason = Json.text(m, "finish_reason");
    if (reason != null) {
      setFinishReason(msg, finish.apply(reason));
    }
    for (Map.Entry<String, JsonNode> e : m.properties()) {
      if (!CHAT_MESSAGE_FIELDS.contains(e.getKey())
          && !e.getValue().isNull()
          && !msg.has(e.getKey())) {
        msg.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return msg;
  }

  /** {@code {id, type: function, function: {name, arguments}}} or {@code {id, name, arguments}}. */
  private static ObjectNode toolCallFromOpenAi(JsonNode tc) {
    if (!tc.isObject()) {
      return null;
    }
    JsonNode function = tc.get("function");
    JsonNode holder = function != null && function.isObject() ? function : tc;
    return toolCallPart(
        Json.text(tc, "id"),
        holder.path("name").asText(null),
        argumentsNode(holder.get("arguments")));
  }

  /**
   * A list of chat messages (OpenAI's shape, or {@code {"messages": [...]}} with nothing else), or
   * null when {@code node} is not one.
   */
  static ArrayNode fromChatMessages(
      JsonNode node, String defaultRole, UnaryOperator<String> finish) {
    if (node != null && node.isObject() && node.size() == 1 && node.path("messages").isArray()) {
      node = node.get("messages");
    }
    if (node == null || !node.isArray()) {
      return null;
    }
    ArrayNode out = Json.array();
    for (JsonNode m : node) {
      if (!m.isObject()) {
        return null;
      }
      ObjectNode msg = fromChatMessage(m, defaultRole, false, finish);
      if (msg == null) {
        return null;
      }
      out.add(msg);
    }
    return out;
  }

  /** One tool definition in the shape {@code {type, name, description, parameters}}. */
  static ObjectNode toolDefinition(JsonNode def) {
    if (def == null || !def.isObject()) {
      return null;
    }
    JsonNode function = def.get("function");
    ObjectNode out = Json.object();
    out.put("type", def.path("type").asText("function"));
    if (function != null && function.isObject()) { // OpenAI {"type":"function","function":{...}}
      copyTool(out, function);
      return carry(out, def, "type", "function");
    }
    copyTool(out, def);
    return carry(out, def, "type", "name", "description", "parameters", "inputSchema");
  }

  private static void copyTool(ObjectNode out, JsonNode f) {
    if (f.has("name")) {
      out.set("name", f.get("name").deepCopy());
    }
    if (f.has("description")) {
      out.set("description", f.get("description").deepCopy());
    }
    JsonNode params = f.has("parameters") ? f.get("parameters") : f.get("inputSchema");
    if (params != null) {
      out.set("parameters", params.isTextual() ? arguments(params.asText()) : params.deepCopy());
    }
    carry(out, f, "name", "description", "parameters", "inputSchema");
  }

  /** Copies the fields of {@code from} not listed in {@code consumed} (and not null) to out. */
  static ObjectNode carry(ObjectNode out, JsonNode from, String... consumed) {
    if (from == null || !from.isObject()) {
      return out;
    }
    outer:
    for (Map.Entry<String, JsonNode> e : from.properties()) {
      for (String c : consumed) {
        if (c.equals(e.getKey())) {
          continue outer;
        }
      }
      if (!e.getValue().isNull() && !out.has(e.getKey())) {
        out.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return out;
  }
}
