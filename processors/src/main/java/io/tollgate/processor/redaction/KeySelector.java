package io.tollgate.processor.redaction;

import io.tollgate.processor.redaction.internal.SecretKeys;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Which attributes are scanned. Decisions are cached per key: keys repeat on every span. */
final class KeySelector {

  /**
   * Content keys of every GenAI instrumentation we know: the OpenTelemetry GenAI conventions
   * (current and deprecated), OpenLLMetry, OpenInference, Langfuse, MLflow, Vercel AI SDK, Pydantic
   * AI, Haystack; the exception attributes (error messages quote prompts); and user ids, which are
   * often e-mail addresses.
   */
  static final Set<String> DEFAULT_KEYS =
      Set.of(
          "gen_ai.input.messages",
          "gen_ai.output.messages",
          "gen_ai.system_instructions",
          "gen_ai.tool.call.arguments",
          "gen_ai.tool.call.result",
          "gen_ai.prompt",
          "gen_ai.completion",
          "input.value",
          "output.value",
          "traceloop.entity.input",
          "traceloop.entity.output",
          "langfuse.observation.input",
          "langfuse.observation.output",
          "langfuse.trace.input",
          "langfuse.trace.output",
          "mlflow.spanInputs",
          "mlflow.spanOutputs",
          "llm.prompt_template.variables",
          "ai.response.text",
          "ai.response.object",
          "ai.response.toolCalls",
          "ai.toolCall.args",
          "ai.toolCall.result",
          "pydantic_ai.all_messages",
          "all_messages_events",
          "final_result",
          "haystack.component.input",
          "haystack.component.output",
          "haystack.pipeline.input_data",
          "haystack.pipeline.output_data",
          "exception.message",
          "exception.stacktrace",
          // OpenLLMetry's request headers (str(dict)): API keys of gateways and proxies.
          "llm.headers",
          "gen_ai.headers",
          // Who asked: applications often use the e-mail address as the user id.
          "user.email",
          "user.id",
          "enduser.id",
          "llm.user",
          "langfuse.user.id");

  /** Key prefixes of indexed and nested content ({@code gen_ai.prompt.0.content}, …). */
  static final List<String> DEFAULT_PREFIXES =
      List.of(
          "gen_ai.prompt",
          "gen_ai.completion",
          "gen_ai.retrieval.",
          "llm.input_messages.",
          "llm.output_messages.",
          "llm.prompts.",
          "llm.choices.",
          "retrieval.documents.",
          "reranker.input_documents.",
          "reranker.output_documents.",
          "reranker.query",
          "embedding.embeddings.",
          "ai.prompt",
          "traceloop.association.properties.");

  /** Our own summary attributes are never scanned. */
  static final String OWN_PREFIX = "tollgate.redaction.";

  private static final int MAX_CACHED_KEYS = 8192;

  private final boolean defaults;
  private final Set<String> keys;
  private final List<Pattern> patterns;
  private final boolean allStrings;
  private final Set<String> ignored;
  private final Map<String, Boolean> decisions = new ConcurrentHashMap<>();

  KeySelector(RedactionConfig config) {
    this.defaults = config.defaultKeys();
    this.keys = new HashSet<>(config.keys());
    List<Pattern> ps = new ArrayList<>();
    for (String p : config.keyPatterns()) {
      ps.add(Pattern.compile(p));
    }
    this.patterns = ps;
    this.allStrings = config.allStringAttributes();
    this.ignored = new HashSet<>(config.ignoredKeys());
  }

  /**
   * Decisions by a slot of the key's hash, in front of the map: the decoder hands out one String
   * per distinct key, so a key seen before is mostly found here by identity. An entry is immutable
   * (final fields), so a racing reader sees no entry or a whole one, and a lost write costs only a
   * lookup in the map.
   */
  private final Decision[] recent = new Decision[RECENT];

  private static final int RECENT = 1024; // a power of two

  private record Decision(String key, boolean selected) {}

  /** Whether the attribute {@code key} of a span (or event) is scanned. */
  boolean selects(String key) {
    int h = key.hashCode();
    int slot = h ^ (h >>> 16);
    for (int probe = 0; probe < 2; probe++) {
      int i = (slot + probe) & (RECENT - 1);
      Decision r = recent[i];
      if (r == null) {
        // The first keys of a slot keep it: keys of one slot do not evict each other.
        boolean d = lookup(key);
        recent[i] = new Decision(key, d);
        return d;
      }
      if (r.key == key || r.key.equals(key)) {
        return r.selected;
      }
    }
    return lookup(key);
  }

  private boolean lookup(String key) {
    Boolean d = decisions.get(key);
    if (d == null) {
      d = decide(key);
      if (decisions.size() < MAX_CACHED_KEYS) {
        decisions.put(key, d);
      }
    }
    return d;
  }

  /**
   * Whether the attribute {@code key} of an event named {@code eventName} is scanned. Events of the
   * GenAI conventions ({@code gen_ai.user.message}, {@code gen_ai.choice}, …) carry content under
   * short keys such as {@code content}, so all of their string attributes are.
   */
  boolean selectsInEvent(String eventName, String key) {
    if (defaults
        && eventName.startsWith("gen_ai.")
        && !ignored.contains(key)
        && !key.startsWith(OWN_PREFIX)) {
      return true;
    }
    return selects(key);
  }

  private boolean decide(String key) {
    if (ignored.contains(key) || key.startsWith(OWN_PREFIX)) {
      return false;
    }
    if (allStrings || keys.contains(key)) {
      return true;
    }
    if (defaults) {
      if (DEFAULT_KEYS.contains(key)) {
        return true;
      }
      for (String p : DEFAULT_PREFIXES) {
        if (key.startsWith(p)) {
          return true;
        }
      }
      // A key that names a secret (…password, …api_key, authorization) is scanned wherever it
      // is, and its whole value is a secret.
      if (SecretKeys.isSecretKey(key)) {
        return true;
      }
    }
    for (Pattern p : patterns) {
      if (p.matcher(key).find()) {
        return true;
      }
    }
    return false;
  }
}
