package io.tollgate.processor.redaction;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.RefusedException;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.AttributeView;
import io.tollgate.core.model.SpanEvent;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.Values;
import io.tollgate.core.telemetry.Counts;
import io.tollgate.core.telemetry.MetricNames;
import io.tollgate.processor.redaction.internal.Anonymizer;
import io.tollgate.processor.redaction.internal.Finding;
import io.tollgate.processor.redaction.internal.Findings;
import io.tollgate.processor.redaction.internal.JsonText;
import io.tollgate.processor.redaction.internal.PresidioAnalyzer;
import io.tollgate.processor.redaction.internal.TextScanner;
import io.tollgate.processor.redaction.internal.TextWindow;
import io.tollgate.processor.redaction.internal.Utf8Json;
import io.tollgate.processor.redaction.internal.Utf8Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes personal data from the content attributes of spans and span events before anything
 * downstream buffers or exports them.
 *
 * <p>Per batch: select the attributes to scan, split JSON values into their string leaves, run the
 * local recognisers on every leaf, ask Presidio (when configured) about all distinct leaves of the
 * batch in one request, merge both sets of findings, apply the operators, write the values back
 * (JSON stays JSON) and add a summary to each span that changed.
 *
 * <p>Without Presidio most values hold nothing, and only the few that do are worth any work: the
 * local path decodes a value's UTF-8 bytes into a reused buffer (no String, and nothing cached in
 * the message), scans JSON leaves straight from the parser's buffer, keeps only the leaves (and
 * values) with findings, and leaves clean values untouched, still as bytes, so that export copies
 * them instead of encoding them again.
 */
final class RedactionProcessor implements Processor {

  private static final Logger log = LoggerFactory.getLogger(RedactionProcessor.class);

  static final String ATTR_COUNT = "tollgate.redaction.count";
  static final String ATTR_ENTITIES = "tollgate.redaction.entities";
  static final String ATTR_PRESIDIO = "tollgate.redaction.presidio";
  static final String PRESIDIO_UNAVAILABLE = "unavailable";

  /** What a value becomes when it must not pass unscanned ({@code on_error: drop_content}). */
  static final String DROPPED = "<REDACTED:UNSCANNED>";

  /** Distinct entity types with their own metric series; the rest count as "other". */
  private static final int MAX_ENTITY_SERIES = 128;

  private final RedactionConfig config;
  private final TracesConsumer next;
  private final KeySelector keys;
  private final TextScanner scanner;
  private final Anonymizer anonymizer;
  private final PresidioAnalyzer presidio;
  private final OnError onError;
  private final MeterRegistry registry;
  private final Tags componentTags;
  private final Map<String, Counter> entityCounters = new ConcurrentHashMap<>();
  private final Counter degradedSpans;
  // Reused per thread: a clean value allocates nothing.
  private final ThreadLocal<JsonLeaves> jsonLeaves = ThreadLocal.withInitial(JsonLeaves::new);
  private final ThreadLocal<JsonByteLeaves> jsonByteLeaves =
      ThreadLocal.withInitial(JsonByteLeaves::new);
  private final ThreadLocal<ByteEditor> editors = ThreadLocal.withInitial(ByteEditor::new);

  /**
   * Whether values read on their bytes with local findings are edited on their bytes ({@link
   * ByteEditor}) where that gives the same output; false only in tests, which compare both paths.
   */
  private final boolean byteEdits;

  // Values written from a ByteEditor's bytes: for tests, which check that the edit path is taken.
  private final LongAdder byteEdited = new LongAdder();

  /** Where a rewritten JSON value is put together, per thread. */
  private static final ThreadLocal<Utf8Json.ByteSink> SINKS =
      ThreadLocal.withInitial(() -> new Utf8Json.ByteSink(1024));

  /** Scratch buffers longer than this are not kept for the next value on the thread. */
  private static final int MAX_KEPT_BYTES = 1 << 17;

  RedactionProcessor(
      RedactionConfig config,
      ComponentContext ctx,
      TracesConsumer next,
      TextScanner scanner,
      Anonymizer anonymizer,
      PresidioAnalyzer presidio) {
    this(config, ctx, next, scanner, anonymizer, presidio, true);
  }

  RedactionProcessor(
      RedactionConfig config,
      ComponentContext ctx,
      TracesConsumer next,
      TextScanner scanner,
      Anonymizer anonymizer,
      PresidioAnalyzer presidio,
      boolean byteEdits) {
    this.byteEdits = byteEdits;
    this.config = config;
    this.next = next;
    this.keys = new KeySelector(config);
    this.scanner = scanner;
    this.anonymizer = anonymizer;
    this.presidio = presidio;
    this.onError = config.presidio().onError();
    this.registry = ctx.meterRegistry();
    this.componentTags = componentTags(ctx);
    this.degradedSpans =
        Counter.builder("tollgate_redaction_presidio_degraded_spans")
            .description("Spans with content Presidio could not scan, handled as on_error says.")
            .tags(componentTags)
            .tag("on_error", onError.configName())
            .register(registry);
  }

  /**
   * The labels of every redaction metric: the processor id and its pipeline, as the collector's
   * processor metrics have them. A processor id used in two pipelines is two instances; without the
   * pipeline their counts would add up in one series. Bounded by the configuration.
   */
  static Tags componentTags(ComponentContext ctx) {
    return Tags.of(
        MetricNames.PROCESSOR, ctx.id().toString(), MetricNames.PIPELINE, ctx.pipeline());
  }

  // ------------------------------------------------------------------ the work of one batch

  /** One scanned string: a plain value, or one string leaf of a JSON value. */
  private static final class Segment {
    final String text;
    final String context;
    final List<Finding> local;
    List<Finding> remote;
    boolean unscanned;
    String result;
    // The anonymizer keeps text[0, keepBefore) and text[keepAfter, end) as they are (the text
    // before the first finding and after the last); -1 when unknown.
    int keepBefore = -1;
    int keepAfter;

    Segment(String text, String context, List<Finding> local) {
      this.text = text;
      this.context = context;
      this.local = local;
    }
  }

  /**
   * One string as stored in the span: plain (one segment) or JSON (a segment per leaf). On the
   * local path a JSON value keeps only its leaves with findings, numbered by {@code leafIndexes}.
   */
  private static final class TextValue {
    /** A value without findings on the local path: nothing to rewrite. */
    static final TextValue CLEAN = new TextValue(null, false, List.of());

    private final String original;
    final boolean json;
    final List<Segment> segments;
    final int[] leafIndexes; // null: a segment per leaf
    // A JSON value read on its UTF-8 bytes (Utf8Json): the bytes, each kept leaf's raw byte range
    // in them (between its quotes) and whether Jackson would write the document back as it is.
    final ByteString utf8;
    final int[] rawFrom;
    final int[] rawTo;
    // Where each kept leaf starts: before rawFrom when only a window of it was decoded (its
    // segment's text), see TextWindow.
    final int[] leafFrom;
    final boolean canonical;
    // A value edited on its bytes (ByteEditor): the new value (null when the edit changed no byte)
    // and the entity type of each finding, for the counts; no segments.
    final AnyValue edited;
    final String[] entities;

    TextValue(String original, boolean json, List<Segment> segments) {
      this(original, json, segments, null);
    }

    TextValue(String original, boolean json, List<Segment> segments, int[] leafIndexes) {
      this.original = original;
      this.json = json;
      this.segments = segments;
      this.leafIndexes = leafIndexes;
      this.utf8 = null;
      this.rawFrom = null;
      this.rawTo = null;
      this.leafFrom = null;
      this.canonical = false;
      this.edited = null;
      this.entities = null;
    }

    /** A value whose new bytes are made already: {@code edited}, or null when none changed. */
    TextValue(AnyValue edited, String[] entities) {
      this.original = null;
      this.json = false;
      this.segments = List.of();
      this.leafIndexes = null;
      this.utf8 = null;
      this.rawFrom = null;
      this.rawTo = null;
      this.leafFrom = null;
      this.canonical = false;
      this.edited = edited;
      this.entities = entities;
    }

    /** A JSON value read on its bytes, with the leaves numbered {@code leafIndexes} kept. */
    TextValue(
        ByteString utf8,
        List<Segment> segments,
        int[] leafIndexes,
        int[] rawFrom,
        int[] rawTo,
        int[] leafFrom,
        boolean canonical) {
      this.original = null;
      this.json = true;
      this.segments = segments;
      this.leafIndexes = leafIndexes;
      this.utf8 = utf8;
      this.rawFrom = rawFrom;
      this.rawTo = rawTo;
      this.leafFrom = leafFrom;
      this.canonical = canonical;
      this.edited = null;
      this.entities = null;
    }

    /** Leaf {@code k} as a whole: the part before its window decoded, then {@code window}. */
    private String wholeLeaf(int k, String window) {
      if (utf8 == null || leafFrom[k] == rawFrom[k]) {
        return window;
      }
      Utf8Text text = Utf8Text.get();
      text.load(utf8);
      try {
        int base = text.offset();
        char[] chars = new char[rawFrom[k] - leafFrom[k]];
        int n =
            Utf8Json.decodeLeaf(
                text.bytes(), base + leafFrom[k], base + rawFrom[k], true, chars, 0);
        return new String(chars, 0, n) + window;
      } finally {
        text.release();
      }
    }

    /** The value as a String (made on demand for a value read on its bytes: well-formed UTF-8). */
    String original() {
      return original != null ? original : utf8.toStringUtf8();
    }

    /** {@link #result()} as an attribute value: as bytes when the value was read as bytes. */
    AnyValue resultValue() {
      if (entities != null) {
        return edited;
      }
      if (utf8 != null && canonical) {
        AnyValue spliced = splice();
        if (spliced != null) {
          return spliced;
        }
      }
      return Values.of(result());
    }

    /**
     * The document with the changed leaves written into its bytes: what {@link JsonText#rewrite}
     * gives, as UTF-8, because Jackson writes a canonical document back byte for byte (see {@link
     * Utf8Json#canonical()}). Null when a new leaf holds a lone surrogate (the String path
     * decides).
     */
    private AnyValue splice() {
      Utf8Text text = Utf8Text.get();
      text.load(utf8);
      byte[] b = text.bytes();
      int base = text.offset();
      Utf8Json.ByteSink out = SINKS.get();
      int n = segments.size();
      String[] leaves = new String[n];
      int[] keepBefore = new int[n];
      int[] keepAfter = new int[n];
      int[] oldLength = new int[n];
      for (int k = 0; k < n; k++) {
        Segment s = segments.get(k);
        // A leaf as it came stays as it is: already as Jackson writes it.
        leaves[k] = s.result == null || s.result.equals(s.text) ? null : s.result;
        keepBefore[k] = s.keepBefore;
        keepAfter[k] = s.keepAfter;
        oldLength[k] = s.text.length();
      }
      try {
        if (!Utf8Json.splice(
            b,
            base,
            base + utf8.size(),
            rawFrom,
            rawTo,
            leaves,
            keepBefore,
            keepAfter,
            oldLength,
            n,
            out)) {
          return null;
        }
      } finally {
        text.release();
      }
      byte[] bytes = out.toByteArray();
      if (out.capacity() > MAX_KEPT_BYTES) {
        SINKS.set(new Utf8Json.ByteSink(1024));
      }
      return AnyValue.newBuilder()
          .setStringValueBytes(UnsafeByteOperations.unsafeWrap(bytes))
          .build();
    }

    boolean changed() {
      if (entities != null) {
        return edited != null;
      }
      for (Segment s : segments) {
        if (s.result != null && !s.result.equals(s.text)) {
          return true;
        }
      }
      return false;
    }

    String result() {
      if (!json) {
        Segment s = segments.get(0);
        return s.result != null ? s.result : s.text;
      }
      if (leafIndexes != null) {
        String[] leaves = new String[segments.size()];
        for (int k = 0; k < leaves.length; k++) {
          Segment s = segments.get(k);
          leaves[k] = wholeLeaf(k, s.result != null ? s.result : s.text);
        }
        return JsonText.rewrite(original(), leafIndexes, leaves, leaves.length);
      }
      List<String> leaves = new ArrayList<>(segments.size());
      for (Segment s : segments) {
        leaves.add(s.result != null ? s.result : s.text);
      }
      return JsonText.rewrite(original(), leaves);
    }
  }

  /** One attribute (or the status message) and the strings in its value, in tree order. */
  private static final class Target {
    final AttributeView view; // null for the status message
    final int index;
    final AnyValue original;
    final List<TextValue> texts;

    Target(AttributeView view, int index, AnyValue original, List<TextValue> texts) {
      this.view = view;
      this.index = index;
      this.original = original;
      this.texts = texts;
    }
  }

  private static final class SpanWork {
    final SpanRecord span;
    final List<Target> targets = new ArrayList<>(4);
    boolean unscanned;

    SpanWork(SpanRecord span) {
      this.span = span;
    }
  }

  @Override
  public CompletionStage<Void> consume(TraceBatch batch) {
    try {
      return process(batch);
    } catch (RuntimeException e) {
      // Never pass on a batch that was not fully scanned.
      log.error(
          "redaction: failed to process a batch of {}", Counts.of(batch.spanCount(), "span"), e);
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletionStage<Void> process(TraceBatch batch) {
    List<SpanWork> work = collect(batch);
    if (work.isEmpty()) {
      return next.consume(batch);
    }
    if (presidio == null) {
      apply(work);
      return next.consume(batch);
    }
    Set<String> texts = new LinkedHashSet<>();
    for (SpanWork w : work) {
      for (Target t : w.targets) {
        for (TextValue tv : t.texts) {
          for (Segment s : tv.segments) {
            if (!s.text.isBlank()) {
              texts.add(s.text);
            }
          }
        }
      }
    }
    if (texts.isEmpty()) {
      apply(work);
      return next.consume(batch);
    }
    return presidio
        .analyze(texts)
        .thenCompose(
            found -> {
              boolean anyUnscanned = attach(work, found);
              if (anyUnscanned && onError == OnError.REJECT) {
                return CompletableFuture.failedFuture(
                    RefusedException.unavailable(
                        "redaction: the Presidio analyzer is unavailable and on_error is reject;"
                            + " retry later"));
              }
              apply(work);
              return next.consume(batch);
            });
  }

  /** Gives each segment its Presidio findings; returns whether any segment has none. */
  private boolean attach(List<SpanWork> work, Map<String, List<Finding>> found) {
    boolean any = false;
    for (SpanWork w : work) {
      for (Target t : w.targets) {
        for (TextValue tv : t.texts) {
          for (Segment s : tv.segments) {
            if (s.text.isBlank()) {
              continue;
            }
            List<Finding> f = found.get(s.text);
            if (f == null) {
              s.unscanned = true;
              w.unscanned = true;
            } else {
              s.remote = f;
            }
          }
        }
      }
      if (w.unscanned) {
        any = true;
        degradedSpans.increment();
      }
    }
    return any;
  }

  // ------------------------------------------------------------------ collect

  private List<SpanWork> collect(TraceBatch batch) {
    List<SpanWork> out = new ArrayList<>();
    batch.forEachSpan(
        span -> {
          SpanWork w = null;
          AttributeView attrs = span.attributes();
          for (int i = 0, n = attrs.size(); i < n; i++) {
            String key = attrs.key(i);
            if (keys.selects(key)) {
              w = add(w, span, target(attrs, i, key));
            }
          }
          if (config.spanEvents()) {
            for (SpanEvent e : span.events()) {
              AttributeView ea = e.attributes();
              for (int i = 0, n = ea.size(); i < n; i++) {
                String key = ea.key(i);
                if (keys.selectsInEvent(e.name(), key)) {
                  w = add(w, span, target(ea, i, key));
                }
              }
            }
          }
          if (config.statusMessage() && !span.statusMessage().isEmpty()) {
            String msg = span.statusMessage();
            TextValue tv = textValue(msg, null);
            if (tv != TextValue.CLEAN) {
              List<TextValue> tvs = new ArrayList<>(1);
              tvs.add(tv);
              w = add(w, span, new Target(null, -1, Values.of(msg), tvs));
            }
          }
          if (w != null) {
            out.add(w);
          }
        });
    return out;
  }

  private static SpanWork add(SpanWork w, SpanRecord span, Target t) {
    if (t == null) {
      return w;
    }
    if (w == null) {
      w = new SpanWork(span);
    }
    w.targets.add(t);
    return w;
  }

  private Target target(AttributeView view, int index, String key) {
    AnyValue v = view.value(index);
    if (v.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
      TextValue tv = textValue(v, key);
      if (tv == TextValue.CLEAN) {
        return null;
      }
      List<TextValue> texts = new ArrayList<>(1);
      texts.add(tv);
      return new Target(view, index, v, texts);
    }
    List<TextValue> texts = new ArrayList<>(1);
    gather(v, key, texts);
    if (presidio == null && allClean(texts)) {
      return null;
    }
    return texts.isEmpty() ? null : new Target(view, index, v, texts);
  }

  private static boolean allClean(List<TextValue> texts) {
    for (TextValue tv : texts) {
      if (tv != TextValue.CLEAN) {
        return false;
      }
    }
    return true;
  }

  private void gather(AnyValue v, String context, List<TextValue> out) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        out.add(textValue(v, context));
        break;
      case ARRAY_VALUE:
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          gather(e, context, out);
        }
        break;
      case KVLIST_VALUE:
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          gather(kv.getValue(), kv.getKey(), out);
        }
        break;
      default:
        break;
    }
  }

  /**
   * The strings of {@code s} and their local findings. Without Presidio, {@link TextValue#CLEAN}
   * when there are none: only the local findings decide what changes, and a value without any is
   * left as it came.
   */
  private TextValue textValue(String s, String context) {
    if (presidio == null) {
      return localTextValue(s, context);
    }
    return remoteTextValue(s, context);
  }

  /**
   * {@link #textValue(String, String)} of a string value. The local path reads its UTF-8 bytes and
   * neither converts nor caches a String in {@code v}; Presidio needs Strings.
   */
  private TextValue textValue(AnyValue v, String context) {
    if (presidio == null) {
      return localTextValue(v.getStringValueBytes(), context);
    }
    return remoteTextValue(v.getStringValue(), context);
  }

  private TextValue remoteTextValue(String s, String context) {
    if (JsonText.looksLikeJson(s)) {
      List<JsonText.Leaf> leaves = JsonText.leaves(s);
      if (leaves != null) {
        List<Segment> segments = new ArrayList<>(leaves.size());
        for (JsonText.Leaf leaf : leaves) {
          String field = leaf.field() != null ? leaf.field() : context;
          segments.add(new Segment(leaf.text(), field, scanner.scan(leaf.text(), field)));
        }
        return new TextValue(s, true, segments);
      }
    }
    List<Segment> one = new ArrayList<>(1);
    one.add(new Segment(s, context, scanner.scan(s, context)));
    return new TextValue(s, false, one);
  }

  private TextValue localTextValue(String s, String context) {
    if (JsonText.looksLikeJson(s)) {
      JsonLeaves leaves = jsonLeaves.get().reset(context);
      if (JsonText.visitLeaves(s, leaves)) {
        return leaves.result(s);
      }
    }
    return plainTextValue(s, context, scanner.scan(s, context));
  }

  /**
   * {@link #localTextValue(String, String)} of the string whose UTF-8 is {@code utf8}: decoded into
   * a per-thread buffer and scanned there; a String of it is made only when something is found.
   * Offsets of findings are in chars of that String, as on the String path.
   */
  private TextValue localTextValue(ByteString utf8, String context) {
    Utf8Text text = Utf8Text.get();
    text.load(utf8);
    byte[] bytes = text.bytes();
    int from = text.offset();
    int to = from + text.size();
    // Most values hold nothing: one pass over the bytes shows it, and they are never decoded.
    int first = scanner.firstPossible(bytes, from, to, context);
    if (first < 0) {
      text.release();
      return TextValue.CLEAN;
    }
    if (Utf8Json.startsLikeDocument(bytes, from, to)) {
      // JSON on its bytes: only the leaves that may hold something are decoded and scanned; the
      // leaves before the pass's first possible trigger are clear already.
      Utf8Json walker = Utf8Json.get();
      JsonByteLeaves leaves = jsonByteLeaves.get().reset(context, from, to, first, walker);
      if (walker.walk(bytes, from, to, leaves)) {
        text.release();
        return leaves.result(utf8, bytes, walker.canonical());
      }
      // Not plain JSON to the byte walker: the char path decides.
      leaves.reset(null, 0, 0, 0, null);
    }
    if (!text.decodeLoaded()) {
      // Not well-formed UTF-8: the String that getStringValue() would give, with its U+FFFDs.
      return localTextValue(utf8.toStringUtf8(), context);
    }
    char[] chars = text.chars();
    int n = text.length();
    if (JsonText.looksLikeJson(chars, n)) {
      JsonLeaves leaves = jsonLeaves.get().reset(context);
      if (JsonText.visitLeaves(chars, n, leaves)) {
        return leaves.segments == null ? TextValue.CLEAN : leaves.result(text.string());
      }
    }
    List<Finding> found = scanner.scan(chars, 0, n, context);
    if (found.isEmpty()) {
      return TextValue.CLEAN;
    }
    if (byteEdits) {
      // The findings written into the value's bytes: no String of the text or of the result.
      ByteEditor editor = editors.get();
      editor.start(from, to, false);
      if (editor.edit(bytes, from, to, chars, found, 0, from)) {
        return editor.finish(bytes);
      }
    }
    return plainTextValue(text.string(), context, found);
  }

  private static TextValue plainTextValue(String s, String context, List<Finding> found) {
    if (found.isEmpty()) {
      return TextValue.CLEAN;
    }
    List<Segment> one = new ArrayList<>(1);
    one.add(new Segment(s, context, found));
    return new TextValue(s, false, one);
  }

  /**
   * Scans each leaf of a JSON value in the parser's buffer; keeps the ones with findings. One per
   * thread, {@link #reset} per value.
   */
  private final class JsonLeaves implements JsonText.LeafVisitor {
    String context;
    List<Segment> segments;
    int[] indexes;

    JsonLeaves reset(String context) {
      this.context = context;
      this.segments = null;
      return this;
    }

    /** The value {@code s} with the leaves found; hands them over. */
    TextValue result(String s) {
      if (segments == null) {
        return TextValue.CLEAN;
      }
      TextValue tv = new TextValue(s, true, segments, Arrays.copyOf(indexes, segments.size()));
      segments = null;
      return tv;
    }

    @Override
    public void leaf(int index, char[] chars, int offset, int length, String field) {
      String key = field != null ? field : context;
      List<Finding> found = scanner.scan(chars, offset, length, key);
      if (found.isEmpty()) {
        return;
      }
      if (segments == null) {
        segments = new ArrayList<>(4);
        indexes = new int[4];
      } else if (segments.size() == indexes.length) {
        indexes = Arrays.copyOf(indexes, indexes.length * 2);
      }
      indexes[segments.size()] = index;
      segments.add(new Segment(new String(chars, offset, length), key, found));
    }

    @Override
    public void restart() {
      segments = null;
    }
  }

  /**
   * {@link JsonLeaves} on a document's UTF-8 bytes ({@link Utf8Json}): a leaf is decoded and
   * scanned only when {@link TextScanner#mayFind} on its raw bytes says it may hold something. That
   * is the pre-filter's own promise, applied to one leaf: its characters are its raw bytes with the
   * JSON escapes decoded, scanned on their own with their field as the context, which is exactly
   * the case the pre-filter covers (a JSON leaf); positions before the leaf's first byte count as a
   * word start and are never looked at, as in the scan of the leaf. One per thread.
   *
   * <p>While the document is canonical, the leaves with findings are also edited on the bytes
   * ({@link ByteEditor}) as they come; at the end a canonical document takes that edit, any other
   * gets its leaves as {@link Segment}s (Strings of the decoded windows) for the String path.
   */
  private final class JsonByteLeaves implements Utf8Json.LeafVisitor {
    String context;
    int base;
    // Leaves that end at or before this byte are clear but for their context key.
    int clearUntil;
    String lastKey;
    boolean lastKeyMayFind;
    char[] chars = new char[256];
    Utf8Json walker;
    ByteEditor editor; // null when not editing (any more)
    // The leaves with findings: number, raw window (from, to) and leaf start (relative to base),
    // whether escaped, context key and findings; first `kept` entries.
    int kept;
    int[] indexes = new int[4];
    int[] rawFrom = new int[4];
    int[] rawTo = new int[4];
    int[] leafFrom = new int[4];
    boolean[] escapedLeaf = new boolean[4];
    String[] keys = new String[4];
    Object[] found = new Object[4];

    JsonByteLeaves reset(String context, int base, int end, int clearUntil, Utf8Json walker) {
      this.context = context;
      this.base = base;
      this.clearUntil = clearUntil;
      this.walker = walker;
      this.editor = null;
      if (walker != null && byteEdits) {
        editor = editors.get();
        editor.start(base, end, true);
      }
      forget();
      if (chars.length > MAX_KEPT_BYTES) {
        chars = new char[256];
      }
      return this;
    }

    private void forget() {
      Arrays.fill(keys, 0, kept, null);
      Arrays.fill(found, 0, kept, null);
      kept = 0;
    }

    /** The value {@code utf8} (whose bytes are {@code b[base, to)}) with the leaves found. */
    TextValue result(ByteString utf8, byte[] b, boolean canonical) {
      if (kept == 0) {
        return TextValue.CLEAN;
      }
      if (editor != null && canonical) {
        TextValue tv = editor.finish(b);
        forget();
        return tv;
      }
      int n = kept;
      List<Segment> segments = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        int from = base + rawFrom[k];
        int end = base + rawTo[k];
        if (chars.length < end - from) {
          chars = new char[Math.max(end - from, 2 * chars.length)];
        }
        int length = Utf8Json.decodeLeaf(b, from, end, escapedLeaf[k], chars);
        @SuppressWarnings("unchecked")
        List<Finding> f = (List<Finding>) found[k];
        segments.add(new Segment(new String(chars, 0, length), keys[k], f));
      }
      TextValue tv =
          new TextValue(
              utf8,
              segments,
              Arrays.copyOf(indexes, n),
              Arrays.copyOf(rawFrom, n),
              Arrays.copyOf(rawTo, n),
              Arrays.copyOf(leafFrom, n),
              canonical);
      forget();
      return tv;
    }

    @Override
    public void leaf(int index, byte[] b, int from, int to, boolean escaped, String field) {
      String key = field != null ? field : context;
      int first;
      if (to <= clearUntil) {
        // The fields of a document are a few cached Strings: ask once per run of the same one.
        if (key != lastKey) {
          lastKeyMayFind = scanner.contextMayFind(key);
          lastKey = key;
        }
        if (!lastKeyMayFind) {
          return;
        }
        first = from;
      } else {
        // The walk over the whole value passed no test before clearUntil; nor does the leaf's.
        first = scanner.firstPossible(b, from, to, key, Math.max(from, clearUntil));
        if (first < 0) {
          return;
        }
      }
      if (chars.length < to - from) {
        chars = new char[Math.max(to - from, 2 * chars.length)];
      }
      // A long leaf is decoded and scanned from shortly before its first possible trigger only.
      long window = first > from ? TextWindow.of(b, from, first) : -1;
      int windowFrom = from;
      int length;
      List<Finding> leafFound;
      // A char of the decoded text and its byte: where mapping findings to bytes may start.
      int loopChar = 0;
      int loopByte = from;
      if (window < 0) {
        length = Utf8Json.decodeLeaf(b, from, to, escaped, chars);
        leafFound = scanner.scan(chars, 0, length, key);
      } else {
        windowFrom = (int) (window >>> 32);
        int loopFrom = (int) window;
        int before = Utf8Json.decodeLeaf(b, windowFrom, loopFrom, escaped, chars, 0);
        length = before + Utf8Json.decodeLeaf(b, loopFrom, to, escaped, chars, before);
        leafFound = scanner.scanFrom(chars, length, before);
        loopChar = before;
        loopByte = loopFrom;
      }
      if (leafFound.isEmpty()) {
        return;
      }
      if (kept == indexes.length) {
        int m = 2 * kept;
        indexes = Arrays.copyOf(indexes, m);
        rawFrom = Arrays.copyOf(rawFrom, m);
        rawTo = Arrays.copyOf(rawTo, m);
        leafFrom = Arrays.copyOf(leafFrom, m);
        escapedLeaf = Arrays.copyOf(escapedLeaf, m);
        keys = Arrays.copyOf(keys, m);
        found = Arrays.copyOf(found, m);
      }
      int k = kept++;
      indexes[k] = index;
      rawFrom[k] = windowFrom - base;
      rawTo[k] = to - base;
      leafFrom[k] = from - base;
      escapedLeaf[k] = escaped;
      keys[k] = key;
      found[k] = leafFound;
      // A document that is no longer canonical is written by Jackson at the end: stop editing.
      if (editor != null
          && !(walker.canonicalSoFar()
              && editor.edit(b, windowFrom, to, chars, leafFound, loopChar, loopByte))) {
        editor = null;
      }
    }
  }

  /**
   * Edits a value on its UTF-8 bytes while its findings come, in document order: the bytes between
   * them are copied as they came, each replacement is written in the place of its finding's bytes
   * (JSON-escaped in a JSON leaf). That is the anonymizer's output, as the String path would encode
   * it, without a String of the text or of the result: in plain UTF-8 the bytes of unchanged text
   * are its encoding, and in a canonical document ({@link Utf8Json#canonical()}) they are what
   * Jackson writes for it. Refuses (the caller takes the String path) where that could differ: a
   * finding's edge inside a surrogate pair, or a replacement with a lone surrogate. The new value
   * is written once, into an array of exactly its size. One per thread.
   */
  private final class ByteEditor {
    private int base;
    private int end;
    private boolean json;
    private int count;
    // Per finding: its bytes [ranges[2k], ranges[2k + 1]) in the value's array, its replacement
    // (null: kept as it is) and entity type.
    private int[] ranges = new int[16];
    private String[] replacements = new String[8];
    private String[] entities = new String[8];
    private int size; // of the new value

    /** Starts on the value {@code b[base, end)}: plain text, or a JSON document ({@code json}). */
    void start(int base, int end, boolean json) {
      this.base = base;
      this.end = end;
      this.json = json;
      forget(); // an edit given up half way keeps nothing
      size = end - base;
    }

    private void forget() {
      Arrays.fill(entities, 0, count, null);
      Arrays.fill(replacements, 0, count, null);
      count = 0;
    }

    /**
     * Edits the findings {@code found} (offsets in {@code chars}, which hold the text whose raw
     * bytes are {@code b[from, to)}); false when they cannot be edited on the bytes. Char {@code
     * markChar} of the text starts at byte {@code markByte} (a character boundary): findings that
     * start there or later are mapped to bytes from there (a window's look-back is not walked).
     */
    boolean edit(
        byte[] b, int from, int to, char[] chars, List<Finding> found, int markChar, int markByte) {
      List<Finding> resolved = Findings.resolve(found);
      int n = resolved.size();
      if (resolved.get(0).start() < markChar) {
        markChar = 0;
        markByte = from;
      }
      if (ranges.length < 2 * (count + n)) {
        ranges = Arrays.copyOf(ranges, Math.max(2 * (count + n), 2 * ranges.length));
      }
      if (entities.length < count + n) {
        int m = Math.max(count + n, 2 * entities.length);
        entities = Arrays.copyOf(entities, m);
        replacements = Arrays.copyOf(replacements, m);
      }
      int at = 2 * count;
      for (int k = 0; k < n; k++) {
        Finding f = resolved.get(k);
        ranges[at + 2 * k] = f.start() - markChar;
        ranges[at + 2 * k + 1] = f.end() - markChar;
      }
      if (!Utf8Json.toRawOffsets(b, markByte, to, json, ranges, at, 2 * n)) {
        return false;
      }
      for (int k = 0; k < n; k++) {
        Finding f = resolved.get(k);
        String replacement;
        try {
          replacement = anonymizer.replacement(f.entityType(), chars, f.start(), f.end());
        } catch (RuntimeException e) {
          return false; // the String path fails the same way, and handles that
        }
        int raw = ranges[at + 2 * k + 1] - ranges[at + 2 * k];
        if (replacement != null) {
          int length = Utf8Json.encodedLength(replacement, json);
          if (length < 0) {
            return false; // a lone surrogate
          }
          size += length - raw;
        }
        replacements[count] = replacement;
        entities[count++] = f.entityType();
      }
      return true;
    }

    /**
     * Whether every finding's range starts and ends at a character of the value (not inside one's
     * UTF-8 sequence). The value was valid UTF-8 and each replacement is written from a String
     * without lone surrogates, so then the edited value is valid by construction and protobuf need
     * not check it again (2.4% of this processor's CPU samples in the 22:15 GenAI profile).
     */
    private boolean cutsAtCharacters(byte[] b) {
      for (int k = 0; k < 2 * count; k++) {
        int p = ranges[k];
        if (p < end && (b[p] & 0xC0) == 0x80) {
          return false;
        }
      }
      return true;
    }

    /** The value {@code b[base, end)} edited: null as the new value when no byte changed. */
    TextValue finish(byte[] b) {
      AnyValue edited = null;
      boolean replaces = false;
      for (int k = 0; k < count; k++) {
        replaces |= replacements[k] != null;
      }
      if (replaces) {
        Utf8Json.ByteSink out = new Utf8Json.ByteSink(size);
        int copied = base;
        for (int k = 0; k < count; k++) {
          int rawStart = ranges[2 * k];
          int rawEnd = ranges[2 * k + 1];
          String replacement = replacements[k];
          out.write(b, copied, rawStart);
          if (replacement == null) {
            out.write(b, rawStart, rawEnd);
          } else if (json) {
            Utf8Json.writeLeaf(replacement, out);
          } else {
            Utf8Json.writeUtf8(replacement, out);
          }
          copied = rawEnd;
        }
        out.write(b, copied, end);
        if (!out.contentEquals(b, base, end)) {
          // Exactly the new value's size: its array is the value's, no copy.
          edited =
              cutsAtCharacters(b)
                  ? Values.ofValidUtf8(out.array())
                  : AnyValue.newBuilder()
                      .setStringValueBytes(UnsafeByteOperations.unsafeWrap(out.array()))
                      .build();
        }
      }
      String[] types = Arrays.copyOf(entities, count);
      forget();
      return new TextValue(edited, types);
    }
  }

  // ------------------------------------------------------------------ apply

  private void apply(List<SpanWork> work) {
    for (SpanWork w : work) {
      Map<String, Integer> counts = new TreeMap<>();
      for (Target t : w.targets) {
        try {
          applyTarget(t, w.span, counts);
        } catch (RuntimeException e) {
          // Fail closed: a value we could not rewrite must not leave as it came.
          log.error(
              "redaction: could not rewrite a value of span {}; replaced it with {}",
              w.span.spanIdHex(),
              DROPPED,
              e);
          write(t, w.span, Values.of(DROPPED));
        }
      }
      if (w.unscanned && onError != OnError.REJECT) {
        w.span.attributes().put(ATTR_PRESIDIO, PRESIDIO_UNAVAILABLE);
      } else if (presidio != null && !w.unscanned) {
        // An upstream Tollgate could not reach its analyzer; this one scanned everything.
        w.span.attributes().remove(ATTR_PRESIDIO);
      }
      if (!counts.isEmpty()) {
        summarize(w.span, counts);
      }
    }
  }

  private void applyTarget(Target t, SpanRecord span, Map<String, Integer> counts) {
    boolean drop = false;
    boolean changed = false;
    for (TextValue tv : t.texts) {
      if (tv.entities != null) {
        // Edited on its bytes already: what the anonymizer would have counted, and whether the
        // edit changed anything.
        for (String e : tv.entities) {
          counts.merge(e, 1, Integer::sum);
        }
        changed |= tv.edited != null;
        byteEdited.increment();
        continue;
      }
      for (Segment s : tv.segments) {
        if (s.unscanned && onError == OnError.DROP_CONTENT) {
          drop = true;
        }
        List<Finding> all = s.local;
        if (s.remote != null && !s.remote.isEmpty()) {
          all = Findings.concat(all, scanner.withoutAllowed(s.text, s.remote));
        }
        if (all.isEmpty()) {
          continue;
        }
        List<Finding> resolved = Findings.resolve(all);
        s.result = anonymizer.apply(s.text, resolved, (e, n) -> counts.merge(e, n, Integer::sum));
        if (!resolved.isEmpty()) {
          s.keepBefore = resolved.get(0).start();
          s.keepAfter = resolved.get(resolved.size() - 1).end();
        }
        changed |= !s.result.equals(s.text);
      }
    }
    if (drop) {
      write(t, span, Values.of(DROPPED));
    } else if (changed) {
      Iterator<TextValue> it = t.texts.iterator();
      write(t, span, rebuild(t.original, it));
    }
  }

  private static AnyValue rebuild(AnyValue v, Iterator<TextValue> it) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        TextValue tv = it.next();
        return tv.changed() ? tv.resultValue() : v;
      case ARRAY_VALUE:
        ArrayValue.Builder array = ArrayValue.newBuilder();
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          array.addValues(rebuild(e, it));
        }
        return AnyValue.newBuilder().setArrayValue(array).build();
      case KVLIST_VALUE:
        KeyValueList.Builder list = KeyValueList.newBuilder();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          list.addValues(
              KeyValue.newBuilder().setKey(kv.getKey()).setValue(rebuild(kv.getValue(), it)));
        }
        return AnyValue.newBuilder().setKvlistValue(list).build();
      default:
        return v;
    }
  }

  private static void write(Target t, SpanRecord span, AnyValue value) {
    if (t.view == null) {
      span.setStatus(span.statusCode(), value.getStringValue());
    } else {
      t.view.setValue(t.index, value);
    }
  }

  private void summarize(SpanRecord span, Map<String, Integer> counts) {
    long total = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      total += e.getValue();
      entityCounter(e.getKey()).increment(e.getValue());
    }
    if (config.summary() == SummaryLevel.SILENT) {
      return;
    }
    AttributeView attrs = span.attributes();
    // A span redacted by an upstream Tollgate (sidecar, then gateway) keeps one running total.
    Long before = attrs.getLong(ATTR_COUNT);
    attrs.put(ATTR_COUNT, total + (before == null ? 0 : before));
    if (config.summary() == SummaryLevel.DEBUG) {
      Map<String, Integer> merged = new TreeMap<>(counts);
      String previous = attrs.getString(ATTR_ENTITIES);
      if (previous != null) {
        for (String part : previous.split(",")) {
          int eq = part.indexOf('=');
          if (eq > 0) {
            try {
              merged.merge(
                  part.substring(0, eq), Integer.parseInt(part.substring(eq + 1)), Integer::sum);
            } catch (NumberFormatException ignored) {
              // Not ours; overwritten below.
            }
          }
        }
      }
      StringBuilder sb = new StringBuilder();
      for (Map.Entry<String, Integer> e : merged.entrySet()) {
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(e.getKey()).append('=').append(e.getValue());
      }
      attrs.put(ATTR_ENTITIES, sb.toString());
    }
  }

  private Counter entityCounter(String entityType) {
    Counter c = entityCounters.get(entityType);
    if (c != null) {
      return c;
    }
    String label = entityCounters.size() < MAX_ENTITY_SERIES ? entityType : "other";
    return entityCounters.computeIfAbsent(
        label,
        l ->
            Counter.builder("tollgate_redaction_entities")
                .description("Entities redacted, by entity type.")
                .tags(componentTags)
                .tag("entity_type", l)
                .register(registry));
  }

  /** How many values were edited on their bytes so far (for tests). */
  long byteEditedValues() {
    return byteEdited.sum();
  }

  // ------------------------------------------------------------------ lifecycle

  @Override
  public void shutdown(Instant deadline) {
    if (presidio == null) {
      return;
    }
    // In-flight Presidio calls end by their timeout; give them until the deadline.
    while (presidio.inFlight() > 0 && Instant.now().isBefore(deadline)) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    int left = presidio.inFlight();
    if (left > 0) {
      log.warn("redaction: {} Presidio requests still in flight at shutdown", left);
    }
  }
}
