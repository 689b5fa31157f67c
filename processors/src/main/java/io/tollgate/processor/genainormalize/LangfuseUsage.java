package io.tollgate.processor.genainormalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.core.model.Values;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Langfuse's {@code langfuse.observation.usage_details} (a JSON object) read as the conventions'
 * token counts.
 *
 * <p>Two shapes arrive, and Langfuse's ingestion ({@code packages/shared/src/server/ingestion/
 * types.ts}, {@code UsageDetails}) tells them apart the same way:
 *
 * <ul>
 *   <li>OpenAI's own usage object, as the Python SDK's OpenAI integration passes it on: {@code
 *       prompt_tokens}, {@code completion_tokens}, {@code total_tokens} and the nested {@code
 *       prompt_tokens_details} / {@code completion_tokens_details} (the Responses API: {@code
 *       input_tokens}, {@code output_tokens}, {@code total_tokens}, {@code input_tokens_details},
 *       {@code output_tokens_details}), exactly these keys. Its counts are inclusive, as the
 *       conventions count: {@code prompt_tokens} holds the cached tokens.
 *   <li>Anything else is Langfuse's usage types: a flat object of counts whose keys are buckets
 *       that <em>add up</em> ({@code {"input": 7, "input_cached_tokens": 3, "output": 20,
 *       "output_reasoning_tokens": 5, "total": 35}}, as the JS SDK's OpenAI integration, the
 *       LangChain callback handler and Langfuse itself write them). Langfuse prices every key
 *       separately and counts a key containing "input" as input, one containing "output" as
 *       output. So {@code input} excludes the cache and {@code output} the reasoning: the
 *       conventions' {@code input_tokens} is the sum of the input keys, {@code output_tokens} the
 *       sum of the output keys.
 * </ul>
 *
 * <p>{@link #complete()} says whether every number of the object can be recovered from the
 * counts written (zero counts carry nothing); only then may the attribute be removed.
 */
final class LangfuseUsage {

  static final String INPUT = "gen_ai.usage.input_tokens";
  static final String OUTPUT = "gen_ai.usage.output_tokens";
  static final String CACHE_READ = "gen_ai.usage.cache_read.input_tokens";
  static final String CACHE_CREATION = "gen_ai.usage.cache_creation.input_tokens";
  static final String REASONING = "gen_ai.usage.reasoning.output_tokens";

  /** Cache reads: OpenAI's detail as Langfuse flattens it, LangChain's, Anthropic's. */
  private static final Set<String> CACHE_READ_KEYS =
      Set.of("input_cached_tokens", "input_cache_read", "cache_read_input_tokens");

  /** Cache writes: LangChain's, Anthropic's. */
  private static final Set<String> CACHE_CREATION_KEYS =
      Set.of("input_cache_creation", "cache_creation_input_tokens");

  /** Reasoning: OpenAI's detail as Langfuse flattens it, LangChain's. */
  private static final Set<String> REASONING_KEYS =
      Set.of("output_reasoning_tokens", "output_reasoning");

  /** The plain buckets: the tokens of no particular kind. */
  private static final Set<String> PLAIN_INPUT_KEYS = Set.of("input", "input_tokens");

  private static final Set<String> PLAIN_OUTPUT_KEYS = Set.of("output", "output_tokens");
  private static final Set<String> TOTAL_KEYS = Set.of("total", "total_tokens");

  private static final Set<String> OPENAI_CHAT =
      Set.of(
          "prompt_tokens",
          "completion_tokens",
          "total_tokens",
          "prompt_tokens_details",
          "completion_tokens_details");
  private static final Set<String> OPENAI_RESPONSES =
      Set.of(
          "input_tokens",
          "output_tokens",
          "total_tokens",
          "input_tokens_details",
          "output_tokens_details");

  /** A count; {@link #NONE} when the object has none, {@link #BAD} when it cannot be read. */
  private static final long NONE = -1;

  private static final long BAD = -2;

  private long input = NONE;
  private long output = NONE;
  private long cacheRead = NONE;
  private long cacheCreation = NONE;
  private long reasoning = NONE;
  private boolean complete = true;

  private LangfuseUsage() {}

  /** Reads the attribute's text; null when it is no JSON object (the source cannot be read). */
  static LangfuseUsage parse(String text) {
    JsonNode doc = Json.parseObjectLenient(text);
    if (doc == null) {
      return null;
    }
    LangfuseUsage u = new LangfuseUsage();
    if (isOpenAi(doc, OPENAI_CHAT, "prompt_tokens", "completion_tokens")) {
      u.readOpenAi(
          doc,
          "prompt_tokens",
          "completion_tokens",
          "prompt_tokens_details",
          "completion_tokens_details");
    } else if (isOpenAi(doc, OPENAI_RESPONSES, "input_tokens", "output_tokens")) {
      u.readOpenAi(
          doc, "input_tokens", "output_tokens", "input_tokens_details", "output_tokens_details");
    } else {
      u.readBuckets(doc);
    }
    return u;
  }

  /** The value for {@code target}, one of the usage targets. */
  Converted count(String target) {
    long v;
    switch (target) {
      case INPUT:
        v = input;
        break;
      case OUTPUT:
        v = output;
        break;
      case CACHE_READ:
        v = cacheRead;
        break;
      case CACHE_CREATION:
        v = cacheCreation;
        break;
      case REASONING:
        v = reasoning;
        break;
      default:
        throw new IllegalArgumentException("usage_details has no count for " + target);
    }
    if (v == NONE) {
      return Converted.ABSENT;
    }
    return v == BAD ? Converted.FAILED : Converted.of(Values.of(v));
  }

  /** Whether every number in the object can be recovered from the counts (zeros aside). */
  boolean complete() {
    return complete;
  }

  // ---- OpenAI's usage object (inclusive counts) ----

  private static boolean isOpenAi(JsonNode doc, Set<String> keys, String in, String out) {
    if (!doc.has(in) || !doc.has(out) || !doc.has("total_tokens")) {
      return false;
    }
    for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
      if (!keys.contains(it.next())) {
        return false;
      }
    }
    return true;
  }

  private void readOpenAi(
      JsonNode doc, String in, String out, String inDetails, String outDetails) {
    input = count(doc.get(in));
    output = count(doc.get(out));
    long total = count(doc.get("total_tokens"));
    cacheRead = detail(doc.get(inDetails), "cached_tokens");
    reasoning = detail(doc.get(outDetails), "reasoning_tokens");
    if (input == BAD || output == BAD || total == BAD) {
      complete = false;
    } else if (total != NONE && total != plus(input, output)) {
      complete = false;
    }
  }

  /**
   * One count of a details object; the object's other counts (audio, predictions) have no home in
   * the conventions, so a non-zero one keeps the attribute.
   */
  private long detail(JsonNode details, String field) {
    if (details == null || details.isNull()) {
      return NONE;
    }
    if (!details.isObject()) {
      complete = false;
      return NONE;
    }
    long found = NONE;
    for (Map.Entry<String, JsonNode> e : details.properties()) {
      long v = count(e.getValue());
      if (e.getKey().equals(field)) {
        found = v;
      }
      if (v == BAD || (v > 0 && !e.getKey().equals(field))) {
        complete = false;
      }
    }
    return found;
  }

  // ---- Langfuse's usage types (buckets that add up) ----

  private void readBuckets(JsonNode doc) {
    long inSum = NONE;
    long outSum = NONE;
    long total = NONE;
    int plainIn = 0;
    int plainOut = 0;
    int reads = 0;
    int creations = 0;
    int reasonings = 0;
    for (Map.Entry<String, JsonNode> e : doc.properties()) {
      String key = e.getKey();
      long v = count(e.getValue());
      if (v == NONE) {
        continue; // null: Langfuse ignores it too
      }
      boolean nonZero = v != 0;
      if (v == BAD) {
        complete = false;
      }
      if (key.contains("input")) {
        inSum = plus(inSum, v);
        if (CACHE_READ_KEYS.contains(key)) {
          cacheRead = plus(cacheRead, v);
          reads += nonZero ? 1 : 0;
        } else if (CACHE_CREATION_KEYS.contains(key)) {
          cacheCreation = plus(cacheCreation, v);
          creations += nonZero ? 1 : 0;
        } else if (PLAIN_INPUT_KEYS.contains(key)) {
          plainIn += nonZero ? 1 : 0;
        } else if (nonZero) {
          complete = false; // audio, modality, ...: counted in the input, its kind lost
        }
      } else if (key.contains("output")) {
        outSum = plus(outSum, v);
        if (REASONING_KEYS.contains(key)) {
          reasoning = plus(reasoning, v);
          reasonings += nonZero ? 1 : 0;
        } else if (PLAIN_OUTPUT_KEYS.contains(key)) {
          plainOut += nonZero ? 1 : 0;
        } else if (nonZero) {
          complete = false;
        }
      } else if (TOTAL_KEYS.contains(key)) {
        total = total == NONE ? v : BAD; // two totals: which one?
      } else if (nonZero) {
        complete = false; // no side known: neither written nor droppable
      }
    }
    // Two non-zero keys of one kind are two numbers summed into one: the split is lost.
    if (plainIn > 1 || plainOut > 1 || reads > 1 || creations > 1 || reasonings > 1) {
      complete = false;
    }
    input = inSum;
    output = outSum;
    if (total == BAD) {
      complete = false;
    } else if (total != NONE && total != plus(orZero(inSum), orZero(outSum))) {
      complete = false;
    }
  }

  /** A count: a whole number, not negative; {@link #NONE} for null, {@link #BAD} otherwise. */
  private static long count(JsonNode n) {
    if (n == null || n.isNull()) {
      return NONE;
    }
    if (n.isNumber()) {
      if (n.isIntegralNumber()) {
        return n.canConvertToLong() && n.asLong() >= 0 ? n.asLong() : BAD;
      }
      double d = n.asDouble();
      return Double.isFinite(d) && d >= 0 && d == Math.rint(d) && d < 0x1p62 ? (long) d : BAD;
    }
    if (n.isTextual()) {
      Long l = Converter.wholeNumber(Values.of(n.asText()));
      return l == null ? BAD : l;
    }
    return BAD;
  }

  /** Adds counts: a bad one makes the sum bad, an absent one adds nothing. */
  private static long plus(long a, long b) {
    if (a == BAD || b == BAD) {
      return BAD;
    }
    if (a == NONE) {
      return b;
    }
    if (b == NONE) {
      return a;
    }
    return a + b;
  }

  private static long orZero(long v) {
    return v == NONE ? 0 : v;
  }
}
