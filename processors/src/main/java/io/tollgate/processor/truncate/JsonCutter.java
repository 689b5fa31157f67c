package io.tollgate.processor.truncate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Shortens GenAI message JSON ({@code gen_ai.input.messages} and its kind) so that the whole
 * attribute fits a limit while staying valid JSON with every message, role and part in place.
 *
 * <p>Only text is cut: first the strings under {@code content}, {@code arguments}, {@code
 * response} and {@code result}; if that cannot be enough, every other string except structural
 * fields ({@code role}, {@code type}, {@code id}, …). All cut strings share one cap, found by
 * binary search, so short parts stay whole and the long ones give up the space. Each cut string
 * ends with the suffix saying how much it lost. The result is what Jackson writes of the tree
 * with those strings cut.
 *
 * <p>Message JSON usually arrives exactly as Jackson writes it ({@code genai_normalize} writes it
 * so): then it is read and cut in place in one pass ({@link MessageJson}), without a tree, from
 * the {@code String} or from the UTF-8 bytes the value arrived as. Other JSON (spaces, other
 * escapes, repeated keys) is parsed by Jackson and its output cut the same way.
 */
final class JsonCutter {

  // Exact decimals: re-serialising must not turn 0.1 into 0.1000000000000000055511151231257827.
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private final String suffixBefore; // escaped as in JSON
  private final String suffixAfter; // escaped; null when the suffix has no number
  private final int suffixWidth; // written code points of the suffix without the number
  private final byte[] suffixBeforeUtf8; // suffixBefore in UTF-8
  private final byte[] suffixAfterUtf8; // suffixAfter in UTF-8; null when it is

  JsonCutter(Cutter cutter) {
    String before = cutter.suffixBefore();
    String after = cutter.suffixAfter();
    this.suffixBefore = escape(before);
    this.suffixAfter = after == null ? null : escape(after);
    this.suffixBeforeUtf8 = suffixBefore.getBytes(StandardCharsets.UTF_8);
    this.suffixAfterUtf8 =
        suffixAfter == null ? null : suffixAfter.getBytes(StandardCharsets.UTF_8);
    this.suffixWidth =
        escapedWidth(before, Cutter.cp(before))
            + (after == null ? 0 : escapedWidth(after, Cutter.cp(after)));
  }

  /**
   * The JSON in {@code json} shortened to at most {@code limit} code points; {@code json} itself
   * when it already fits; null when it is not a JSON object or array, or when even empty texts
   * would not fit (the caller then cuts the string as plain text).
   */
  String cut(String json, int limit) {
    StreamReadConstraints limits = JSON.getFactory().streamReadConstraints();
    MessageJson doc = MessageJson.read(json, true, limits);
    if (doc == null) {
      if (Cutter.cp(json) <= limit) {
        return json;
      }
      JsonNode root;
      try {
        root = JSON.readTree(json);
      } catch (JsonProcessingException e) {
        return null;
      }
      if (root == null || !root.isContainerNode()) {
        return null;
      }
      doc = MessageJson.read(root.toString(), false, limits);
      if (doc == null) {
        return null; // not reached: Jackson's own output reads
      }
    } else if (doc.width() <= limit) {
      return json;
    }
    return cut(doc, limit);
  }

  private String cut(MessageJson doc, int limit) {
    long plan = plan(doc, limit);
    return plan < 0 ? null : write(doc, (plan & 1) != 0, (int) (plan >>> 1));
  }

  /**
   * The same as {@link #cut(String, int)} for a document held as UTF-8 bytes ({@code doc} read by
   * {@link #read(byte[])}) that does not fit {@code limit}: the cut document's UTF-8 bytes, or null
   * when even empty texts would not fit.
   */
  byte[] cutUtf8(MessageJson doc, int limit) {
    long plan = plan(doc, limit);
    return plan < 0 ? null : writeUtf8(doc, (plan & 1) != 0, (int) (plan >>> 1));
  }

  /**
   * {@code utf8} read as message JSON, or null when the bytes reader cannot take it: then its text
   * must go through {@link #cut(String, int)}.
   */
  static MessageJson read(byte[] utf8) {
    return MessageJson.read(utf8, JSON.getFactory().streamReadConstraints());
  }

  /**
   * How to cut {@code doc} to {@code limit}: the cap on each cut string's code points, shifted
   * left by one, with bit 0 set when every non-structural string is cut (not only text); -1 when
   * even empty strings would not fit. Commits each cut string's prefix at the cap.
   */
  private long plan(MessageJson doc, int limit) {
    // The width with every text emptied, then with every other string emptied as well.
    long base = doc.width() - writtenWidth(doc, MessageJson.TEXT);
    boolean all = false;
    if (base + cappedWidth(doc, false, 0) > limit) {
      // Cutting message text is not enough: let every non-structural string give way too.
      all = true;
      base -= writtenWidth(doc, MessageJson.OTHER);
      if (base + cappedWidth(doc, true, 0) > limit) {
        return -1;
      }
    }
    int lo = 0;
    int hi = 0;
    for (int i = 0; i < doc.count(); i++) {
      if (all || doc.kind(i) == MessageJson.TEXT) {
        hi = Math.max(hi, doc.codePoints(i));
      }
    }
    // No cap above limit - base fits: some string is longer than the cap (else the document would
    // fit whole), and it takes at least the cap's width. The feasible caps are 0..answer (the
    // width grows with the cap), so a lower start finds the same answer while measuring prefixes
    // of a few thousand code points instead of a 30,000-character prompt.
    hi = (int) Math.min(hi, limit - base);
    while (lo < hi) {
      int mid = (int) (((long) lo + hi + 1) / 2);
      if (base + cappedWidth(doc, all, mid) <= limit) {
        lo = mid;
        for (int i = 0; i < doc.count(); i++) {
          if ((all || doc.kind(i) == MessageJson.TEXT) && doc.codePoints(i) > mid) {
            doc.commit(i, mid); // the next probes start here
          }
        }
      } else {
        hi = mid - 1;
      }
    }
    return ((long) lo << 1) | (all ? 1 : 0);
  }

  private static long writtenWidth(MessageJson doc, int kind) {
    long sum = 0;
    for (int i = 0; i < doc.count(); i++) {
      if (doc.kind(i) == kind) {
        sum += doc.writtenWidth(i);
      }
    }
    return sum;
  }

  /** Written width of the strings when each is capped at {@code cap} code points. */
  private long cappedWidth(MessageJson doc, boolean all, int cap) {
    long sum = 0;
    for (int i = 0; i < doc.count(); i++) {
      if (!all && doc.kind(i) != MessageJson.TEXT) {
        continue;
      }
      int codePoints = doc.codePoints(i);
      if (codePoints <= cap) {
        sum += doc.writtenWidth(i);
      } else {
        // A string is cut only when that makes it shorter written: keeps the search monotone.
        int cut = doc.prefixWidth(i, cap) + suffixWidth(codePoints - cap);
        sum += Math.min(cut, doc.writtenWidth(i));
      }
    }
    return sum;
  }

  private int suffixWidth(long cut) {
    return suffixAfter == null ? suffixWidth : suffixWidth + Cutter.digits(cut);
  }

  /** The document with the strings longer than {@code cap} cut; their prefixes are committed. */
  private String write(MessageJson doc, boolean all, int cap) {
    String json = doc.json();
    List<String> parts = null;
    int copied = 0;
    for (int i = 0; i < doc.count(); i++) {
      int codePoints = doc.codePoints(i);
      if ((!all && doc.kind(i) != MessageJson.TEXT) || codePoints <= cap) {
        continue;
      }
      long cut = codePoints - cap;
      if (doc.committedWidth(i) + suffixWidth(cut) >= doc.writtenWidth(i)) {
        continue;
      }
      if (parts == null) {
        parts = new ArrayList<>();
      }
      parts.add(json.substring(copied, doc.committedEnd(i)));
      parts.add(suffixAfter == null ? suffixBefore : suffixBefore + cut + suffixAfter);
      copied = doc.end(i);
    }
    if (parts == null) {
      return json;
    }
    parts.add(json.substring(copied));
    // One copy of exactly the right size and coder, where a StringBuilder copies twice or more.
    return String.join("", parts);
  }

  /** {@link #write} for a document read from UTF-8: the cut document's bytes. */
  private byte[] writeUtf8(MessageJson doc, boolean all, int cap) {
    byte[] in = doc.utf8();
    // First the size, then one copy into an array of exactly that size.
    int size = in.length;
    for (int i = 0; i < doc.count(); i++) {
      long cut = cutAt(doc, all, cap, i);
      if (cut > 0) {
        size -= doc.end(i) - doc.committedEnd(i);
        size += suffixBeforeUtf8.length;
        if (suffixAfterUtf8 != null) {
          size += Cutter.digits(cut) + suffixAfterUtf8.length;
        }
      }
    }
    byte[] out = new byte[size];
    int from = 0;
    int to = 0;
    for (int i = 0; i < doc.count(); i++) {
      long cut = cutAt(doc, all, cap, i);
      if (cut <= 0) {
        continue;
      }
      int n = doc.committedEnd(i) - from;
      System.arraycopy(in, from, out, to, n);
      to += n;
      System.arraycopy(suffixBeforeUtf8, 0, out, to, suffixBeforeUtf8.length);
      to += suffixBeforeUtf8.length;
      if (suffixAfterUtf8 != null) {
        to = Cutter.writeDigits(cut, out, to);
        System.arraycopy(suffixAfterUtf8, 0, out, to, suffixAfterUtf8.length);
        to += suffixAfterUtf8.length;
      }
      from = doc.end(i);
    }
    System.arraycopy(in, from, out, to, in.length - from);
    return out;
  }

  /** How many code points string {@code i} loses at {@code cap}; 0 when it is not cut. */
  private long cutAt(MessageJson doc, boolean all, int cap, int i) {
    int codePoints = doc.codePoints(i);
    if ((!all && doc.kind(i) != MessageJson.TEXT) || codePoints <= cap) {
      return 0;
    }
    long cut = codePoints - cap;
    if (doc.committedWidth(i) + suffixWidth(cut) >= doc.writtenWidth(i)) {
      return 0;
    }
    return cut;
  }

  /** {@code s} written as the content of a JSON string, as Jackson writes it. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c >= 0x20) {
        sb.append(c);
      } else if (c == '\b') {
        sb.append("\\b");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\f') {
        sb.append("\\f");
      } else if (c == '\r') {
        sb.append("\\r");
      } else {
        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return sb.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * Code points that the first {@code codePoints} code points of {@code s} take in Jackson's JSON
   * output: quotes, backslashes and control characters are escaped, nothing else is.
   */
  static int escapedWidth(String s, int codePoints) {
    int width = 0;
    int i = 0;
    for (int n = 0; n < codePoints && i < s.length(); n++) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (c == '"' || c == '\\') {
        width += 2;
      } else if (c < 0x20) {
        width += (c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r') ? 2 : 6;
      } else {
        width += 1;
      }
    }
    return width;
  }
}
