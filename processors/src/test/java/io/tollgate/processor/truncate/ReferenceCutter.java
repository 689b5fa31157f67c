package io.tollgate.processor.truncate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The truncate processor's string cutting as it was before the single-pass rewrite, kept verbatim
 * (plain text, message JSON through a Jackson tree, and the choice between them in the processor)
 * as the oracle that {@link TruncateEquivalenceTest} compares the current implementation with.
 */
final class ReferenceCutter {

  private final Plain plain;
  private final Json json;

  ReferenceCutter(String suffixFormat) {
    this.plain = new Plain(suffixFormat);
    this.json = new Json(plain);
  }

  /** What {@code TruncateProcessor.cutString} returned: the cut value, or null when it fits. */
  String cutString(String s, int limit, boolean jsonKey) {
    if (s.length() <= limit) {
      return null;
    }
    if (jsonKey && looksLikeJson(s) && Plain.cp(s) > limit) {
      String shortened = json.cut(s, limit);
      if (shortened != null) {
        return shortened;
      }
    }
    return plain.cut(s, limit);
  }

  /** The old {@code JsonCutter.cut}. */
  String cutJson(String s, int limit) {
    return json.cut(s, limit);
  }

  /** The old {@code Cutter.cut}. */
  String cutPlain(String s, int limit) {
    return plain.cut(s, limit);
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

  static final class Plain {

    private final String before; // suffix text before {n}
    private final String after; // after {n}; null when the format has no {n}
    private final int fixedLength; // code points of the suffix without the number

    Plain(String suffixFormat) {
      int at = suffixFormat.indexOf("{n}");
      if (at < 0) {
        before = suffixFormat;
        after = null;
      } else {
        before = suffixFormat.substring(0, at);
        after = suffixFormat.substring(at + 3);
      }
      fixedLength = cp(before) + (after == null ? 0 : cp(after));
    }

    String suffix(long cut) {
      return after == null ? before : before + cut + after;
    }

    int suffixLength(long cut) {
      return after == null ? fixedLength : fixedLength + digits(cut);
    }

    /**
     * {@code s} cut to at most {@code limit} code points, suffix included, or null when it already
     * fits. When not even the suffix fits, the value is cut to {@code limit} without one.
     */
    String cut(String s, int limit) {
      if (s.length() <= limit) {
        return null; // fast path: UTF-16 length bounds the code point count
      }
      int total = s.codePointCount(0, s.length());
      if (total <= limit) {
        return null;
      }
      int keep = keepFor(total, limit);
      if (keep < 0) {
        return s.substring(0, s.offsetByCodePoints(0, limit));
      }
      return s.substring(0, s.offsetByCodePoints(0, keep)) + suffix(total - keep);
    }

    /**
     * How many code points of a {@code total}-long value to keep so that they and the suffix fit
     * in {@code limit}; -1 when the suffix alone does not fit.
     */
    int keepFor(int total, int limit) {
      int keep = limit;
      // Each round lowers keep; a longer cut can only lengthen the number in the suffix.
      while (keep + suffixLength(total - keep) > limit) {
        keep = limit - suffixLength(total - keep);
        if (keep < 0) {
          return -1;
        }
      }
      return keep;
    }

    static int cp(String s) {
      return s.codePointCount(0, s.length());
    }

    private static int digits(long n) {
      int d = 1;
      while (n >= 10) {
        n /= 10;
        d++;
      }
      return d;
    }
  }

  static final class Json {

    // Exact decimals: re-serialising must not turn 0.1 into 0.1000000000000000055511151231257827.
    private static final ObjectMapper JSON =
        JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private static final Set<String> TEXT_FIELDS =
        Set.of("content", "arguments", "response", "result");
    private static final Set<String> STRUCTURAL_FIELDS =
        Set.of(
            "role", "type", "id", "name", "finish_reason", "mime_type", "modality", "tool_call_id",
            "call_id");

    private final Plain cutter;

    Json(Plain cutter) {
      this.cutter = cutter;
    }

    /** A string inside the JSON tree that may be cut. */
    private static final class Leaf {
      final JsonNode parent;
      final String field; // in an object
      final int index; // in an array
      final String text;
      final int codePoints;
      final int fullWidth; // serialised, escapes included

      Leaf(JsonNode parent, String field, int index, String text) {
        this.parent = parent;
        this.field = field;
        this.index = index;
        this.text = text;
        this.codePoints = text.codePointCount(0, text.length());
        this.fullWidth = escapedWidth(text, codePoints);
      }

      void set(String value) {
        if (parent instanceof ObjectNode o) {
          o.set(field, TextNode.valueOf(value));
        } else {
          ((ArrayNode) parent).set(index, TextNode.valueOf(value));
        }
      }
    }

    /**
     * The JSON in {@code json} shortened to at most {@code limit} code points, or null when it is
     * not a JSON object or array, or when even empty texts would not fit (the caller then cuts the
     * string as plain text).
     */
    String cut(String json, int limit) {
      JsonNode root;
      try {
        root = JSON.readTree(json);
      } catch (JsonProcessingException e) {
        return null;
      }
      if (root == null || !root.isContainerNode()) {
        return null;
      }
      List<Leaf> text = new ArrayList<>();
      List<Leaf> other = new ArrayList<>();
      collect(root, false, text, other);

      for (Leaf leaf : text) {
        leaf.set("");
      }
      List<Leaf> leaves = text;
      int base = width(root);
      if (base + cappedWidth(leaves, 0) > limit) {
        // Cutting message text is not enough: let every non-structural string give way too.
        for (Leaf leaf : other) {
          leaf.set("");
        }
        leaves = new ArrayList<>(text);
        leaves.addAll(other);
        base = width(root);
        if (base + cappedWidth(leaves, 0) > limit) {
          return null;
        }
      }
      int lo = 0;
      int hi = 0;
      for (Leaf leaf : leaves) {
        hi = Math.max(hi, leaf.codePoints);
      }
      while (lo < hi) {
        int mid = (int) (((long) lo + hi + 1) / 2);
        if (base + cappedWidth(leaves, mid) <= limit) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      for (Leaf leaf : leaves) {
        leaf.set(capped(leaf, lo));
      }
      String out = root.toString();
      return Plain.cp(out) <= limit ? out : null;
    }

    private void collect(JsonNode node, boolean inText, List<Leaf> text, List<Leaf> other) {
      if (node instanceof ObjectNode o) {
        for (Map.Entry<String, JsonNode> e : o.properties()) {
          boolean childInText = inText || TEXT_FIELDS.contains(e.getKey());
          JsonNode child = e.getValue();
          if (child.isTextual()) {
            if (childInText) {
              text.add(new Leaf(o, e.getKey(), -1, child.textValue()));
            } else if (!STRUCTURAL_FIELDS.contains(e.getKey())) {
              other.add(new Leaf(o, e.getKey(), -1, child.textValue()));
            }
          } else if (child.isContainerNode()) {
            collect(child, childInText, text, other);
          }
        }
      } else if (node instanceof ArrayNode a) {
        for (int i = 0; i < a.size(); i++) {
          JsonNode child = a.get(i);
          if (child.isTextual()) {
            (inText ? text : other).add(new Leaf(a, null, i, child.textValue()));
          } else if (child.isContainerNode()) {
            collect(child, inText, text, other);
          }
        }
      }
    }

    /** Serialised width of all leaves when each is capped at {@code cap} code points. */
    private long cappedWidth(List<Leaf> leaves, int cap) {
      long sum = 0;
      for (Leaf leaf : leaves) {
        sum += leaf.codePoints <= cap ? leaf.fullWidth : cutWidth(leaf, cap);
      }
      return sum;
    }

    /** A leaf is cut only when that makes it shorter once serialised: keeps the search monotone. */
    private int cutWidth(Leaf leaf, int cap) {
      String suffix = cutter.suffix(leaf.codePoints - cap);
      int cut = escapedWidth(leaf.text, cap) + escapedWidth(suffix, Plain.cp(suffix));
      return Math.min(cut, leaf.fullWidth);
    }

    private String capped(Leaf leaf, int cap) {
      if (leaf.codePoints <= cap) {
        return leaf.text;
      }
      String suffix = cutter.suffix(leaf.codePoints - cap);
      int cut = escapedWidth(leaf.text, cap) + escapedWidth(suffix, Plain.cp(suffix));
      if (cut >= leaf.fullWidth) {
        return leaf.text;
      }
      return leaf.text.substring(0, leaf.text.offsetByCodePoints(0, cap)) + suffix;
    }

    private static int width(JsonNode root) {
      return Plain.cp(root.toString());
    }

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
}
