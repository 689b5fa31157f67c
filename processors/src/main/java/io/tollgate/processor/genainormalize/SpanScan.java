package io.tollgate.processor.genainormalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.tollgate.core.model.AttributeView;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.Values;
import io.tollgate.processor.internal.VercelAiSpans;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one pass over a span's attributes found: the table's rules that apply, the canonical
 * attributes already there, and the indexed message families. Describes one span at a time: a
 * thread's normaliser keeps one and {@link #start starts} it on each span (its arrays are reused:
 * most spans of a GenAI application are scanned), then {@link #release releases} it, so that it
 * holds nothing of a span once that span is done.
 */
final class SpanScan implements Converter.Context {

  /** Flattened lists, {@code <prefix><index>.<field>}. */
  enum Family {
    GEN_AI_PROMPT("gen_ai.prompt.", Dialect.OTEL_DEPRECATED),
    GEN_AI_COMPLETION("gen_ai.completion.", Dialect.OTEL_DEPRECATED),
    OLD_TOOL_DEFINITIONS("gen_ai.tool.definitions.", Dialect.OPENLLMETRY),
    OLD_PROMPTS("llm.prompts.", Dialect.OPENLLMETRY),
    OLD_COMPLETIONS("llm.completions.", Dialect.OPENLLMETRY),
    FUNCTIONS("llm.request.functions.", Dialect.OPENLLMETRY),
    OI_INPUT("llm.input_messages.", Dialect.OPENINFERENCE),
    OI_OUTPUT("llm.output_messages.", Dialect.OPENINFERENCE),
    OI_PROMPTS("llm.prompts.", Dialect.OPENINFERENCE),
    OI_CHOICES("llm.choices.", Dialect.OPENINFERENCE),
    OI_TOOLS("llm.tools.", Dialect.OPENINFERENCE),
    OI_DOCUMENTS("retrieval.documents.", Dialect.OPENINFERENCE);

    final String prefix;
    final Dialect dialect;

    Family(String prefix, Dialect dialect) {
      this.prefix = prefix;
      this.dialect = dialect;
    }
  }

  /** Index → field → attribute index, both sorted. */
  static final class Indexed {
    final TreeMap<Integer, TreeMap<String, Integer>> byIndex = new TreeMap<>();

    void add(int index, String field, int attr) {
      byIndex.computeIfAbsent(index, k -> new TreeMap<>()).put(field, attr);
    }

    /**
     * The nested list {@code <prefix><j>.<rest>} inside one element's fields, e.g. {@code
     * tool_calls.0.name}.
     */
    static TreeMap<Integer, TreeMap<String, Integer>> nested(
        Map<String, Integer> fields, String prefix) {
      TreeMap<Integer, TreeMap<String, Integer>> out = new TreeMap<>();
      for (Map.Entry<String, Integer> e : fields.entrySet()) {
        String k = e.getKey();
        if (k.startsWith(prefix)) {
          long parsed = parseIndex(k, prefix.length());
          if (parsed >= 0) {
            out.computeIfAbsent(indexOf(parsed), x -> new TreeMap<>())
                .put(k.substring(restOf(parsed)), e.getValue());
          }
        }
      }
      return out;
    }
  }

  /** Attribute-index of Vercel's output attributes (ai.response.*). */
  static final int VERCEL_TEXT = 0;

  static final int VERCEL_REASONING = 1;
  static final int VERCEL_TOOL_CALLS = 2;
  static final int VERCEL_OBJECT = 3;

  SpanRecord span;
  AttributeView attrs;
  final MappingTable table;

  /*
   * The rules that apply ("hits"), in the order of the scan: hit h is rule hitRules[h] reading
   * attribute hitAttrs[h]. The hits of one target are chained in that order from firstHit[t]
   * through nextHit[h] to -1, so that the normaliser takes them target by target without
   * grouping them into lists.
   */
  private Rule[] hitRules = new Rule[16];
  private int[] hitAttrs = new int[16];
  private int[] nextHit = new int[16];
  private int hitCount;
  private final int[] firstHit;
  private final int[] lastHit;

  /** Per target ordinal: the index of the canonical attribute already on the span, or -1. */
  final int[] existing;

  final int[] vercelOutput = {-1, -1, -1, -1};
  private final Indexed[] families = new Indexed[FAMILIES];
  private boolean anyFamily;

  private static final int FAMILIES = Family.values().length;

  /** Hit arrays that grew past this are let go after the span. */
  private static final int KEEP_HITS = 1024;

  String aiOperationId;
  String oiKind;
  String traceloopKind;

  /** The deprecated message events, read on first use. */
  Families.EventMessages events;

  /** The span's finish reasons once resolved (read by output-message builders), or null. */
  AnyValue resolvedFinishReasons;

  private List<String> finishReasonList;

  private Map<Integer, JsonNode> parsedJson;
  private Map<Integer, Boolean> fullyRead;

  /** The last usage details read, by identity: several targets read one attribute in a row. */
  private AnyValue usageSource;

  private LangfuseUsage usage;

  SpanScan(MappingTable table) {
    this.table = table;
    this.existing = new int[table.targetCount()];
    this.firstHit = new int[table.targetCount()];
    this.lastHit = new int[table.targetCount()];
  }

  /** Starts on {@code span}: nothing found yet. */
  void start(SpanRecord span) {
    this.span = span;
    this.attrs = span.attributes();
    Arrays.fill(existing, -1);
    Arrays.fill(firstHit, -1);
    Arrays.fill(lastHit, -1);
    Arrays.fill(vercelOutput, -1);
    hitCount = 0;
  }

  /**
   * Lets go of everything the span's scan holds (the span, its values, documents read from them),
   * so that a thread's scan keeps nothing alive between spans and starts from nothing.
   */
  void release() {
    span = null;
    attrs = null;
    hitCount = 0; // the rules left in hitRules belong to the table, not to the span
    if (hitRules.length > KEEP_HITS) { // a span with thousands of sources: not kept for the next
      hitRules = new Rule[16];
      hitAttrs = new int[16];
      nextHit = new int[16];
    }
    if (anyFamily) {
      Arrays.fill(families, null);
      anyFamily = false;
    }
    aiOperationId = null;
    oiKind = null;
    traceloopKind = null;
    events = null;
    resolvedFinishReasons = null;
    finishReasonList = null;
    parsedJson = null;
    fullyRead = null;
    usageSource = null;
    usage = null;
  }

  /** The first hit of target {@code t}, or -1. */
  int firstHit(int t) {
    return firstHit[t];
  }

  /** The hit after {@code h} of the same target, or -1. */
  int nextHit(int h) {
    return nextHit[h];
  }

  Rule hitRule(int h) {
    return hitRules[h];
  }

  int hitAttr(int h) {
    return hitAttrs[h];
  }

  private void addHit(Rule r, int target, int attr) {
    int h = hitCount;
    if (h == hitRules.length) {
      hitRules = Arrays.copyOf(hitRules, 2 * h);
      hitAttrs = Arrays.copyOf(hitAttrs, 2 * h);
      nextHit = Arrays.copyOf(nextHit, 2 * h);
    }
    hitRules[h] = r;
    hitAttrs[h] = attr;
    nextHit[h] = -1;
    if (lastHit[target] < 0) {
      firstHit[target] = h;
    } else {
      nextHit[lastHit[target]] = h;
    }
    lastHit[target] = h;
    hitCount = h + 1;
  }

  /**
   * Whether the span is worth normalising: one of its keys is in the table's strong namespaces, or
   * it carries a deprecated GenAI event. Most spans of an application are not GenAI spans; for them
   * this is the whole cost of the processor.
   */
  static boolean isCandidate(SpanRecord span, MappingTable table) {
    AttributeView a = span.attributes();
    for (int i = 0, n = a.size(); i < n; i++) {
      if (table.isStrongKey(a.key(i))) {
        return true;
      }
    }
    if (table.enabled(Dialect.OTEL_DEPRECATED)) {
      var proto = span.proto();
      for (int i = 0, n = proto.getEventsCount(); i < n; i++) {
        if (proto.getEvents(i).getName().startsWith("gen_ai.")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The one pass over the attributes. */
  void scan() {
    for (int i = 0, n = attrs.size(); i < n; i++) {
      String key = attrs.key(i);
      MappingTable.KeyInfo info = table.key(key);
      if (info == null) {
        family(key, i);
        continue;
      }
      int target = info.target();
      if (target >= 0 && existing[target] < 0) {
        existing[target] = i;
      }
      if (info.ruleCount() > 0) {
        for (int r = 0, k = info.ruleCount(); r < k; r++) {
          addHit(info.rule(r), info.ruleTarget(r), i);
        }
        captureFact(info.fact(), i);
      }
    }
  }

  private void captureFact(MappingTable.Fact fact, int i) {
    switch (fact) {
      case AI_OPERATION_ID:
        aiOperationId = stringAt(i);
        break;
      case OPENINFERENCE_SPAN_KIND:
        oiKind = stringAt(i);
        break;
      case TRACELOOP_SPAN_KIND:
        traceloopKind = stringAt(i);
        break;
      default:
        break;
    }
  }

  private String stringAt(int i) {
    AnyValue v = attrs.value(i);
    return v.hasStringValue() ? v.getStringValue() : null;
  }

  private void family(String key, int i) {
    if (key.startsWith("gen_ai.")) {
      if (table.enabled(Dialect.OTEL_DEPRECATED)
          && (indexed(Family.GEN_AI_PROMPT, key, i) || indexed(Family.GEN_AI_COMPLETION, key, i))) {
        return;
      }
      if (table.enabled(Dialect.OPENLLMETRY)) {
        indexed(Family.OLD_TOOL_DEFINITIONS, key, i);
      }
    } else if (key.startsWith("llm.")) {
      if (key.startsWith("llm.prompts.")) {
        long p = parseIndex(key, Family.OLD_PROMPTS.prefix.length());
        if (p >= 0) {
          boolean oi = key.startsWith("prompt.", restOf(p));
          Family f = oi ? Family.OI_PROMPTS : Family.OLD_PROMPTS;
          if (table.enabled(f.dialect)) {
            add(f, indexOf(p), field(key, restOf(p)), i);
          }
        }
        return;
      }
      if (table.enabled(Dialect.OPENINFERENCE)
          && (indexed(Family.OI_INPUT, key, i)
              || indexed(Family.OI_OUTPUT, key, i)
              || indexed(Family.OI_CHOICES, key, i)
              || indexed(Family.OI_TOOLS, key, i))) {
        return;
      }
      if (table.enabled(Dialect.OPENLLMETRY)) {
        if (!indexed(Family.OLD_COMPLETIONS, key, i)) {
          indexed(Family.FUNCTIONS, key, i);
        }
      }
    } else if (key.startsWith("retrieval.documents.")) {
      if (table.enabled(Dialect.OPENINFERENCE)) {
        indexed(Family.OI_DOCUMENTS, key, i);
      }
    } else if (key.startsWith("ai.response.") && table.enabled(Dialect.VERCEL_AI)) {
      switch (key) {
        case "ai.response.text":
          vercelOutput[VERCEL_TEXT] = i;
          break;
        case "ai.response.reasoning":
          vercelOutput[VERCEL_REASONING] = i;
          break;
        case "ai.response.toolCalls":
          vercelOutput[VERCEL_TOOL_CALLS] = i;
          break;
        case "ai.response.object":
          vercelOutput[VERCEL_OBJECT] = i;
          break;
        default:
          break;
      }
    }
  }

  private boolean indexed(Family f, String key, int i) {
    if (!key.startsWith(f.prefix)) {
      return false;
    }
    long p = parseIndex(key, f.prefix.length());
    if (p < 0) {
      return false;
    }
    add(f, indexOf(p), field(key, restOf(p)), i);
    return true;
  }

  /**
   * {@code key.substring(from)}, the field of a family element ({@code role}, {@code content},
   * {@code message.content}...): taken from a small cache of the fields met before, which are the
   * same few on every span. The cache holds attribute keys, never values, and stays this size.
   */
  private String field(String key, int from) {
    int n = key.length() - from;
    int h = n;
    for (int i = from, end = key.length(); i < end; i++) {
      h = 31 * h + key.charAt(i);
    }
    int slot = (h ^ (h >>> 16)) & (fieldNames.length - 1);
    String f = fieldNames[slot];
    if (f != null && f.length() == n && key.startsWith(f, from)) {
      return f;
    }
    f = key.substring(from);
    fieldNames[slot] = f;
    return f;
  }

  private final String[] fieldNames = new String[64];

  private void add(Family f, int index, String field, int attr) {
    Indexed ix = families[f.ordinal()];
    if (ix == null) {
      ix = new Indexed();
      families[f.ordinal()] = ix;
    }
    ix.add(index, field, attr);
    anyFamily = true;
  }

  /**
   * Parses {@code <digits>.} at {@code from}: returns the index and the start of the rest in one
   * long (read them with {@link #indexOf} and {@link #restOf}: no array per key), or -1 when there
   * is no index there or nothing after it.
   */
  static long parseIndex(String key, int from) {
    int n = key.length();
    int i = from;
    int value = 0;
    while (i < n && i - from < 6) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
      i++;
    }
    if (i == from || i >= n - 1 || key.charAt(i) != '.') {
      return -1;
    }
    return ((long) value << 32) | (i + 1);
  }

  /** The index of what {@link #parseIndex} parsed. */
  static int indexOf(long parsed) {
    return (int) (parsed >>> 32);
  }

  /** Where the rest of the key starts after what {@link #parseIndex} parsed. */
  static int restOf(long parsed) {
    return (int) parsed;
  }

  /** The family's elements, or null when the span has none. */
  Indexed family(Family f) {
    return anyFamily ? families[f.ordinal()] : null;
  }

  boolean holds(Condition c) {
    switch (c) {
      case ALWAYS:
        return true;
      case VERCEL_MODEL_CALL:
        return aiOperationId == null || VercelAiSpans.isModelCall(aiOperationId);
      case VERCEL_EMBEDDING_CALL:
        return aiOperationId != null && aiOperationId.endsWith(".doEmbed");
      case OI_LLM:
        return "LLM".equalsIgnoreCase(oiKind);
      case OI_TOOL:
        return "TOOL".equalsIgnoreCase(oiKind);
      case OI_COMPLETIONS_API:
        return family(Family.OI_PROMPTS) != null;
      case TRACELOOP_TOOL:
        return "tool".equalsIgnoreCase(traceloopKind);
      case TRACELOOP_AGENT:
        return "agent".equalsIgnoreCase(traceloopKind);
      default:
        return false;
    }
  }

  /** The value a rule reads: the attribute, or the JSON field of it the rule names. */
  AnyValue valueFor(Rule rule, int attr) {
    if (rule.field() == null) {
      return attrs.value(attr);
    }
    JsonNode doc = fieldDocument(attr);
    JsonNode f = doc == null ? null : doc.get(rule.field());
    return f == null ? null : toValue(f);
  }

  private JsonNode fieldDocument(int attr) {
    if (parsedJson == null) {
      parsedJson = new HashMap<>(4);
    }
    return parsedJson.computeIfAbsent(
        attr,
        k -> {
          AnyValue v = attrs.value(k);
          return Json.parseObjectLenient(v); // read from bytes: the source may stay as it is
        });
  }

  /**
   * Whether a source that a non-hint rule read may go once its value is written: a JSON object
   * read field by field only when every field of it is read by a rule of its key on this span (a
   * field set to null or to a non-finite number says nothing), Langfuse's usage details only when
   * every number in them can be recovered from the counts written. Anything else is read whole.
   */
  boolean readWhole(Rule rule, int attr) {
    if (rule.type() == ValueType.LANGFUSE_USAGE) {
      LangfuseUsage u = langfuseUsage(attrs.value(attr));
      return u != null && u.complete();
    }
    if (rule.field() == null) {
      return true;
    }
    if (fullyRead == null) {
      fullyRead = new HashMap<>(4);
    }
    return fullyRead.computeIfAbsent(attr, this::everyFieldRead);
  }

  private boolean everyFieldRead(int attr) {
    JsonNode doc = fieldDocument(attr);
    List<Rule> rules = table.rules(attrs.key(attr));
    if (doc == null || rules == null) {
      return false;
    }
    for (Map.Entry<String, JsonNode> e : doc.properties()) {
      if (toValue(e.getValue()) == null) {
        continue; // null, NaN, Infinity
      }
      boolean read = false;
      for (Rule r : rules) {
        if (e.getKey().equals(r.field()) && !r.hint() && holds(r.when())) {
          read = true;
          break;
        }
      }
      if (!read) {
        return false;
      }
    }
    return true;
  }

  @Override
  public LangfuseUsage langfuseUsage(AnyValue v) {
    if (v != usageSource) {
      usageSource = v;
      usage = Converter.Context.super.langfuseUsage(v);
    }
    return usage;
  }

  /**
   * A JSON value as an OTLP value: scalars as such, an array of scalars as a string array, an
   * object or any other array as its JSON text (which a JSON-reading type such as {@code
   * output_type} can read, and a number or string type rejects). Null for JSON null and for
   * non-finite numbers: a Python SDK writes float("inf") for "no limit".
   */
  private static AnyValue toValue(JsonNode n) {
    if (n.isTextual()) {
      return Values.of(n.asText());
    }
    if (n.isBoolean()) {
      return Values.of(n.asBoolean());
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return Values.of(n.asLong());
    }
    if (n.isNumber()) {
      double d = n.asDouble();
      return Double.isFinite(d) ? Values.of(d) : null;
    }
    if (n.isArray()) {
      List<String> out = new ArrayList<>(n.size());
      for (JsonNode e : n) {
        if (!e.isValueNode() || e.isNull()) {
          return Values.of(Json.write(n));
        }
        out.add(e.asText());
      }
      return Values.ofStrings(out);
    }
    if (n.isObject()) {
      return Values.of(Json.write(n));
    }
    return null;
  }

  @Override
  public List<String> finishReasons() {
    if (finishReasonList == null) {
      List<String> l =
          resolvedFinishReasons == null ? null : Converter.strings(resolvedFinishReasons);
      finishReasonList = l == null ? List.of() : l;
    }
    return finishReasonList;
  }
}
