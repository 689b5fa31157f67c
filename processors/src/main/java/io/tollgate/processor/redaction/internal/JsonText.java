package io.tollgate.processor.redaction.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Attribute values that are JSON documents (GenAI messages, tool arguments, entity inputs): their
 * string leaves are what gets scanned, and the document is written back with only those leaves
 * changed, so it stays valid JSON with its keys, roles and numbers intact.
 *
 * <p>Streaming, without a tree: a clean document costs one parse and no output. {@link
 * #visitLeaves} hands each leaf over in a parser's buffer ({@link JsonLeafWalker} for plain JSON,
 * else Jackson's), so that a document whose leaves hold nothing costs no string per leaf either.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class JsonText {

  /** A string leaf and the field that holds it (the enclosing field for array elements). */
  public record Leaf(String text, String field) {}

  /** Receives the string leaves of a document in document order, as {@link #leaves} lists them. */
  public interface LeafVisitor {
    /**
     * The leaf number {@code index}: {@code chars[offset, offset + length)}, valid during this call
     * only; {@code field} as in {@link Leaf#field()}.
     */
    void leaf(int index, char[] chars, int offset, int length, String field);

    /** Forget the leaves given so far: they will be given again, from the first. */
    void restart();
  }

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          // Python's json.dumps writes NaN and Infinity; keep them as they came.
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .build();

  private JsonText() {}

  /** Cheap test before parsing: an object or array by its first and last characters. */
  public static boolean looksLikeJson(String s) {
    int a = 0;
    int b = s.length() - 1;
    while (a <= b && Character.isWhitespace(s.charAt(a))) {
      a++;
    }
    while (b > a && Character.isWhitespace(s.charAt(b))) {
      b--;
    }
    if (b - a < 1) {
      return false;
    }
    char first = s.charAt(a);
    char last = s.charAt(b);
    return (first == '{' && last == '}') || (first == '[' && last == ']');
  }

  /** {@link #looksLikeJson(String)} of {@code chars[0, length)}. */
  public static boolean looksLikeJson(char[] chars, int length) {
    int a = 0;
    int b = length - 1;
    while (a <= b && Character.isWhitespace(chars[a])) {
      a++;
    }
    while (b > a && Character.isWhitespace(chars[b])) {
      b--;
    }
    if (b - a < 1) {
      return false;
    }
    char first = chars[a];
    char last = chars[b];
    return (first == '{' && last == '}') || (first == '[' && last == ']');
  }

  /** The string leaves of {@code s} in document order, or null when {@code s} is not JSON. */
  public static List<Leaf> leaves(String s) {
    List<Leaf> out = new ArrayList<>();
    try (JsonParser p = FACTORY.createParser(s)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.VALUE_STRING) {
          out.add(new Leaf(p.getText(), fieldOf(p.getParsingContext())));
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      // Not JSON (or cut short by an SDK limit): the caller scans it as plain text.
      return null;
    }
  }

  /**
   * Gives {@code visitor} the string leaves of {@code s} in document order, without making a String
   * of them. Returns false when {@code s} is not JSON, possibly after some leaves: the caller then
   * forgets them and scans {@code s} as plain text, as it would after {@link #leaves} returned
   * null. An exception from the visitor is not taken for bad JSON; it propagates.
   */
  public static boolean visitLeaves(String s, LeafVisitor visitor) {
    if (JsonLeafWalker.get().walk(s, visitor)) {
      return true;
    }
    // Not plain JSON: Jackson decides, as in leaves().
    visitor.restart();
    return visitWithJackson(s, visitor);
  }

  /**
   * {@link #visitLeaves(String, LeafVisitor)} of {@code chars[0, length)} (a value's characters in
   * a scratch buffer, see {@link Utf8Text}), read in place: a String of the text is made only when
   * it is not plain JSON and Jackson has to decide. The visitor must not change {@code chars}.
   */
  public static boolean visitLeaves(char[] chars, int length, LeafVisitor visitor) {
    if (JsonLeafWalker.get().walk(chars, length, visitor)) {
      return true;
    }
    visitor.restart();
    return visitWithJackson(new String(chars, 0, length), visitor);
  }

  private static boolean visitWithJackson(String s, LeafVisitor visitor) {
    JsonParser p;
    try {
      p = FACTORY.createParser(s);
    } catch (IOException | RuntimeException e) {
      return false;
    }
    try (p) {
      int index = 0;
      while (true) {
        char[] chars;
        int offset;
        int length;
        String field;
        try {
          JsonToken t = p.nextToken();
          if (t == null) {
            return true;
          }
          if (t != JsonToken.VALUE_STRING) {
            continue;
          }
          chars = p.getTextCharacters();
          offset = p.getTextOffset();
          length = p.getTextLength();
          field = fieldOf(p.getParsingContext());
        } catch (IOException | RuntimeException e) {
          return false; // not JSON, or cut short by an SDK limit
        }
        visitor.leaf(index++, chars, offset, length, field);
      }
    } catch (IOException e) {
      return false; // from close(); a string parser has nothing to close
    }
  }

  private static String fieldOf(JsonStreamContext ctx) {
    while (ctx != null) {
      if (ctx.inObject()) {
        return ctx.getCurrentName();
      }
      ctx = ctx.getParent();
    }
    return null;
  }

  /**
   * {@code s} with its string leaves replaced, in the order {@link #leaves} gave them.
   *
   * @throws IllegalStateException when {@code s} does not parse as it did before
   */
  public static String rewrite(String s, List<String> newLeaves) {
    StringWriter w = new StringWriter(s.length() + 64);
    try (JsonParser p = FACTORY.createParser(s);
        JsonGenerator g = FACTORY.createGenerator(w)) {
      int leaf = 0;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.VALUE_STRING) {
          g.writeString(newLeaves.get(leaf++));
        } else {
          g.copyCurrentEventExact(p);
        }
      }
      if (leaf != newLeaves.size()) {
        throw new IllegalStateException("leaf count changed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("JSON value could not be rewritten", e);
    }
    return w.toString();
  }

  /**
   * {@code s} with the string leaves numbered {@code indexes[0, count)} (ascending, as {@link
   * #visitLeaves} numbers them) replaced by {@code newLeaves}; the other leaves are written as they
   * were, so the result is what {@link #rewrite(String, List)} gives for the full list.
   *
   * @throws IllegalStateException when {@code s} does not parse as it did before
   */
  public static String rewrite(String s, int[] indexes, String[] newLeaves, int count) {
    CharArrayWriter w = WRITERS.get();
    w.reset();
    try (JsonParser p = FACTORY.createParser(s);
        JsonGenerator g = FACTORY.createGenerator(w)) {
      int leaf = 0;
      int k = 0;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.VALUE_STRING) {
          if (k < count && indexes[k] == leaf) {
            g.writeString(newLeaves[k++]);
          } else {
            g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
          }
          leaf++;
        } else {
          g.copyCurrentEventExact(p);
        }
      }
      if (k != count) {
        throw new IllegalStateException("leaf count changed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("JSON value could not be rewritten", e);
    }
    String out = w.toString();
    if (w.size() > MAX_KEPT_CHARS) {
      WRITERS.set(new CharArrayWriter(1024));
    }
    return out;
  }

  /** Writers longer than this are not kept for the next document on the thread. */
  private static final int MAX_KEPT_CHARS = 1 << 17;

  // Reused per thread: a fresh writer per document is a second copy of it, as garbage.
  private static final ThreadLocal<CharArrayWriter> WRITERS =
      ThreadLocal.withInitial(() -> new CharArrayWriter(1024));
}
