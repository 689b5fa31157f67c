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
 * Shortens GenAI message JSON ({@code gen_ai.input.messages} and its kind) so that the whole
 * attribute fits a limit while staying valid JSON with every message, role and part in place.
 *
 * <p>Only text is cut: first the strings under {@code content}, {@code arguments}, {@code
 * response} and {@code result}; if that cannot be enough, every other string except structural
 * fields ({@code role}, {@code type}, {@code id}, …). All cut strings share one cap, found by
 * binary search, so short parts stay whole and the long ones give up the space. Each cut string
 * ends with the suffix saying how much it lost.
 */
final class JsonCutter {

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

  private final Cutter cutter;

  JsonCutter(Cutter cutter) {
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
    return Cutter.cp(out) <= limit ? out : null;
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
    int cut = escapedWidth(leaf.text, cap) + escapedWidth(suffix, Cutter.cp(suffix));
    return Math.min(cut, leaf.fullWidth);
  }

  private String capped(Leaf leaf, int cap) {
    if (leaf.codePoints <= cap) {
      return leaf.text;
    }
    String suffix = cutter.suffix(leaf.codePoints - cap);
    int cut = escapedWidth(leaf.text, cap) + escapedWidth(suffix, Cutter.cp(suffix));
    if (cut >= leaf.fullWidth) {
      return leaf.text;
    }
    return leaf.text.substring(0, leaf.text.offsetByCodePoints(0, cap)) + suffix;
  }

  private static int width(JsonNode root) {
    return Cutter.cp(root.toString());
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
