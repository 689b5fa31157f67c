package io.tollgate.processor.genainormalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.CustomMapping;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The mapping table ({@code genai-mappings.yaml}) in the shape the normaliser looks things up:
 * rules by source key, targets in resolution order, and the value renames.
 *
 * <p>Immutable and shared: {@link #builtIn()} is read once per JVM; {@link #configure} derives a
 * table for one processor's {@code sources} and {@code custom_mappings}.
 */
final class MappingTable {

  static final String RESOURCE = "genai-mappings.yaml";

  private static volatile MappingTable builtIn;

  private final String semconvVersion;
  private final int tableVersion;

  /** Target → type, in the order targets are resolved (later ones read earlier results). */
  private final Map<String, ValueType> targets;

  private final String[] targetNames;
  private final ValueType[] targetTypes;
  private final Map<String, Integer> targetIndex;

  /** Per key of interest: its target ordinal (-1 if none) and the rules reading it (or null). */
  private final Map<String, KeyInfo> keys;

  private final boolean[] targetHasFamilies;

  /**
   * What the table knows about one attribute key; one lookup per key in the scan. Its rules come
   * as an array with each rule's target ordinal beside it: the scan of every GenAI span walks them
   * without an iterator and without looking each target up by name.
   */
  static final class KeyInfo {
    private final int target;
    private final Rule[] ruleArray;
    private final int[] ruleTargets;
    private final Fact fact;

    KeyInfo(String key, int target, List<Rule> rules, Map<String, Integer> targetIndex) {
      this.target = target;
      this.fact = Fact.of(key);
      int n = rules == null ? 0 : rules.size();
      this.ruleArray = new Rule[n];
      this.ruleTargets = new int[n];
      for (int i = 0; i < n; i++) {
        ruleArray[i] = rules.get(i);
        ruleTargets[i] = targetIndex.get(ruleArray[i].target());
      }
    }

    /** The ordinal of the target this key is, or -1. */
    int target() {
      return target;
    }

    /** How many rules read this key (0: it is only a target). */
    int ruleCount() {
      return ruleArray.length;
    }

    Rule rule(int i) {
      return ruleArray[i];
    }

    /** The target ordinal of {@link #rule}{@code (i)}. */
    int ruleTarget(int i) {
      return ruleTargets[i];
    }

    /** What the scan notes about the span when it meets this key (see {@link SpanScan}). */
    Fact fact() {
      return fact;
    }
  }

  /** Keys whose value conditions other rules ({@link Condition}): the scan keeps their value. */
  enum Fact {
    NONE,
    AI_OPERATION_ID,
    OPENINFERENCE_SPAN_KIND,
    TRACELOOP_SPAN_KIND;

    static Fact of(String key) {
      switch (key) {
        case "ai.operationId":
          return AI_OPERATION_ID;
        case "openinference.span.kind":
          return OPENINFERENCE_SPAN_KIND;
        case "traceloop.span.kind":
          return TRACELOOP_SPAN_KIND;
        default:
          return NONE;
      }
    }
  }

  /** Targets that indexed families or events can also feed (see Families). */
  private static final Set<String> FAMILY_TARGETS =
      Set.of(
          "gen_ai.input.messages",
          "gen_ai.output.messages",
          "gen_ai.response.finish_reasons",
          "gen_ai.tool.definitions",
          "gen_ai.retrieval.documents");

  private final Map<String, List<Rule>> rulesByKey;
  private final Map<String, String> providers;
  private final Map<String, String> finishReasons;
  private final Set<String> apiSuffixes;
  private final String[] strongPrefixes;

  /** Keys that make a span worth looking at although outside the strong prefixes. */
  private final Set<String> strongKeys;

  private final boolean[] enabled;

  /**
   * Per ASCII first character, two words of bits: the lengths (1 to 127) of the table's keys that
   * start with it. {@link #key} rejects most other keys with one array read instead of hashing
   * them (a key just decoded has no cached hash, so the map lookup reads it whole).
   */
  private final long[] keyShapes = new long[128 * 2];

  /** First characters of the strong prefixes and keys, to reject most keys at once. */
  private final boolean[] strongFirstChars = new boolean[128];

  private MappingTable(
      String semconvVersion,
      int tableVersion,
      Map<String, ValueType> targets,
      Map<String, List<Rule>> rulesByKey,
      Map<String, String> providers,
      Map<String, String> finishReasons,
      Set<String> apiSuffixes,
      String[] strongPrefixes,
      Set<String> strongKeys,
      boolean[] enabled) {
    this.semconvVersion = semconvVersion;
    this.tableVersion = tableVersion;
    this.targets = targets;
    this.targetNames = targets.keySet().toArray(new String[0]);
    this.targetTypes = targets.values().toArray(new ValueType[0]);
    Map<String, Integer> index = new HashMap<>(targetNames.length * 2);
    for (int i = 0; i < targetNames.length; i++) {
      index.put(targetNames[i], i);
    }
    this.targetIndex = index;
    this.targetHasFamilies = new boolean[targetNames.length];
    for (int i = 0; i < targetNames.length; i++) {
      targetHasFamilies[i] = FAMILY_TARGETS.contains(targetNames[i]);
    }
    Map<String, KeyInfo> k = new HashMap<>((index.size() + rulesByKey.size()) * 2);
    index.forEach(
        (name, ordinal) -> k.put(name, new KeyInfo(name, ordinal, rulesByKey.get(name), index)));
    rulesByKey.forEach((name, rules) -> k.putIfAbsent(name, new KeyInfo(name, -1, rules, index)));
    this.keys = k; // never handed out; a plain HashMap keeps the per-key lookup short
    for (String key : k.keySet()) {
      int n = key.length();
      if (n > 0 && n < 128 && key.charAt(0) < 128) {
        keyShapes[key.charAt(0) * 2 + (n >>> 6)] |= 1L << n;
      }
    }
    this.rulesByKey = rulesByKey;
    this.providers = providers;
    this.finishReasons = finishReasons;
    this.apiSuffixes = apiSuffixes;
    this.strongPrefixes = strongPrefixes;
    this.strongKeys = strongKeys;
    this.enabled = enabled;
    for (String p : strongPrefixes) {
      markFirstChar(p);
    }
    for (String key : strongKeys) {
      markFirstChar(key);
    }
  }

  /** The table shipped with the processor. */
  static MappingTable builtIn() {
    MappingTable t = builtIn;
    if (t == null) {
      synchronized (MappingTable.class) {
        t = builtIn;
        if (t == null) {
          try (InputStream in = MappingTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
              throw new IllegalStateException("missing resource " + RESOURCE);
            }
            t = parse(new ObjectMapper(new YAMLFactory()).readTree(in));
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
          }
          builtIn = t;
        }
      }
    }
    return t;
  }

  /** Parses a mapping table; throws {@link IllegalArgumentException} saying what is wrong. */
  static MappingTable parse(JsonNode root) {
    String semconv = text(root, "semconv_version");
    int version = root.path("table_version").asInt(0);
    if (version <= 0) {
      throw new IllegalArgumentException("table_version must be a positive int");
    }
    for (Iterator<String> it = root.path("dialects").fieldNames(); it.hasNext(); ) {
      Dialect.fromLabel(it.next()); // every documented dialect must exist in code
    }
    List<String> prefixes = new ArrayList<>();
    root.path("strong_prefixes").forEach(p -> prefixes.add(p.asText()));
    if (prefixes.isEmpty()) {
      throw new IllegalArgumentException("strong_prefixes must not be empty");
    }
    Map<String, String> providers = lowerCaseMap(root.path("providers"), "providers");
    Map<String, String> finish = lowerCaseMap(root.path("finish_reasons"), "finish_reasons");
    Set<String> suffixes = new HashSet<>();
    root.path("provider_api_suffixes").forEach(p -> suffixes.add(p.asText()));

    Map<String, ValueType> targets = new LinkedHashMap<>();
    Map<String, List<Rule>> byKey = new HashMap<>();
    int priority = 0;
    for (JsonNode mapping : root.path("mappings")) {
      String target = text(mapping, "to");
      ValueType targetType = ValueType.fromLabel(text(mapping, "type"));
      if (targets.put(target, targetType) != null) {
        throw new IllegalArgumentException("target " + target + " is listed twice");
      }
      for (JsonNode source : mapping.path("from")) {
        Rule rule = parseRule(source, target, targetType, priority++);
        byKey.computeIfAbsent(rule.key(), k -> new ArrayList<>(1)).add(rule);
      }
    }
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("mappings must not be empty");
    }
    boolean[] enabled = new boolean[Dialect.values().length];
    java.util.Arrays.fill(enabled, true);
    return new MappingTable(
        semconv,
        version,
        Collections.unmodifiableMap(targets),
        freeze(byKey),
        providers,
        finish,
        Set.copyOf(suffixes),
        prefixes.toArray(new String[0]),
        Set.of(),
        enabled);
  }

  private static Rule parseRule(JsonNode source, String target, ValueType targetType, int prio) {
    Dialect dialect = null;
    String key = null;
    for (Map.Entry<String, JsonNode> e : source.properties()) {
      switch (e.getKey()) {
        case "when":
        case "hint":
        case "fallback":
        case "field":
        case "values":
        case "type":
          break;
        default:
          if (dialect != null) {
            throw new IllegalArgumentException(
                "a source of " + target + " names two dialects: " + source);
          }
          dialect = Dialect.fromLabel(e.getKey());
          key = e.getValue().asText();
      }
    }
    if (dialect == null || key.isEmpty()) {
      throw new IllegalArgumentException("a source of " + target + " has no dialect: " + source);
    }
    ValueType type =
        source.has("type") ? ValueType.fromLabel(source.get("type").asText()) : targetType;
    Condition when =
        source.has("when") ? Condition.fromLabel(source.get("when").asText()) : Condition.ALWAYS;
    Map<String, String> values =
        source.has("values") ? lowerCaseMap(source.get("values"), target + " values") : null;
    String field = source.has("field") ? source.get("field").asText() : null;
    return new Rule(
        key,
        target,
        dialect,
        type,
        when,
        field,
        values,
        source.path("hint").asBoolean(false),
        source.path("fallback").asBoolean(false),
        prio);
  }

  /**
   * The table for one processor: rules of disabled dialects removed, the user's custom mappings
   * added. A custom mapping replaces every built-in rule of its source key.
   */
  MappingTable configure(GenAiNormalizeConfig config) {
    boolean[] on = new boolean[Dialect.values().length];
    for (Dialect d : Dialect.values()) {
      on[d.ordinal()] = config.sources().enabled(d);
    }
    Map<String, List<Rule>> byKey = new HashMap<>();
    for (Map.Entry<String, List<Rule>> e : rulesByKey.entrySet()) {
      List<Rule> kept = new ArrayList<>(e.getValue().size());
      for (Rule r : e.getValue()) {
        if (on[r.dialect().ordinal()]) {
          kept.add(r);
        }
      }
      if (!kept.isEmpty()) {
        byKey.put(e.getKey(), kept);
      }
    }
    Map<String, ValueType> allTargets = new LinkedHashMap<>();
    Set<String> custom = new HashSet<>();
    // Custom targets that the table does not know are resolved first: they read nothing.
    for (CustomMapping m : config.customMappings()) {
      if (!targets.containsKey(m.to())) {
        allTargets.put(m.to(), ValueType.ANY);
      }
    }
    allTargets.putAll(targets);
    int priority = -1_000_000;
    for (CustomMapping m : config.customMappings()) {
      ValueType type = customType(m, targets.get(m.to()));
      byKey.put(
          m.from(),
          List.of(
              new Rule(
                  m.from(),
                  m.to(),
                  Dialect.CUSTOM,
                  type,
                  Condition.ALWAYS,
                  null,
                  null,
                  false,
                  false,
                  priority++)));
      custom.add(m.from());
    }
    return new MappingTable(
        semconvVersion,
        tableVersion,
        Collections.unmodifiableMap(allTargets),
        freeze(byKey),
        providers,
        finishReasons,
        apiSuffixes,
        strongPrefixes,
        Set.copyOf(custom),
        on);
  }

  private static ValueType customType(CustomMapping m, ValueType targetType) {
    switch (m.type()) {
      case STRING:
        return ValueType.STRING;
      case INT:
        return ValueType.INT;
      case DOUBLE:
        return ValueType.DOUBLE;
      case BOOL:
        return ValueType.BOOL;
      case STRING_ARRAY:
        return ValueType.STRING_ARRAY;
      default:
        if (targetType == null) {
          return ValueType.ANY;
        }
        // A message target fed by the user's own attribute: that attribute holds the JSON.
        return targetType.isJson() ? ValueType.JSON : targetType;
    }
  }

  String semconvVersion() {
    return semconvVersion;
  }

  int tableVersion() {
    return tableVersion;
  }

  /** Targets in resolution order, with their types. */
  Map<String, ValueType> targets() {
    return targets;
  }

  int targetCount() {
    return targetNames.length;
  }

  String targetName(int ordinal) {
    return targetNames[ordinal];
  }

  ValueType targetType(int ordinal) {
    return targetTypes[ordinal];
  }

  /** The ordinal of target {@code key}, or -1 when {@code key} is no target. */
  int targetOrdinal(String key) {
    Integer i = targetIndex.get(key);
    return i == null ? -1 : i;
  }

  /** What the table knows about {@code key}, or null when nothing. */
  KeyInfo key(String key) {
    int n = key.length();
    if (n > 0 && n < 128) {
      char first = key.charAt(0);
      if (first < 128 && (keyShapes[first * 2 + (n >>> 6)] & (1L << n)) == 0) {
        return null; // no key of the table has this first character and length
      }
    }
    return keys.get(key);
  }

  /** Whether indexed families or events can feed the target. */
  boolean hasFamilies(int target) {
    return targetHasFamilies[target];
  }

  /** Every source key with the rules reading it (the table's rows, for tests and tooling). */
  Map<String, List<Rule>> rulesByKey() {
    return rulesByKey;
  }

  /** Rules reading {@code key}, or null. */
  List<Rule> rules(String key) {
    return rulesByKey.get(key);
  }

  boolean enabled(Dialect dialect) {
    return enabled[dialect.ordinal()];
  }

  /**
   * Whether {@code key} marks a span as worth normalising. Called for every attribute of every
   * span, so it must stay a few character comparisons for the keys of ordinary spans.
   */
  boolean isStrongKey(String key) {
    if (key.isEmpty()) {
      return false;
    }
    char first = key.charAt(0);
    if (first >= 128 || !strongFirstChars[first]) {
      return false; // http.*, url.*, db.*, ...: one array read
    }
    for (String p : strongPrefixes) {
      if (key.startsWith(p)) {
        return true;
      }
    }
    return !strongKeys.isEmpty() && strongKeys.contains(key);
  }

  private void markFirstChar(String s) {
    if (s.isEmpty()) {
      return;
    }
    char c = s.charAt(0);
    if (c < 128) {
      strongFirstChars[c] = true;
    } else {
      // Keys starting outside ASCII are rare; let them through to the full test.
      java.util.Arrays.fill(strongFirstChars, true);
    }
  }

  /**
   * The conventions' provider name for {@code raw}: the whole value, then its dotted prefixes
   * ("openai.chat" → "openai"); a value found nowhere is returned lower-cased, without an API
   * suffix ("cerebras.chat" → "cerebras").
   */
  String provider(String raw) {
    String whole = raw.trim().toLowerCase(Locale.ROOT);
    String v = whole;
    String found = providers.get(v);
    int dot = v.lastIndexOf('.');
    while (found == null && dot > 0) {
      v = v.substring(0, dot);
      found = providers.get(v);
      dot = v.lastIndexOf('.');
    }
    if (found != null) {
      return found;
    }
    int last = whole.lastIndexOf('.');
    if (last > 0 && apiSuffixes.contains(whole.substring(last + 1))) {
      return whole.substring(0, last);
    }
    return whole;
  }

  /** The provider name for a value that is already canonical: only whole-value renames. */
  String canonicalProvider(String value) {
    String found = providers.get(value);
    if (found == null) {
      found = providers.get(value.trim().toLowerCase(Locale.ROOT));
    }
    return found != null ? found : value;
  }

  /** The conventions' finish reason for {@code raw}, or null when the table does not know it. */
  String finishReason(String raw) {
    String found = finishReasons.get(raw); // most values come lower-case already
    return found != null ? found : finishReasons.get(raw.trim().toLowerCase(Locale.ROOT));
  }

  private static Map<String, List<Rule>> freeze(Map<String, List<Rule>> byKey) {
    Map<String, List<Rule>> out = new HashMap<>(byKey.size() * 2);
    byKey.forEach((k, v) -> out.put(k, List.copyOf(v)));
    return Collections.unmodifiableMap(out);
  }

  private static Map<String, String> lowerCaseMap(JsonNode node, String what) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(what + " must be a mapping");
    }
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (out.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()) != null) {
        throw new IllegalArgumentException(what + ": " + e.getKey() + " is listed twice");
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isValueNode() || v.asText().isEmpty()) {
      throw new IllegalArgumentException("missing " + field + " in " + node);
    }
    return v.asText();
  }
}
