package io.tollgate.processor.truncate;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.AttributeView;
import io.tollgate.core.model.SpanEvent;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.Values;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps long string attributes of spans and span events. Truncates, never drops: a cut value ends
 * with a visible suffix, and the span counts its cut attributes in {@value #COUNT}.
 *
 * <p>Most attributes are short. For them the cost is one length comparison against the smallest
 * configured limit; only longer ones are looked up in the key rules. Lengths are first read from
 * the UTF-8 bytes (at least one byte per code point), so a value that fits is never converted to
 * a {@code String} (a value received as bytes) nor encoded (a value held as a String).
 */
final class TruncateProcessor implements Processor {

  private static final Logger LOG = LoggerFactory.getLogger(TruncateProcessor.class);

  /** Number of attributes (of the span and its events) this processor cut. */
  static final String COUNT = "tollgate.truncate.count";

  private final KeyRules rules;
  private final Cutter cutter;
  private final JsonCutter json;
  private final Counter cutAttributes;
  private final TracesConsumer next;

  TruncateProcessor(
      KeyRules rules, Cutter cutter, Counter cutAttributes, TracesConsumer next) {
    this.rules = rules;
    this.cutter = cutter;
    this.json = new JsonCutter(cutter);
    this.cutAttributes = cutAttributes;
    this.next = next;
  }

  @Override
  public CompletionStage<Void> consume(TraceBatch batch) {
    batch.forEachSpan(this::processSafely);
    return next.consume(batch);
  }

  private void processSafely(SpanRecord span) {
    try {
      process(span);
    } catch (RuntimeException e) {
      LOG.warn("truncate could not process span {}; passed on as it was", span.spanIdHex(), e);
    }
  }

  void process(SpanRecord span) {
    int cut = truncate(span.attributes());
    for (SpanEvent event : span.events()) {
      cut += truncate(event.attributes());
    }
    if (cut > 0) {
      AttributeView a = span.attributes();
      Long before = a.getLong(COUNT); // an earlier truncate in the pipeline
      a.put(COUNT, (before == null ? 0 : before) + cut);
      cutAttributes.increment(cut);
    }
  }

  /** Cuts what is too long in {@code attributes}; returns how many attributes it cut. */
  private int truncate(AttributeView attributes) {
    int smallest = rules.smallestLimit();
    int cut = 0;
    int n = attributes.size();
    for (int i = 0; i < n; i++) {
      AnyValue v = attributes.value(i);
      switch (v.getValueCase()) {
        case STRING_VALUE:
          if (encodedSize(v) <= smallest) {
            continue;
          }
          break;
        case ARRAY_VALUE:
        case KVLIST_VALUE:
          break;
        default:
          continue;
      }
      KeyRules.Rule rule = rules.ruleFor(attributes.key(i));
      if (rule.never()) {
        continue;
      }
      AnyValue replaced = cut(v, rule);
      if (replaced != null) {
        attributes.setValue(i, replaced);
        cut++;
        if (LOG.isDebugEnabled()) {
          LOG.debug("Cut attribute {} to {} characters", attributes.key(i), rule.limit());
        }
      }
    }
    return cut;
  }

  /**
   * The value cut to the rule's limit, or null when nothing needed cutting. In arrays and maps
   * the limit applies to each string inside.
   */
  private AnyValue cut(AnyValue v, KeyRules.Rule rule) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        {
          // Decide from the UTF-8 bytes first: a value that fits stays bytes (as it arrived),
          // and only a value that is cut is read as a String.
          if (encodedSize(v) <= rule.limit()) {
            return null;
          }
          ByteString utf8 = v.getStringValueBytes();
          if (utf8.size() <= rule.limit() || Utf8Length.codePoints(utf8) <= rule.limit()) {
            return null;
          }
          // The value is replaced: decode its bytes without making it hold a String as well.
          String s = cutString(utf8.toStringUtf8(), rule.limit(), rule.json());
          return s == null ? null : Values.of(s);
        }
      case ARRAY_VALUE:
        {
          ArrayValue array = v.getArrayValue();
          ArrayValue.Builder out = null;
          for (int i = 0; i < array.getValuesCount(); i++) {
            AnyValue element = cut(array.getValues(i), rule);
            if (element != null) {
              if (out == null) {
                out = array.toBuilder();
              }
              out.setValues(i, element);
            }
          }
          return out == null ? null : AnyValue.newBuilder().setArrayValue(out).build();
        }
      case KVLIST_VALUE:
        {
          KeyValueList list = v.getKvlistValue();
          KeyValueList.Builder out = null;
          for (int i = 0; i < list.getValuesCount(); i++) {
            KeyValue kv = list.getValues(i);
            AnyValue element = cut(kv.getValue(), rule);
            if (element != null) {
              if (out == null) {
                out = list.toBuilder();
              }
              out.setValues(i, kv.toBuilder().setValue(element));
            }
          }
          return out == null ? null : AnyValue.newBuilder().setKvlistValue(out).build();
        }
      default:
        return null;
    }
  }

  /**
   * An upper bound of a string value's code points that converts nothing: its encoded size (the
   * UTF-8 bytes, at least one per code point, plus tag and length). Free for a value held as
   * bytes; a value held as a String is measured once and protobuf keeps the size, which export
   * needs anyway. (Asking for its bytes would encode it, and drop the String it holds.)
   */
  private static int encodedSize(AnyValue v) {
    return v.getSerializedSize();
  }

  /** {@code s} cut to {@code limit} code points, or null when it fits. */
  String cutString(String s, int limit, boolean jsonKey) {
    if (s.length() <= limit) {
      return null; // UTF-16 length bounds the code point count
    }
    if (jsonKey && looksLikeJson(s)) {
      String shortened = json.cut(s, limit);
      if (shortened == s) {
        return null; // fits
      }
      if (shortened != null) {
        return shortened;
      }
      LOG.debug("Message JSON cannot fit {} characters as JSON; cutting it as text", limit);
    }
    return cutter.cut(s, limit);
  }

  private static boolean looksLikeJson(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '[' || c == '{';
      }
    }
    return false;
  }
}
