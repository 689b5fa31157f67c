package io.tollgate.processor.redaction.internal;

import io.tollgate.processor.internal.JsonEscapes;

/**
 * The string leaves of a JSON document without Jackson, for the common case: plain RFC 8259 JSON as
 * SDKs write it. It only ever says "done" for a document that Jackson parses into the same leaves
 * and fields; for anything else (NaN, comments, a second root value, unescaped control characters,
 * escaped field names, deep nesting, very long tokens, invalid syntax) it gives up and {@link
 * JsonText#visitLeaves} asks Jackson, which then decides as before.
 *
 * <p>Why: on GenAI payloads Jackson's string decoding (prompts are full of {@code \n}) cost about
 * as much as scanning the text for personal data. Here a leaf without escapes is handed over in
 * place, one with escapes is decoded run by run, and field names are shared through a small cache,
 * so a clean document allocates nothing.
 *
 * <p>One instance per thread ({@link #get()}); not thread-safe.
 *
 * <p>This class is internal and is not intended for public use.
 */
final class JsonLeafWalker {

  /** Deeper documents are left to Jackson (whose own limit is higher). */
  private static final int MAX_DEPTH = 64;

  /** Longer numbers, names and strings are left to Jackson and its read constraints. */
  private static final int MAX_NUMBER = 100;

  private static final int MAX_NAME = 1_000;
  private static final int MAX_STRING = 1 << 20;

  /** Scratch arrays longer than this are not kept for the next document on the thread. */
  private static final int MAX_KEPT_CHARS = 1 << 17;

  private static final ThreadLocal<JsonLeafWalker> WALKERS =
      ThreadLocal.withInitial(JsonLeafWalker::new);

  static JsonLeafWalker get() {
    return WALKERS.get();
  }

  /** Thrown (preallocated, without a stack) when the walker gives the document to Jackson. */
  private static final class GiveUp extends RuntimeException {
    GiveUp() {
      super("not plain JSON", null, false, false);
    }
  }

  private static final GiveUp GIVE_UP = new GiveUp();

  private char[] doc = new char[1024];
  private char[] decoded = new char[256];
  private int n;
  private int leafIndex;
  private JsonText.LeafVisitor visitor;
  // Field names seen lately, so that "role" and "content" are not a new String per document.
  private final String[] names = new String[64];

  /**
   * Gives {@code visitor} the string leaves of {@code s} in document order and returns true; or
   * returns false, possibly after some leaves, when {@code s} is not plain JSON.
   */
  boolean walk(String s, JsonText.LeafVisitor visitor) {
    n = s.length();
    char[] kept = null;
    if (n > doc.length) {
      char[] bigger = new char[Math.max(n, Math.min(2 * doc.length, MAX_KEPT_CHARS))];
      if (bigger.length > MAX_KEPT_CHARS) {
        kept = doc;
      }
      doc = bigger;
    }
    s.getChars(0, n, doc, 0);
    try {
      return walk(visitor);
    } finally {
      if (kept != null) {
        doc = kept;
      }
    }
  }

  /**
   * {@link #walk(String, JsonText.LeafVisitor)} of {@code chars[0, length)}, read in place (not
   * copied, not changed).
   */
  boolean walk(char[] chars, int length, JsonText.LeafVisitor visitor) {
    char[] own = doc;
    doc = chars;
    n = length;
    try {
      return walk(visitor);
    } finally {
      doc = own;
    }
  }

  private boolean walk(JsonText.LeafVisitor visitor) {
    this.visitor = visitor;
    leafIndex = 0;
    try {
      int i = value(skipSpace(0), null, 0);
      return skipSpace(i) == n;
    } catch (GiveUp | IndexOutOfBoundsException e) {
      return false;
    } finally {
      this.visitor = null;
    }
  }

  private int skipSpace(int i) {
    while (i < n) {
      char c = doc[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        break;
      }
      i++;
    }
    return i;
  }

  private int expect(int i) {
    if (i >= n) {
      throw GIVE_UP;
    }
    return i;
  }

  /** The value at {@code i} (no space before it); returns the position after it. */
  private int value(int i, String field, int depth) {
    char c = doc[expect(i)];
    switch (c) {
      case '{':
        return object(i + 1, depth + 1);
      case '[':
        return array(i + 1, field, depth + 1);
      case '"':
        return leaf(i + 1, field);
      case 't':
        return literal(i, "true");
      case 'f':
        return literal(i, "false");
      case 'n':
        return literal(i, "null");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number(i);
        }
        throw GIVE_UP;
    }
  }

  private int object(int i, int depth) {
    if (depth > MAX_DEPTH) {
      throw GIVE_UP;
    }
    i = skipSpace(i);
    if (doc[expect(i)] == '}') {
      return i + 1;
    }
    while (true) {
      if (doc[i] != '"') {
        throw GIVE_UP;
      }
      int end = stringEnd(i + 1);
      if (doc[end] != '"' || end - (i + 1) > MAX_NAME) {
        throw GIVE_UP; // an escaped name is rare: Jackson decodes it
      }
      String field = name(i + 1, end);
      i = skipSpace(end + 1);
      if (doc[expect(i)] != ':') {
        throw GIVE_UP;
      }
      i = value(skipSpace(i + 1), field, depth);
      i = skipSpace(i);
      char c = doc[expect(i)];
      if (c == '}') {
        return i + 1;
      }
      if (c != ',') {
        throw GIVE_UP;
      }
      i = skipSpace(i + 1);
      expect(i);
    }
  }

  private int array(int i, String field, int depth) {
    if (depth > MAX_DEPTH) {
      throw GIVE_UP;
    }
    i = skipSpace(i);
    if (doc[expect(i)] == ']') {
      return i + 1;
    }
    while (true) {
      i = skipSpace(value(i, field, depth));
      char c = doc[expect(i)];
      if (c == ']') {
        return i + 1;
      }
      if (c != ',') {
        throw GIVE_UP;
      }
      i = skipSpace(i + 1);
    }
  }

  /** The first '"', '\\' or control character from {@code i}. */
  private int stringEnd(int i) {
    while (i < n) {
      char c = doc[i];
      if (c == '"' || c == '\\' || c < 0x20) {
        return i;
      }
      i++;
    }
    throw GIVE_UP;
  }

  /** The string leaf whose contents start at {@code i}; returns the position after its quote. */
  private int leaf(int i, String field) {
    int end = stringEnd(i);
    if (doc[end] == '"') {
      check(end - i);
      visitor.leaf(leafIndex++, doc, i, end - i, field);
      return end + 1;
    }
    // Escapes: decode run by run into the scratch array.
    int len = 0;
    int p = i;
    while (true) {
      char c = doc[end];
      if (c < 0x20) {
        throw GIVE_UP; // Jackson refuses unescaped control characters
      }
      len = append(p, end, len);
      if (c == '"') {
        break;
      }
      char e = doc[expect(end + 1)];
      char out;
      int next = end + 2;
      int simple = JsonEscapes.charOf(e);
      if (simple >= 0) {
        out = (char) simple;
      } else if (e == 'u') {
        expect(end + 5);
        int v = 0;
        for (int k = end + 2; k < end + 6; k++) {
          int h = Character.digit(doc[k], 16);
          if (h < 0 || doc[k] >= 128) {
            throw GIVE_UP;
          }
          v = v << 4 | h;
        }
        out = (char) v;
        next = end + 6;
      } else {
        throw GIVE_UP;
      }
      if (len == decoded.length) {
        grow(len + 1);
      }
      decoded[len++] = out;
      p = next;
      end = stringEnd(p);
    }
    check(len);
    visitor.leaf(leafIndex++, decoded, 0, len, field);
    if (decoded.length > MAX_KEPT_CHARS) {
      decoded = new char[256];
    }
    return end + 1;
  }

  private static void check(int length) {
    if (length > MAX_STRING) {
      throw GIVE_UP;
    }
  }

  private int append(int from, int to, int len) {
    int count = to - from;
    if (len + count > decoded.length) {
      grow(len + count);
    }
    System.arraycopy(doc, from, decoded, len, count);
    return len + count;
  }

  private void grow(int min) {
    char[] bigger = new char[Math.max(min, 2 * decoded.length)];
    System.arraycopy(decoded, 0, bigger, 0, decoded.length);
    decoded = bigger;
  }

  /** The field name {@code doc[from, to)}, from the cache when seen lately. */
  private String name(int from, int to) {
    int len = to - from;
    int h = len;
    for (int k = from; k < to; k++) {
      h = 31 * h + doc[k];
    }
    int slot = (h ^ (h >>> 16)) & (names.length - 1);
    String cached = names[slot];
    if (cached != null && cached.length() == len) {
      int k = 0;
      while (k < len && cached.charAt(k) == doc[from + k]) {
        k++;
      }
      if (k == len) {
        return cached;
      }
    }
    String name = new String(doc, from, len);
    names[slot] = name;
    return name;
  }

  private int literal(int i, String word) {
    int len = word.length();
    expect(i + len - 1);
    for (int k = 0; k < len; k++) {
      if (doc[i + k] != word.charAt(k)) {
        throw GIVE_UP;
      }
    }
    return i + len;
  }

  /** A number in JSON's own syntax: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private int number(int i) {
    int start = i;
    if (doc[i] == '-') {
      i++;
    }
    char c = doc[expect(i)];
    if (c == '0') {
      i++;
    } else if (c >= '1' && c <= '9') {
      i = digits(i);
    } else {
      throw GIVE_UP;
    }
    if (i < n && doc[i] == '.') {
      int d = digits(i + 1);
      if (d == i + 1) {
        throw GIVE_UP;
      }
      i = d;
    }
    if (i < n && (doc[i] == 'e' || doc[i] == 'E')) {
      i++;
      if (i < n && (doc[i] == '+' || doc[i] == '-')) {
        i++;
      }
      int d = digits(i);
      if (d == i) {
        throw GIVE_UP;
      }
      i = d;
    }
    if (i - start > MAX_NUMBER) {
      throw GIVE_UP;
    }
    return i;
  }

  private int digits(int i) {
    while (i < n && doc[i] >= '0' && doc[i] <= '9') {
      i++;
    }
    return i;
  }
}
