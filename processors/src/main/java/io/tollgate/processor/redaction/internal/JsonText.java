package io.tollgate.processor.redaction.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Attribute values that are JSON documents (GenAI messages, tool arguments, entity inputs): their
 * string leaves are what gets scanned, and the document is written back with only those leaves
 * changed, so it stays valid JSON with its keys, roles and numbers intact.
 *
 * <p>Streaming, without a tree: a clean document costs one parse and no output.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class JsonText {

  /** A string leaf and the field that holds it (the enclosing field for array elements). */
  public record Leaf(String text, String field) {}

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
}
