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
import io.tollgate.core.model.ByteSlice;
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
 * the UTF-8 bytes (at least one byte per code point), so a value that fits is never converted to a
 * {@code String} (a value received as bytes) nor encoded (a value held as a String). A value that
 * is cut is cut on its UTF-8 bytes as well (plain text, and message JSON as Jackson writes it) and
 * passed on as bytes: neither decoded to UTF-16 nor encoded back for export.
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

  TruncateProcessor(KeyRules rules, Cutter cutter, Counter cutAttributes, TracesConsumer next) {
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
        case ARRAY_VALUE:
        case KVLIST_VALUE:
          // The encoded size bounds the code points of every string in the value: a short array
          // (gen_ai.response.finish_reasons, on every LLM span) needs no rule and no walk.
          if (encodedSize(v) <= smallest) {
            continue;
          }
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
   * The value cut to the rule's limit, or null when nothing needed cutting. In arrays and maps the
   * limit applies to each string inside.
   */
  private AnyValue cut(AnyValue v, KeyRules.Rule rule) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        {
          // Its encoded size bounds its code points without encoding a value held as a String.
          if (encodedSize(v) <= rule.limit()) {
            return null;
          }
          return cutUtf8(v.getStringValueBytes(), rule.limit(), rule.json());
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
   * An upper bound of the code points of a string value, or of each string in an array or map, that
   * converts nothing: its encoded size (the UTF-8 bytes, at least one per code point, plus tags and
   * lengths). Free for a value held as bytes; a value held as a String is measured once and
   * protobuf keeps the size, which export needs anyway. (Asking for its bytes would encode it, and
   * drop the String it holds.)
   */
  private static int encodedSize(AnyValue v) {
    return v.getSerializedSize();
  }

  /**
   * A string value held as {@code utf8} cut to {@code limit} code points, or null when it fits: the
   * same text as {@link #cutString} gives for the decoded value. Decided and cut on the bytes: a
   * value that fits stays bytes, and a cut one is made of its bytes, never decoded to UTF-16 and
   * encoded back. The rare value that the bytes path does not take (message JSON not written as
   * Jackson writes it, a suffix with a lone surrogate) is decoded and cut as a String.
   */
  AnyValue cutUtf8(ByteString utf8, int limit, boolean jsonKey) {
    if (utf8.size() <= limit) {
      return null; // at least one byte per code point
    }
    // Read in place: the value's own array, not a copy of it (a copy was 5.7% of all the bytes
    // the GenAI pipeline allocated). Only read: a cut value is a new array of its own.
    byte[] bytes = ByteSlice.readOnlyArray(utf8);
    MessageJson doc = null;
    boolean viaString = !cutter.utf8Exact();
    if (jsonKey && !viaString) {
      if (bytes[0] == '[' || bytes[0] == '{') {
        doc = JsonCutter.read(bytes);
        viaString = doc == null; // JSON the bytes reader does not take: the String path decides
      } else {
        viaString = startsWithSpace(bytes); // perhaps JSON after blanks: the String path decides
      }
    }
    // A document read has counted its code points.
    int total = doc != null ? doc.width() : Utf8Length.codePoints(bytes);
    if (total <= limit) {
      return null;
    }
    if (viaString) {
      String s = cutString(utf8.toStringUtf8(), limit, jsonKey);
      return s == null ? null : Values.of(s);
    }
    byte[] out = doc == null ? null : json.cutUtf8(doc, limit); // null: cut as text
    if (out == null) {
      out = cutter.cut(bytes, total, limit);
    }
    // The array is ours and never written again: the value wraps it without a copy. It is valid
    // UTF-8 by construction (a prefix cut before a lead byte of valid UTF-8, and a suffix without
    // lone surrogates), so protobuf need not check it again.
    return Values.ofValidUtf8(out);
  }

  /** Whether the value starts with a character that {@link #looksLikeJson} skips as blank. */
  private static boolean startsWithSpace(byte[] utf8) {
    int b = utf8[0] & 0xFF;
    if (b < 0x80) {
      return Character.isWhitespace(b);
    }
    // The first code point, decoded (the bytes are valid UTF-8, at least two of them here).
    int cp;
    if (b >= 0xF0) {
      return false; // beyond the BMP: no blanks there (and a surrogate, to a String, is none)
    } else if (b >= 0xE0) {
      cp = (b & 0x0F) << 12 | (utf8[1] & 0x3F) << 6 | (utf8[2] & 0x3F);
    } else {
      cp = (b & 0x1F) << 6 | (utf8[1] & 0x3F);
    }
    return Character.isWhitespace(cp);
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
