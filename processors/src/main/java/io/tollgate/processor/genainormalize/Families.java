package io.tollgate.processor.genainormalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.tollgate.core.model.AttributeView;
import io.tollgate.core.model.SpanEvent;
import io.tollgate.processor.genainormalize.SpanScan.Family;
import io.tollgate.processor.genainormalize.SpanScan.Indexed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Candidates that a flat rename cannot express: messages and tool definitions flattened into
 * indexed attributes, Vercel's output spread over several attributes, and the deprecated message
 * events. Each family gives at most one candidate per target, made of every attribute (or event) it
 * understood; a field it does not understand is left where it is.
 */
final class Families {

  // Before the table's single-attribute sources (priority >= 0), after custom mappings.
  private static final int FAMILY_PRIORITY = -500;
  private static final int VERCEL_OUTPUT_PRIORITY = -400;
  // The deprecated events come last: attributes, when a span has both, are what the span says.
  private static final int EVENT_PRIORITY = 1_000_000;

  private static final Set<String> EVENT_KEYS =
      Set.of(
          "content",
          "role",
          "tool_calls",
          "id",
          "index",
          "finish_reason",
          "message",
          "name",
          "gen_ai.event.content",
          "gen_ai.system",
          "gen_ai.provider.name",
          "gen_ai.prompt",
          "gen_ai.completion");

  private final Converter converter;

  Families(Converter converter) {
    this.converter = converter;
  }

  /** Counts fields a family met but could not read (kept under their keys). */
  interface Unknowns {
    void unknown(int count);
  }

  // ---- targets ----

  void inputMessages(SpanScan s, List<Candidate> out, Unknowns unknowns) {
    add(out, openLlmetryMessages(s, Family.GEN_AI_PROMPT, false, unknowns));
    add(out, openInferenceMessages(s, Family.OI_INPUT, false, unknowns));
    add(out, textList(s, Family.OI_PROMPTS, "prompt.text", Messages.USER, unknowns));
    add(out, openLlmetryMessages(s, Family.OLD_PROMPTS, false, unknowns));
    if (s.table.enabled(Dialect.OTEL_DEPRECATED) && hasEvents(s)) {
      events(s, unknowns).input(out);
    }
  }

  void outputMessages(SpanScan s, List<Candidate> out, Unknowns unknowns) {
    add(out, openLlmetryMessages(s, Family.GEN_AI_COMPLETION, true, unknowns));
    add(out, openInferenceMessages(s, Family.OI_OUTPUT, true, unknowns));
    add(out, textList(s, Family.OI_CHOICES, "completion.text", Messages.ASSISTANT, unknowns));
    add(out, openLlmetryMessages(s, Family.OLD_COMPLETIONS, true, unknowns));
    if (s.table.enabled(Dialect.VERCEL_AI) && s.holds(Condition.VERCEL_MODEL_CALL)) {
      add(out, vercelOutput(s, unknowns));
    }
    if (s.table.enabled(Dialect.OTEL_DEPRECATED) && hasEvents(s)) {
      events(s, unknowns).output(out);
    }
  }

  void finishReasons(SpanScan s, List<Candidate> out) {
    add(out, indexedFinishReasons(s, Family.GEN_AI_COMPLETION));
    add(out, indexedFinishReasons(s, Family.OLD_COMPLETIONS));
    if (s.table.enabled(Dialect.OTEL_DEPRECATED) && hasEvents(s)) {
      events(s, null).finishReasons(out);
    }
    if (s.table.enabled(Dialect.OPENINFERENCE) && s.holds(Condition.OI_LLM)) {
      add(out, openInferenceResponseFinishReasons(s));
    }
    if (s.table.enabled(Dialect.ADHOC) && hasEvents(s)) {
      add(out, responseEventFinishReason(s));
    }
  }

  /**
   * Hand-written tracers record the answer as a span event: the AITracer recipe (seed 003) adds
   * {@code response {finish_reason, response_length}} once per call. Read as a hint, last: it is
   * used only when the span says nothing else about why generation stopped, and the event is never
   * changed (it is the application's own timeline, and the rest of it has no target). Several such
   * events on one span are ambiguous (retries? choices?) and are not guessed from.
   */
  private Candidate responseEventFinishReason(SpanScan s) {
    String reason = null;
    for (SpanEvent e : s.span.events()) {
      if (!e.name().equals("response")) {
        continue;
      }
      AnyValue v = e.attributes().get("finish_reason");
      if (v == null || !v.hasStringValue() || v.getStringValue().isEmpty()) {
        continue;
      }
      if (reason != null) {
        return null;
      }
      reason = v.getStringValue();
    }
    if (reason == null) {
      return null;
    }
    return new Candidate(
        Dialect.ADHOC,
        EVENT_PRIORITY + 1,
        true,
        false,
        converter.finishReasons(List.of(reason)),
        Candidate.NONE,
        Candidate.NONE);
  }

  /**
   * OpenInference records the finish reason only inside the raw response ({@code output.value}):
   * OpenAI's {@code choices[].finish_reason}, Anthropic's {@code stop_reason}, LangChain's {@code
   * generations[][].generation_info.finish_reason}. Read as a hint (output.value stays), so that
   * truncated answers are countable on these spans too.
   */
  private Candidate openInferenceResponseFinishReasons(SpanScan s) {
    // Only looked at (output.value stays): read from its bytes, never made a String.
    AnyValue output = s.attrs.get("output.value");
    JsonNode n = output == null ? null : Json.parseContainer(output);
    if (n == null || !n.isObject()) {
      return null;
    }
    List<String> raw = new ArrayList<>();
    if (n.path("choices").isArray()) {
      for (JsonNode c : n.get("choices")) {
        if (c.path("finish_reason").isTextual()) {
          raw.add(c.get("finish_reason").asText());
        }
      }
    } else if (n.path("stop_reason").isTextual()) {
      raw.add(n.get("stop_reason").asText());
    } else if (n.path("generations").isArray()) {
      for (JsonNode g : n.get("generations")) {
        for (JsonNode gen : g.isArray() ? g : Json.array().add(g)) {
          JsonNode r = gen.path("generation_info").path("finish_reason");
          if (r.isTextual()) {
            raw.add(r.asText());
          }
        }
      }
    }
    if (raw.isEmpty()) {
      return null;
    }
    return new Candidate(
        Dialect.OPENINFERENCE,
        EVENT_PRIORITY - 1,
        true,
        false,
        converter.finishReasons(raw),
        Candidate.NONE,
        Candidate.NONE);
  }

  void toolDefinitions(SpanScan s, List<Candidate> out, Unknowns unknowns) {
    add(out, indexedTools(s, Family.FUNCTIONS, unknowns));
    add(out, indexedTools(s, Family.OLD_TOOL_DEFINITIONS, unknowns));
    add(out, openInferenceTools(s, unknowns));
  }

  private static void add(List<Candidate> out, Candidate c) {
    if (c != null) {
      out.add(c);
    }
  }

  // ---- OpenLLMetry: gen_ai.prompt.N.*, gen_ai.completion.N.*, llm.prompts.N.*, ... ----

  private Candidate openLlmetryMessages(SpanScan s, Family f, boolean output, Unknowns unknowns) {
    Indexed ix = s.family(f);
    if (ix == null) {
      return null;
    }
    Reader r = new Reader(s.attrs);
    ArrayNode messages = Json.array();
    for (TreeMap<String, Integer> fields : ix.byIndex.values()) {
      r.begin(fields);
      String role = r.string("role");
      ObjectNode m =
          Messages.message(role != null ? role : output ? Messages.ASSISTANT : Messages.USER);
      ArrayNode parts = Messages.parts(m);
      // The content is read as bytes: a message's text is copied, never looked at as a String.
      AnyValue content = r.value("content");
      if (content == null && !output) {
        // Completions API: OpenLLMetry writes the prompt as gen_ai.prompt.0.user.
        content = r.value("user");
      }
      String toolCallId = r.string("tool_call_id");
      if (content != null) {
        if (Messages.TOOL.equals(role)) {
          parts.add(Messages.toolResponsePart(toolCallId, Json.textOf(content)));
          toolCallId = null;
        } else {
          Messages.addContent(parts, content, true);
        }
      }
      for (TreeMap<String, Integer> call : Indexed.nested(fields, "tool_calls.").values()) {
        r.nested(call);
        String name = r.string("name");
        String id = r.string("id");
        String args = r.string("arguments");
        r.string("type"); // always "function"
        if (name != null || id != null) {
          parts.add(Messages.toolCallPart(id, name, Messages.arguments(args)));
        }
        r.end(fields);
      }
      r.begin(fields);
      String fnName = r.string("function_call.name");
      if (fnName != null) {
        parts.add(
            Messages.toolCallPart(
                null, fnName, Messages.arguments(r.string("function_call.arguments"))));
      }
      if (toolCallId != null) {
        m.put("tool_call_id", toolCallId);
      }
      String name = r.string("name");
      if (name != null) {
        m.put("name", name);
      }
      if (output) {
        Messages.setFinishReason(m, converter.messageFinishReason(r.string("finish_reason")));
      }
      messages.add(m);
    }
    unknowns.unknown(r.unknown(ix));
    if (output) {
      converter.applyFinishReasons(messages, s);
    }
    return new Candidate(
        f.dialect,
        FAMILY_PRIORITY + f.ordinal(),
        false,
        false,
        Converted.ofJson(messages),
        r.used(),
        Candidate.NONE);
  }

  private Candidate indexedFinishReasons(SpanScan s, Family f) {
    Indexed ix = s.family(f);
    if (ix == null) {
      return null;
    }
    List<String> raw = new ArrayList<>();
    List<Integer> used = new ArrayList<>();
    for (TreeMap<String, Integer> fields : ix.byIndex.values()) {
      Integer a = fields.get("finish_reason");
      if (a != null && s.attrs.value(a).hasStringValue()) {
        raw.add(s.attrs.value(a).getStringValue());
        used.add(a);
      }
    }
    if (raw.isEmpty()) {
      return null;
    }
    return new Candidate(
        f.dialect,
        FAMILY_PRIORITY + f.ordinal(),
        false,
        false,
        converter.finishReasons(raw),
        toArray(used),
        Candidate.NONE);
  }

  // ---- OpenInference: llm.input_messages.N.message.*, llm.output_messages.N.message.* ----

  private Candidate openInferenceMessages(SpanScan s, Family f, boolean output, Unknowns unknowns) {
    Indexed ix = s.family(f);
    if (ix == null) {
      return null;
    }
    Reader r = new Reader(s.attrs);
    ArrayNode messages = Json.array();
    for (TreeMap<String, Integer> fields : ix.byIndex.values()) {
      r.begin(fields);
      String role = r.string("message.role");
      ObjectNode m =
          Messages.message(role != null ? role : output ? Messages.ASSISTANT : Messages.USER);
      ArrayNode parts = Messages.parts(m);
      String toolCallId = r.string("message.tool_call_id");
      AnyValue content = r.value("message.content");
      if (content != null) {
        if (Messages.TOOL.equals(role)) {
          parts.add(Messages.toolResponsePart(toolCallId, Json.textOf(content)));
          toolCallId = null;
        } else {
          parts.add(Messages.textPart(Json.textOf(content)));
        }
      }
      for (TreeMap<String, Integer> c : Indexed.nested(fields, "message.contents.").values()) {
        r.nested(c);
        String type = r.string("message_content.type");
        if ("text".equals(type)) {
          AnyValue text = r.value("message_content.text");
          if (text != null) {
            parts.add(Messages.textPart(Json.textOf(text)));
          }
        } else if ("image".equals(type)) {
          String url = r.string("message_content.image.image.url");
          if (url != null) {
            ObjectNode p = Json.object();
            p.put("type", "uri");
            p.put("modality", "image");
            p.put("uri", url);
            parts.add(p);
          }
        } else {
          r.unread("message_content.type"); // a type we cannot shape: leave the element alone
        }
        r.end(fields);
      }
      for (TreeMap<String, Integer> c : Indexed.nested(fields, "message.tool_calls.").values()) {
        r.nested(c);
        String id = r.string("tool_call.id");
        String name = r.string("tool_call.function.name");
        String args = r.string("tool_call.function.arguments");
        if (name != null || id != null) {
          parts.add(Messages.toolCallPart(id, name, Messages.arguments(args)));
        }
        r.end(fields);
      }
      r.begin(fields);
      String fnName = r.string("message.function_call_name");
      if (fnName != null) {
        parts.add(
            Messages.toolCallPart(
                null,
                fnName,
                Messages.arguments(r.string("message.function_call_arguments_json"))));
      }
      if (toolCallId != null) {
        m.put("tool_call_id", toolCallId);
      }
      String name = r.string("message.name");
      if (name != null) {
        m.put("name", name);
      }
      messages.add(m);
    }
    unknowns.unknown(r.unknown(ix));
    if (output) {
      converter.applyFinishReasons(messages, s);
    }
    return new Candidate(
        f.dialect,
        FAMILY_PRIORITY + f.ordinal(),
        false,
        false,
        Converted.ofJson(messages),
        r.used(),
        Candidate.NONE);
  }

  /** OpenInference completions API: llm.prompts.N.prompt.text, llm.choices.N.completion.text. */
  private Candidate textList(SpanScan s, Family f, String field, String role, Unknowns unknowns) {
    Indexed ix = s.family(f);
    if (ix == null) {
      return null;
    }
    Reader r = new Reader(s.attrs);
    ArrayNode messages = Json.array();
    for (TreeMap<String, Integer> fields : ix.byIndex.values()) {
      r.begin(fields);
      AnyValue text = r.value(field);
      if (text != null) {
        ObjectNode m = Messages.message(role);
        Messages.parts(m).add(Messages.textPart(Json.textOf(text)));
        messages.add(m);
      }
    }
    unknowns.unknown(r.unknown(ix));
    if (messages.isEmpty()) {
      return null;
    }
    if (Messages.ASSISTANT.equals(role)) {
      converter.applyFinishReasons(messages, s);
    }
    return new Candidate(
        f.dialect,
        FAMILY_PRIORITY + f.ordinal(),
        false,
        false,
        Converted.ofJson(messages),
        r.used(),
        Candidate.NONE);
  }

  // ---- Vercel AI SDK: ai.response.{reasoning,text,object,toolCalls} → one assistant message ----

  private Candidate vercelOutput(SpanScan s, Unknowns unknowns) {
    int[] at = s.vercelOutput;
    if (at[0] < 0 && at[1] < 0 && at[2] < 0 && at[3] < 0) {
      return null;
    }
    ObjectNode m = Messages.message(Messages.ASSISTANT);
    ArrayNode parts = Messages.parts(m);
    List<Integer> used = new ArrayList<>(4);
    JsonNode reasoning = Json.textOf(valueAt(s, at[SpanScan.VERCEL_REASONING]));
    if (reasoning != null) {
      parts.add(Messages.reasoningPart(reasoning));
      used.add(at[SpanScan.VERCEL_REASONING]);
    }
    JsonNode text = Json.textOf(valueAt(s, at[SpanScan.VERCEL_TEXT]));
    if (text != null) {
      parts.add(Messages.textPart(text));
      used.add(at[SpanScan.VERCEL_TEXT]);
    }
    JsonNode object = Json.textOf(valueAt(s, at[SpanScan.VERCEL_OBJECT]));
    if (object != null) {
      parts.add(Messages.textPart(object));
      used.add(at[SpanScan.VERCEL_OBJECT]);
    }
    AnyValue calls = valueAt(s, at[SpanScan.VERCEL_TOOL_CALLS]);
    if (calls != null && calls.hasStringValue()) {
      JsonNode n = Json.parseContainer(calls);
      ArrayNode callParts = n != null && n.isArray() ? vercelToolCalls(n) : null;
      if (callParts != null) {
        parts.addAll(callParts);
        used.add(at[SpanScan.VERCEL_TOOL_CALLS]);
      } else {
        unknowns.unknown(1);
      }
    }
    if (used.isEmpty()) {
      return null;
    }
    ArrayNode messages = Json.array().add(m);
    converter.applyFinishReasons(messages, s);
    return new Candidate(
        Dialect.VERCEL_AI,
        VERCEL_OUTPUT_PRIORITY,
        false,
        false,
        Converted.ofJson(messages),
        toArray(used),
        Candidate.NONE);
  }

  /** [{toolCallType?, toolCallId, toolName, args (v4) | input (v5)}]. */
  private static ArrayNode vercelToolCalls(JsonNode calls) {
    ArrayNode out = Json.array();
    for (JsonNode c : calls) {
      if (!c.isObject() || !c.path("toolName").isTextual()) {
        return null;
      }
      JsonNode args = c.has("input") ? c.get("input") : c.get("args");
      JsonNode argsNode =
          args == null || args.isNull()
              ? null
              : args.isTextual() ? Messages.arguments(args.asText()) : args.deepCopy();
      ObjectNode part =
          Messages.toolCallPart(Json.text(c, "toolCallId"), c.get("toolName").asText(), argsNode);
      out.add(
          Messages.carry(
              part, c, "type", "toolCallType", "toolCallId", "toolName", "input", "args"));
    }
    return out;
  }

  private static AnyValue valueAt(SpanScan s, int attr) {
    return attr < 0 ? null : s.attrs.value(attr);
  }

  // ---- tool definitions ----

  /**
   * llm.request.functions.N.{name,description,parameters | input_schema},
   * gen_ai.tool.definitions.N.*.
   */
  private Candidate indexedTools(SpanScan s, Family f, Unknowns unknowns) {
    Indexed ix = s.family(f);
    if (ix == null) {
      return null;
    }
    Reader r = new Reader(s.attrs);
    ArrayNode defs = Json.array();
    for (TreeMap<String, Integer> fields : ix.byIndex.values()) {
      r.begin(fields);
      ObjectNode d = Json.object();
      d.put("type", "function");
      String name = r.string("name");
      if (name != null) {
        d.put("name", name);
      }
      String description = r.string("description");
      if (description != null) {
        d.put("description", description);
      }
      String params = r.string("parameters");
      if (params == null) {
        params = r.string("input_schema"); // the Anthropic instrumentation keeps Anthropic's name
      }
      if (params != null) {
        d.set("parameters", Messages.arguments(params));
      }
      if (d.size() > 1) {
        defs.add(d);
      }
    }
    unknowns.unknown(r.unknown(ix));
    if (defs.isEmpty()) {
      return null;
    }
    return new Candidate(
        f.dialect,
        FAMILY_PRIORITY + f.ordinal(),
        false,
        false,
        Converted.ofJson(defs),
        r.used(),
        Candidate.NONE);
  }

  /** llm.tools.N.tool.json_schema: one OpenAI tool definition (JSON) each. */
  private Candidate openInferenceTools(SpanScan s, Unknowns unknowns) {
    Indexed ix = s.family(Family.OI_TOOLS);
    if (ix == null) {
      return null;
    }
    Reader r = new Reader(s.attrs);
    ArrayNode defs = Json.array();
    for (TreeMap<String, Integer> fields : ix.byIndex.values()) {
      r.begin(fields);
      String schema = r.string("tool.json_schema");
      ObjectNode d = schema == null ? null : Messages.toolDefinition(Json.parseContainer(schema));
      if (d != null) {
        defs.add(d);
      } else if (schema != null) {
        r.unread("tool.json_schema");
      }
    }
    unknowns.unknown(r.unknown(ix));
    if (defs.isEmpty()) {
      return null;
    }
    return new Candidate(
        Dialect.OPENINFERENCE,
        FAMILY_PRIORITY + Family.OI_TOOLS.ordinal(),
        false,
        false,
        Converted.ofJson(defs),
        r.used(),
        Candidate.NONE);
  }

  // ---- OpenInference: retrieval.documents.N.document.{id,score,content,metadata} ----

  /** Document fields the conventions have no place for: known, deliberately left on the span. */
  private static final Set<String> DOCUMENT_FIELDS_KEPT =
      Set.of("document.content", "document.metadata");

  /**
   * The conventions' {@code gen_ai.retrieval.documents} is {@code [{"id", "score"}]}, in the order
   * the retriever ranked them (the index order). A document's content and metadata have no target:
   * they stay under their own keys, so nothing of the retrieval is lost. An element with neither a
   * readable id nor a readable score adds nothing to the array.
   */
  void retrievalDocuments(SpanScan s, List<Candidate> out, Unknowns unknowns) {
    Indexed ix = s.family(Family.OI_DOCUMENTS);
    if (ix == null) {
      return;
    }
    ArrayNode docs = Json.array();
    List<Integer> used = new ArrayList<>();
    int unknown = 0;
    for (TreeMap<String, Integer> fields : ix.byIndex.values()) {
      ObjectNode d = Json.object();
      Integer idAt = fields.get("document.id");
      JsonNode id = idAt == null ? null : documentId(s.attrs.value(idAt));
      if (id != null) {
        d.set("id", id);
        used.add(idAt);
      }
      Integer scoreAt = fields.get("document.score");
      JsonNode score = scoreAt == null ? null : documentScore(s.attrs.value(scoreAt));
      if (score != null) {
        d.set("score", score);
        used.add(scoreAt);
      }
      for (String f : fields.keySet()) {
        boolean read =
            (f.equals("document.id") && id != null)
                || (f.equals("document.score") && score != null);
        if (!read && !DOCUMENT_FIELDS_KEPT.contains(f)) {
          unknown++;
        }
      }
      if (!d.isEmpty()) {
        docs.add(d);
      }
    }
    unknowns.unknown(unknown);
    if (docs.isEmpty()) {
      return;
    }
    // Written and compared as JSON text: parse it back so that numbers compare by the same node
    // types as a gen_ai.retrieval.documents the span already holds.
    out.add(
        new Candidate(
            Dialect.OPENINFERENCE,
            FAMILY_PRIORITY + Family.OI_DOCUMENTS.ordinal(),
            false,
            false,
            Converted.ofJson(Json.reparse(docs)),
            toArray(used),
            Candidate.NONE));
  }

  /** A document id as sent: a string, or an integer (the OpenInference spec allows both). */
  private static JsonNode documentId(AnyValue v) {
    if (v.hasStringValue() && !v.getStringValue().isEmpty()) {
      return Json.NODES.textNode(v.getStringValue());
    }
    if (v.hasIntValue()) {
      return Json.NODES.numberNode(v.getIntValue());
    }
    return null;
  }

  /** A relevance score as a JSON number; a numeric string is read, anything else is not. */
  private static JsonNode documentScore(AnyValue v) {
    if (v.hasDoubleValue()) {
      double d = v.getDoubleValue();
      return Double.isFinite(d) ? Json.NODES.numberNode(d) : null; // JSON has no NaN
    }
    if (v.hasIntValue()) {
      return Json.NODES.numberNode(v.getIntValue());
    }
    if (v.hasStringValue()) {
      JsonNode n = Json.parse(v.getStringValue().trim());
      return n != null && n.isNumber() ? n : null;
    }
    return null;
  }

  // ---- deprecated events ----

  private static boolean hasEvents(SpanScan s) {
    return s.span.proto().getEventsCount() > 0;
  }

  private EventMessages events(SpanScan s, Unknowns unknowns) {
    if (s.events == null) {
      s.events = new EventMessages(s, converter, unknowns == null ? n -> {} : unknowns);
    }
    return s.events;
  }

  /**
   * The deprecated message events of one span ({@code gen_ai.system.message}, {@code
   * gen_ai.user.message}, {@code gen_ai.assistant.message}, {@code gen_ai.tool.message}, {@code
   * gen_ai.choice}, {@code gen_ai.content.prompt}, {@code gen_ai.content.completion}), read once.
   * Their fields come as event attributes, as a kvlist, or as JSON in {@code gen_ai.event.content}
   * (Azure AI Inference).
   */
  static final class EventMessages {
    private final ArrayNode input = Json.array();
    private final List<Integer> inputEvents = new ArrayList<>();
    private final TreeMap<Integer, ObjectNode> output = new TreeMap<>();
    private final List<Integer> outputEvents = new ArrayList<>();
    private final List<String> finishRaw = new ArrayList<>();
    private final List<Integer> finishEvents = new ArrayList<>();
    private final Converter converter;
    private final SpanScan scan;

    EventMessages(SpanScan s, Converter converter, Unknowns unknowns) {
      this.converter = converter;
      this.scan = s;
      List<SpanEvent> events = s.span.events();
      int nextChoice = 1 << 20; // choices without an index keep their order after indexed ones
      for (int e = 0; e < events.size(); e++) {
        SpanEvent ev = events.get(e);
        String name = ev.name();
        if (!name.startsWith("gen_ai.")) {
          continue;
        }
        AttributeView a = ev.attributes();
        String role = null;
        switch (name) {
          case "gen_ai.system.message":
            role = Messages.SYSTEM;
            break;
          case "gen_ai.user.message":
            role = Messages.USER;
            break;
          case "gen_ai.assistant.message":
            role = Messages.ASSISTANT;
            break;
          case "gen_ai.tool.message":
            role = Messages.TOOL;
            break;
          case "gen_ai.choice":
          case "gen_ai.content.prompt":
          case "gen_ai.content.completion":
            break;
          default:
            continue;
        }
        boolean removable = true;
        for (int i = 0; i < a.size(); i++) {
          if (!EVENT_KEYS.contains(a.key(i))) {
            removable = false;
          }
        }
        if (!removable) {
          unknowns.unknown(1);
        }
        boolean read;
        if (role != null) {
          read = readMessage(a, role);
          if (read && removable) {
            inputEvents.add(e);
          }
        } else if (name.equals("gen_ai.choice")) {
          read = readChoice(a, nextChoice++);
          if (read && removable) {
            outputEvents.add(e);
            finishEvents.add(e);
          }
        } else if (name.equals("gen_ai.content.prompt")) {
          read = readContent(a.get("gen_ai.prompt"), Messages.USER, input);
          if (read && removable) {
            inputEvents.add(e);
          }
        } else {
          read = readContent(a.get("gen_ai.completion"), Messages.ASSISTANT, null);
          if (read && removable) {
            outputEvents.add(e);
          }
        }
        if (!read) {
          unknowns.unknown(1);
        }
      }
    }

    private static JsonNode body(AttributeView a) {
      AnyValue content = a.get("gen_ai.event.content");
      if (content != null && content.hasStringValue()) {
        return Json.parseContainer(content);
      }
      ObjectNode o = Json.object();
      for (int i = 0; i < a.size(); i++) {
        String k = a.key(i);
        if (k.startsWith("gen_ai.")) {
          continue;
        }
        AnyValue v = a.value(i);
        JsonNode n = null;
        if (v.hasStringValue()) {
          if (k.equals("tool_calls") || k.equals("message")) {
            n = Json.parseContainer(v);
          }
          if (n == null) {
            n = Json.textOf(v); // the content: copied as it came
          }
        } else {
          n = Json.of(v);
        }
        o.set(k, n);
      }
      return o;
    }

    private boolean readMessage(AttributeView a, String role) {
      JsonNode b = body(a);
      if (b == null || !b.isObject()) {
        return false;
      }
      ObjectNode o = (ObjectNode) b;
      if (Messages.TOOL.equals(role) && !o.has("tool_call_id") && o.path("id").isTextual()) {
        o.set("tool_call_id", o.remove("id")); // the event names the answered call "id"
      }
      ObjectNode m = Messages.fromChatMessage(o, role, false, converter::messageFinishReason);
      if (m == null) {
        return false;
      }
      input.add(m);
      return true;
    }

    private boolean readChoice(AttributeView a, int defaultIndex) {
      JsonNode b = body(a);
      if (b == null || !b.isObject()) {
        return false;
      }
      JsonNode msg =
          b.has("message")
              ? b.get("message")
              : Messages.carry(Json.object(), b, "index", "finish_reason");
      ObjectNode m =
          Messages.fromChatMessage(msg, Messages.ASSISTANT, false, converter::messageFinishReason);
      if (m == null) {
        return false;
      }
      String reason = Json.text(b, "finish_reason");
      if (reason != null) {
        Messages.setFinishReason(m, converter.messageFinishReason(reason));
        finishRaw.add(reason);
      }
      int index =
          b.path("index").canConvertToInt() && b.path("index").isNumber()
              ? b.get("index").asInt()
              : defaultIndex;
      output.put(index, m);
      return true;
    }

    private boolean readContent(AnyValue text, String role, ArrayNode into) {
      if (text == null || !text.hasStringValue() || text.getStringValueBytes().isEmpty()) {
        return false;
      }
      JsonNode n = Json.parseContainer(text);
      ArrayNode msgs;
      if (n != null) {
        msgs = Messages.fromChatMessages(n, role, converter::messageFinishReason);
        if (msgs == null) {
          return false;
        }
      } else {
        ObjectNode m = Messages.message(role);
        Messages.parts(m).add(Messages.textPart(Json.textOf(text)));
        msgs = Json.array().add(m);
      }
      if (into != null) {
        into.addAll(msgs);
      } else {
        int base = (1 << 21) + output.size();
        for (int i = 0; i < msgs.size(); i++) {
          output.put(base + i, (ObjectNode) msgs.get(i));
        }
      }
      return true;
    }

    void input(List<Candidate> out) {
      if (!input.isEmpty()) {
        out.add(
            new Candidate(
                Dialect.OTEL_DEPRECATED,
                EVENT_PRIORITY,
                false,
                false,
                Converted.ofJson(input),
                Candidate.NONE,
                toArray(inputEvents)));
      }
    }

    void output(List<Candidate> out) {
      if (!output.isEmpty()) {
        ArrayNode msgs = Json.array();
        output.values().forEach(msgs::add);
        converter.applyFinishReasons(msgs, scan);
        out.add(
            new Candidate(
                Dialect.OTEL_DEPRECATED,
                EVENT_PRIORITY,
                false,
                false,
                Converted.ofJson(msgs),
                Candidate.NONE,
                toArray(outputEvents)));
      }
    }

    void finishReasons(List<Candidate> out) {
      if (!finishRaw.isEmpty()) {
        out.add(
            new Candidate(
                Dialect.OTEL_DEPRECATED,
                EVENT_PRIORITY,
                false,
                false,
                converter.finishReasons(finishRaw),
                Candidate.NONE,
                toArray(finishEvents)));
      }
    }
  }

  static int[] toArray(List<Integer> l) {
    int[] a = new int[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }

  /**
   * Reads string fields of indexed elements and remembers which attributes it read, so that the
   * rest (fields it does not know, values that are not strings) can stay on the span.
   */
  private static final class Reader {
    private final AttributeView attrs;
    private final List<Integer> used = new ArrayList<>();
    private Map<String, Integer> fields;

    Reader(AttributeView attrs) {
      this.attrs = attrs;
    }

    void begin(Map<String, Integer> fields) {
      this.fields = fields;
    }

    /** Reads within one element of a nested list (e.g. the fields of {@code tool_calls.<j>.}). */
    void nested(Map<String, Integer> element) {
      this.fields = element;
    }

    void end(Map<String, Integer> outer) {
      this.fields = outer;
    }

    String string(String field) {
      AnyValue v = value(field);
      return v == null ? null : v.getStringValue();
    }

    /**
     * Like {@link #string}, but the value itself: for text that is copied, not looked at (read as a
     * String, a value received as UTF-8 would be decoded only to be encoded again).
     */
    AnyValue value(String field) {
      Integer a = fields.get(field);
      if (a == null) {
        return null;
      }
      AnyValue v = attrs.value(a);
      if (!v.hasStringValue()) {
        return null;
      }
      used.add(a);
      return v;
    }

    /** Takes back a field read by {@link #string} that could not be used after all. */
    void unread(String field) {
      Integer a = fields.get(field);
      if (a != null) {
        used.remove(a);
      }
    }

    int[] used() {
      return toArray(used);
    }

    /** How many attributes of the family were not read. */
    int unknown(Indexed ix) {
      int total = 0;
      for (TreeMap<String, Integer> f : ix.byIndex.values()) {
        total += f.size();
      }
      return total - distinctUsed();
    }

    /** How many attributes were read (one read twice counts once). */
    private int distinctUsed() {
      int n = used.size();
      if (n < 2) {
        return n;
      }
      java.util.BitSet seen = new java.util.BitSet(attrs.size());
      for (int i = 0; i < n; i++) {
        seen.set(used.get(i));
      }
      return seen.cardinality();
    }
  }
}
