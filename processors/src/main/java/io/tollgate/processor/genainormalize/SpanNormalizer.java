package io.tollgate.processor.genainormalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.model.AttributeView;
import io.tollgate.core.model.SpanEvent;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.Values;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.FinishReasons;
import io.tollgate.processor.internal.GenAiOperations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Normalises one span at a time: scan, then for each target in the table's order pick a value, then
 * write, remove and rename in one go. Nothing is changed until every decision is made, so a span
 * that makes the normaliser fail is passed on untouched.
 *
 * <p>Thread-safe: the working state of a span (its scan, the decisions, the candidates) is the
 * calling thread's, reused from span to span and emptied after each (see {@link Scratch}).
 */
final class SpanNormalizer {

  /**
   * The finish reasons as the provider sent them, written next to {@code
   * gen_ai.response.finish_reasons} when the conventions' vocabulary replaced one of them (e.g.
   * Anthropic's {@code max_tokens} → {@code length}), so that the original stays recoverable.
   */
  static final String FINISH_REASONS_AS_SENT = "tollgate.gen_ai.response.finish_reasons_as_sent";

  private static final String OPERATION = "gen_ai.operation.name";
  private static final String REQUEST_MODEL = "gen_ai.request.model";
  private static final String RESPONSE_MODEL = "gen_ai.response.model";
  private static final String FINISH_REASONS = "gen_ai.response.finish_reasons";
  private static final String INPUT_MESSAGES = "gen_ai.input.messages";
  private static final String OUTPUT_MESSAGES = "gen_ai.output.messages";
  private static final String TOOL_DEFINITIONS = "gen_ai.tool.definitions";
  private static final String RETRIEVAL_DOCUMENTS = "gen_ai.retrieval.documents";

  /** What happened to one span; the processor sums these per batch for its metrics. */
  static final class Outcome implements Families.Unknowns {
    /** Bit per {@link Dialect} ordinal that contributed a value or a removal. */
    int dialects;

    /** A canonical attribute's value was corrected (provider spelling, finish reason, type). */
    boolean canonicalFixed;

    boolean changed;
    boolean renamed;
    int conflicts;
    int unconvertible;
    int unknownFields;

    @Override
    public void unknown(int count) {
      unknownFields += count;
    }

    void reset() {
      dialects = 0;
      canonicalFixed = false;
      changed = false;
      renamed = false;
      conflicts = 0;
      unconvertible = 0;
      unknownFields = 0;
    }
  }

  private final MappingTable table;
  private final Converter converter;
  private final Families families;
  private final boolean removeOriginals;
  private final boolean overwrite;
  private final boolean renameSpans;
  private final FinishReasons mode;
  private final int operationTarget;
  private final int requestModelTarget;
  private final int responseModelTarget;
  private final int finishReasonsTarget;

  /** Each thread's working state; see {@link Scratch}. */
  private final ThreadLocal<Scratch> scratch;

  SpanNormalizer(MappingTable table, GenAiNormalizeConfig config) {
    this.table = table;
    this.mode = config.finishReasons();
    this.converter = new Converter(table, mode);
    this.families = new Families(converter);
    this.removeOriginals = config.removeOriginals();
    this.overwrite = config.overwrite();
    this.renameSpans = config.renameSpans();
    this.operationTarget = table.targetOrdinal(OPERATION);
    this.requestModelTarget = table.targetOrdinal(REQUEST_MODEL);
    this.responseModelTarget = table.targetOrdinal(RESPONSE_MODEL);
    this.finishReasonsTarget = table.targetOrdinal(FINISH_REASONS);
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(table));
  }

  /**
   * Normalises {@code span} in place.
   *
   * @return false when the span has nothing GenAI about it (and was not looked at further)
   */
  boolean normalize(SpanRecord span, Outcome out) {
    out.reset();
    if (!SpanScan.isCandidate(span, table)) {
      return false;
    }
    Scratch w = scratch.get();
    if (w.inUse) {
      w = new Scratch(table); // not expected (nothing here calls back into the normaliser)
    }
    w.inUse = true;
    try {
      normalize(span, out, w.scan, w.changes, w.resolved, w.cands, w.pool);
    } finally {
      w.release();
    }
    return true;
  }

  private void normalize(
      SpanRecord span,
      Outcome out,
      SpanScan s,
      Changes ch,
      AnyValue[] resolved,
      List<Candidate> cands,
      Candidate.Pool pool) {
    s.start(span);
    s.scan();
    for (int t = 0; t < table.targetCount(); t++) {
      int first = s.firstHit(t);
      if (first < 0 && s.existing[t] < 0 && !table.hasFamilies(t)) {
        continue;
      }
      String name = table.targetName(t);
      ValueType type = table.targetType(t);
      cands.clear();
      pool.reuse(); // the candidates of the previous target are done with
      boolean deferred = false;
      for (int h = first; h >= 0; h = s.nextHit(h)) {
        if (isDeferrable(s.hitRule(h))) {
          deferred = true;
          continue;
        }
        addCandidate(s, h, cands, ch, pool);
      }
      if (table.hasFamilies(t)) {
        familyCandidates(s, name, cands, out);
      }
      if (deferred && s.existing[t] < 0 && allFallbacks(cands)) {
        // Only now may a fallback win: convert them (OpenInference's input.value, a whole
        // request, is parsed and rewritten only on spans that have nothing better).
        for (int h = first; h >= 0; h = s.nextHit(h)) {
          if (isDeferrable(s.hitRule(h))) {
            addCandidate(s, h, cands, ch, pool);
          }
        }
      }
      if (cands.isEmpty() && s.existing[t] < 0) {
        continue;
      }
      resolved[t] = resolve(s, name, type, s.existing[t], cands, ch, out);
      if (t == finishReasonsTarget) {
        s.resolvedFinishReasons = resolved[t];
      }
    }

    // Per attribute, not per rule: one JSON object feeds several targets.
    out.unconvertible += ch.unconvertible.cardinality();
    ch.partlyRead.andNot(ch.unconvertible);
    out.unknownFields += ch.partlyRead.cardinality();
    String newName = renameSpans ? inferenceSpanName(span, resolved) : null;
    apply(s, ch, newName, out);
  }

  /** Converts the source of one hit into a candidate, or records why it stays. */
  private void addCandidate(
      SpanScan s, int h, List<Candidate> cands, Changes ch, Candidate.Pool pool) {
    Rule r = s.hitRule(h);
    int attr = s.hitAttr(h);
    if (!s.holds(r.when())) {
      return;
    }
    Converted c = converter.convert(r, s.valueFor(r, attr), s);
    if (c == Converted.ABSENT) {
      return;
    }
    if (!c.ok()) {
      if (!r.hint() && !r.fallback()) {
        ch.keepAttr(attr);
        ch.unconvertible.set(attr);
      }
      return;
    }
    if (!r.hint() && !s.readWhole(r, attr)) {
      // Part of the source has no home here: the value is written, the source stays.
      ch.keepAttr(attr);
      ch.partlyRead.set(attr);
    }
    cands.add(pool.next().set(r, c, attr));
  }

  /**
   * A fallback that reads its source whole: it can only win when the target has no value on the
   * span and no candidate but fallbacks (see {@link #resolve}), it is otherwise ignored, and
   * converting it has no other effect. So it is converted only when it may win.
   */
  private static boolean isDeferrable(Rule r) {
    return r.fallback() && r.field() == null && r.type() != ValueType.LANGFUSE_USAGE;
  }

  private static boolean allFallbacks(List<Candidate> cands) {
    for (int i = 0, n = cands.size(); i < n; i++) {
      if (!cands.get(i).fallback) {
        return false;
      }
    }
    return true;
  }

  private void familyCandidates(
      SpanScan s, String target, List<Candidate> cands, Families.Unknowns unknowns) {
    switch (target) {
      case INPUT_MESSAGES:
        families.inputMessages(s, cands, unknowns);
        break;
      case OUTPUT_MESSAGES:
        families.outputMessages(s, cands, unknowns);
        break;
      case FINISH_REASONS:
        families.finishReasons(s, cands);
        break;
      case TOOL_DEFINITIONS:
        families.toolDefinitions(s, cands, unknowns);
        break;
      case RETRIEVAL_DOCUMENTS:
        families.retrievalDocuments(s, cands, unknowns);
        break;
      default:
        break;
    }
  }

  /** Picks the target's value; returns it (null when the span has none). */
  private AnyValue resolve(
      SpanScan s,
      String name,
      ValueType type,
      int existingAttr,
      List<Candidate> cands,
      Changes ch,
      Outcome out) {
    AnyValue existing = existingAttr >= 0 ? s.attrs.value(existingAttr) : null;
    List<String> asSent = null;
    if (existing != null) {
      AnyValue fixed = fixCanonical(type, existing);
      if (fixed != existing) {
        if (type == ValueType.FINISH_REASONS) {
          asSent = Converter.strings(existing);
        }
        ch.write(name, fixed);
        existing = fixed;
        out.canonicalFixed = true;
      }
    }
    if (cands.isEmpty()) {
      writeAsSent(type, asSent, existing, ch);
      return existing;
    }
    if (cands.size() > 1) {
      cands.sort((a, b) -> Integer.compare(a.priority, b.priority));
    }
    boolean hasNonFallback = false;
    int count = cands.size();
    for (int i = 0; i < count; i++) {
      hasNonFallback |= !cands.get(i).fallback;
    }
    Candidate winner = null;
    if (existing == null || overwrite) {
      for (int i = 0; i < count; i++) {
        Candidate c = cands.get(i);
        if (existing != null && c.hint) {
          continue; // an inference never replaces what the span says
        }
        if (c.fallback && (existing != null || hasNonFallback)) {
          continue;
        }
        winner = c;
        break;
      }
    }
    AnyValue current = existing;
    JsonNode currentJson = null;
    if (winner != null) {
      current = winner.value;
      currentJson = winner.json;
      ch.write(name, current);
      ch.consume(winner);
      out.dialects |= 1 << winner.dialect.ordinal();
      if (winner.asSent != null) {
        asSent = winner.asSent;
      }
    }
    for (int i = 0; i < count; i++) {
      Candidate c = cands.get(i);
      if (c == winner || c.hint || c.fallback) {
        continue;
      }
      if (currentJson == null && current != null && type.isJson() && current.hasStringValue()) {
        currentJson = Json.parseContainer(current);
      }
      if (same(c, current, currentJson)) {
        ch.consume(c);
        out.dialects |= 1 << c.dialect.ordinal();
        if (asSent == null && c.asSent != null) {
          asSent = c.asSent;
        }
      } else {
        ch.keep(c);
        out.conflicts++;
      }
    }
    writeAsSent(type, asSent, current, ch);
    return current;
  }

  private static void writeAsSent(
      ValueType type, List<String> asSent, AnyValue current, Changes ch) {
    if (type != ValueType.FINISH_REASONS || asSent == null || current == null) {
      return;
    }
    if (!asSent.equals(Converter.strings(current))) {
      ch.write(FINISH_REASONS_AS_SENT, Values.ofStrings(asSent));
    }
  }

  /**
   * Corrects a canonical attribute the span already has, where the correction loses nothing: a
   * deprecated provider spelling ({@code az.ai.openai}), a provider's finish reason when the
   * conventions' vocabulary is asked for, a count sent as a string. Otherwise returns {@code v}
   * itself, so that a span already on the conventions passes unchanged.
   */
  private AnyValue fixCanonical(ValueType type, AnyValue v) {
    switch (type) {
      case PROVIDER:
        if (v.hasStringValue()) {
          String fixed = table.canonicalProvider(v.getStringValue());
          return fixed.equals(v.getStringValue()) ? v : Values.of(fixed);
        }
        return v;
      case FINISH_REASONS:
        {
          if (mode == FinishReasons.CONVENTIONS && alreadyConventional(v)) {
            return v;
          }
          List<String> raw = Converter.strings(v);
          if (raw == null) {
            return v;
          }
          AnyValue fixed = converter.finishReasons(raw).value();
          return fixed.equals(v) ? v : fixed;
        }
      case INT:
        if (!v.hasIntValue()) {
          Long l = Converter.wholeNumber(v);
          return l == null ? v : Values.of(l);
        }
        return v;
      case DOUBLE:
        if (v.hasStringValue()) {
          Double d = Values.asDouble(v);
          return d == null ? v : Values.of(d);
        }
        return v;
      case BOOL:
        if (v.hasStringValue()) {
          Boolean b = Values.asBoolean(v);
          return b == null ? v : Values.of(b);
        }
        return v;
      case STRING_ARRAY:
        if (v.hasStringValue()) {
          List<String> l = Converter.strings(v);
          return l == null ? v : Values.ofStrings(l);
        }
        return v;
      default:
        return v;
    }
  }

  /** An array of reasons that are all in the conventions' vocabulary already (no allocation). */
  private boolean alreadyConventional(AnyValue v) {
    if (!v.hasArrayValue()) {
      return false;
    }
    for (AnyValue e : v.getArrayValue().getValuesList()) {
      if (!e.hasStringValue()
          || !e.getStringValue().equals(table.finishReason(e.getStringValue()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a candidate says the same as the value chosen (numbers by value, JSON by structure).
   */
  private static boolean same(Candidate c, AnyValue current, JsonNode currentJson) {
    if (current == null) {
      return false;
    }
    if (c.json != null || currentJson != null) {
      JsonNode mine = c.json != null ? c.json : Json.parseContainer(c.value);
      return mine != null && currentJson != null && Json.sameJson(mine, currentJson);
    }
    if (isNumber(c.value) && isNumber(current)) {
      return Values.asDouble(c.value).doubleValue() == Values.asDouble(current).doubleValue();
    }
    return sameValue(c.value, current);
  }

  /**
   * {@code a.equals(b)}, but two string values are compared by their UTF-8 bytes: protobuf's {@code
   * equals} turns both into Strings, which a value received as bytes and moved unchanged must not
   * become (export would encode the String again).
   */
  static boolean sameValue(AnyValue a, AnyValue b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a.hasStringValue() && b.hasStringValue()) {
      return a.getStringValueBytes().equals(b.getStringValueBytes())
          && a.getUnknownFields().equals(b.getUnknownFields());
    }
    return a.equals(b);
  }

  private static boolean isNumber(AnyValue v) {
    return v.hasIntValue() || v.hasDoubleValue();
  }

  private String inferenceSpanName(SpanRecord span, AnyValue[] resolved) {
    AnyValue op = operationTarget >= 0 ? resolved[operationTarget] : null;
    if (op == null
        || !op.hasStringValue()
        || !GenAiOperations.MODEL_CALLS.contains(op.getStringValue())) {
      return null;
    }
    AnyValue model = requestModelTarget >= 0 ? resolved[requestModelTarget] : null;
    if ((model == null || !model.hasStringValue() || model.getStringValue().isEmpty())
        && responseModelTarget >= 0) {
      model = resolved[responseModelTarget];
    }
    if (model == null || !model.hasStringValue() || model.getStringValue().isEmpty()) {
      return null;
    }
    String name = op.getStringValue() + " " + model.getStringValue();
    return name.equals(span.name()) ? null : name;
  }

  private void apply(SpanScan s, Changes ch, String newName, Outcome out) {
    if (ch.writeCount == 0
        && ch.consumedAttrs.isEmpty()
        && ch.consumedEvents.isEmpty()
        && newName == null) {
      return; // the common case for spans already on the conventions
    }
    AttributeView attrs = s.attrs;
    if (removeOriginals) {
      BitSet gone = ch.gone;
      gone.clear();
      gone.or(ch.consumedAttrs);
      gone.andNot(ch.keptAttrs);
      for (int i = gone.nextSetBit(0); i >= 0; i = gone.nextSetBit(i + 1)) {
        // A custom mapping may write a key it also reads from (a → b, b → c): keep what we wrote.
        String key = attrs.key(i);
        if (ch.writeIndex(key) < 0) {
          ch.removeKey(key);
        }
      }
    }
    Set<Span.Event.Builder> removeEvents = null;
    if (removeOriginals) {
      BitSet gone = ch.gone;
      gone.clear();
      gone.or(ch.consumedEvents);
      gone.andNot(ch.keptEvents);
      if (!gone.isEmpty()) {
        List<SpanEvent> events = s.span.events();
        removeEvents = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = gone.nextSetBit(0); i >= 0; i = gone.nextSetBit(i + 1)) {
          removeEvents.add(events.get(i).proto());
        }
      }
    }
    // Removals first: the list then has room for what is added (removing sources frees more
    // places than the targets take), instead of growing into a new array. The result is the same
    // list: no key written is removed, and what is added goes to the end either way.
    if (ch.removeCount > 0) {
      out.changed |= attrs.removeIf(ch) > 0;
    }
    for (int w = 0; w < ch.writeCount; w++) {
      String key = ch.writeKeys[w];
      AnyValue value = ch.writeValues[w];
      // One scan per write: the index found serves the comparison and the write.
      int at = attrs.indexOf(key);
      AnyValue before = at < 0 ? null : attrs.value(at);
      if (!sameValue(value, before)) {
        attrs.putAt(at, key, value);
        out.changed = true;
      }
    }
    if (removeEvents != null) {
      Set<Span.Event.Builder> evs = removeEvents;
      out.changed |= s.span.removeEvents(e -> evs.contains(e.proto())) > 0;
    }
    if (newName != null) {
      s.span.setName(newName);
      out.renamed = true;
      out.changed = true;
    }
  }

  /**
   * A thread's working state for one span at a time: the scan, the decisions, the values resolved
   * per target and the candidates of the target at hand. Reused from span to span (a GenAI span
   * used to cost a dozen collections and arrays here) and emptied by {@link #release} after each,
   * so that nothing of one span (its values, documents, the span itself) is kept alive by the
   * thread or seen by the next span.
   */
  private static final class Scratch {
    final SpanScan scan;
    final Changes changes = new Changes();
    final AnyValue[] resolved;
    final ArrayList<Candidate> cands = new ArrayList<>();
    final Candidate.Pool pool = new Candidate.Pool();
    boolean inUse;

    Scratch(MappingTable table) {
      this.scan = new SpanScan(table);
      this.resolved = new AnyValue[table.targetCount()];
    }

    void release() {
      scan.release();
      changes.clear();
      Arrays.fill(resolved, null);
      cands.clear();
      pool.release();
      inUse = false;
    }
  }

  /**
   * The decisions for one span, applied together at the end. Also the test {@link
   * AttributeView#removeIf} applies: whether a key is one of those to remove.
   */
  private static final class Changes implements Predicate<String> {
    /** The values to write, in the order first written; a key written again keeps its place. */
    String[] writeKeys = new String[8];

    AnyValue[] writeValues = new AnyValue[8];
    int writeCount;

    final BitSet consumedAttrs = new BitSet();
    final BitSet keptAttrs = new BitSet();
    final BitSet consumedEvents = new BitSet();
    final BitSet keptEvents = new BitSet();

    /** Sources kept because they cannot be converted (for a target or more). */
    final BitSet unconvertible = new BitSet();

    /** Sources kept because only part of them was read (a JSON object with unmapped fields). */
    final BitSet partlyRead = new BitSet();

    /** What is removed: consumed and not kept (attributes, then events). */
    final BitSet gone = new BitSet();

    /**
     * Up to this many keys to remove are compared one by one (most keys differ in length: no hash,
     * no bytes read); beyond it they go into {@link #removeSet}, or a span with thousands of
     * sources would cost a comparison per source for each of its attributes.
     */
    private static final int LINEAR = 16;

    /**
     * Keys of the attributes to remove (every entry with such a key goes), up to {@link #LINEAR}.
     */
    private final String[] removeKeys = new String[LINEAR];

    /** All the keys to remove once there are more than {@link #LINEAR}, else null. */
    private HashSet<String> removeSet;

    int removeCount;

    void write(String key, AnyValue value) {
      int i = writeIndex(key);
      if (i >= 0) {
        writeValues[i] = value;
        return;
      }
      if (writeCount == writeKeys.length) {
        writeKeys = Arrays.copyOf(writeKeys, 2 * writeCount);
        writeValues = Arrays.copyOf(writeValues, 2 * writeCount);
      }
      writeKeys[writeCount] = key;
      writeValues[writeCount] = value;
      writeCount++;
    }

    /** Where {@code key} is among the writes, or -1. */
    int writeIndex(String key) {
      for (int i = 0; i < writeCount; i++) {
        if (writeKeys[i].equals(key)) {
          return i;
        }
      }
      return -1;
    }

    void removeKey(String key) {
      if (test(key)) {
        return;
      }
      if (removeCount < LINEAR) {
        removeKeys[removeCount++] = key;
        return;
      }
      if (removeSet == null) {
        removeSet = new HashSet<>(Arrays.asList(removeKeys));
      }
      removeSet.add(key);
      removeCount++;
    }

    /** Whether attributes with {@code key} are removed. */
    @Override
    public boolean test(String key) {
      if (removeSet != null) {
        return removeSet.contains(key);
      }
      for (int i = 0; i < removeCount; i++) {
        String k = removeKeys[i];
        if (k == key || k.equals(key)) { // most keys differ in length: no hash, no bytes read
          return true;
        }
      }
      return false;
    }

    void consume(Candidate c) {
      for (int a : c.attrs) {
        consumedAttrs.set(a);
      }
      for (int e : c.events) {
        consumedEvents.set(e);
      }
    }

    void keep(Candidate c) {
      for (int a : c.attrs) {
        keptAttrs.set(a);
      }
      for (int e : c.events) {
        keptEvents.set(e);
      }
    }

    void keepAttr(int a) {
      keptAttrs.set(a);
    }

    /** Forgets every decision (and lets go of the values) for the next span. */
    void clear() {
      Arrays.fill(writeKeys, 0, writeCount, null);
      Arrays.fill(writeValues, 0, writeCount, null);
      writeCount = 0;
      Arrays.fill(removeKeys, 0, Math.min(removeCount, LINEAR), null);
      removeSet = null;
      removeCount = 0;
      consumedAttrs.clear();
      keptAttrs.clear();
      consumedEvents.clear();
      keptEvents.clear();
      unconvertible.clear();
      partlyRead.clear();
      gone.clear();
    }
  }
}
