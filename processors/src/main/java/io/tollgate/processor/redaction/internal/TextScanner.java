package io.tollgate.processor.redaction.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every local recogniser over one text: the built-ins in one pass, then each user pattern, minus
 * the allow-list.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class TextScanner {

  /** A user recogniser: an entity type, a compiled pattern, a validator and a score. */
  public record CustomPattern(
      String entityType, Pattern pattern, Validator validator, double score) {}

  /** An extra check on a pattern match. */
  public enum Validator {
    NONE,
    LUHN,
    IBAN;

    boolean accepts(CharSequence match) {
      switch (this) {
        case LUHN:
          return Validators.luhn(match);
        case IBAN:
          return Validators.iban(match);
        default:
          return true;
      }
    }
  }

  private final BuiltinScanner builtins;
  private final List<CustomPattern> custom;
  private final Set<String> allowList;

  public TextScanner(
      Set<Builtin> enabled, List<CustomPattern> custom, Collection<String> allowList) {
    this.builtins = new BuiltinScanner(enabled);
    this.custom = List.copyOf(custom);
    this.allowList =
        allowList.stream()
            .map(a -> a.trim().toLowerCase(Locale.ROOT))
            .filter(a -> !a.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }

  /** Raw findings (may overlap) in {@code text}; {@code contextKey} is the key that holds it. */
  public List<Finding> scan(String text, String contextKey) {
    List<Finding> found = builtins.scan(text, contextKey);
    if (!custom.isEmpty()) {
      found = scanCustom(text, found);
    }
    if (!allowList.isEmpty() && !found.isEmpty()) {
      found = withoutAllowed(text, found);
    }
    return found;
  }

  /**
   * {@link #scan(String, String)} over {@code chars[offset, offset + length)} (a JSON leaf in the
   * parser's buffer), with offsets relative to {@code offset}. Makes a String of the text only for
   * user patterns or to check findings against the allow-list.
   */
  public List<Finding> scan(char[] chars, int offset, int length, String contextKey) {
    if (!custom.isEmpty()) {
      return scan(new String(chars, offset, length), contextKey);
    }
    List<Finding> found = builtins.scan(chars, offset, length, contextKey);
    if (!allowList.isEmpty() && !found.isEmpty()) {
      found = withoutAllowed(new String(chars, offset, length), found);
    }
    return found;
  }

  /**
   * {@link #scan(char[], int, int, String)} of {@code chars[0, length)} from {@code start} (see
   * {@link BuiltinScanner#scanFrom}); only without user patterns and for a context key that does
   * not name a secret, as {@link #firstPossible} tells (it is then past the text's start).
   */
  public List<Finding> scanFrom(char[] chars, int length, int start) {
    List<Finding> found = builtins.scanFrom(chars, length, start);
    if (!allowList.isEmpty() && !found.isEmpty()) {
      found = withoutAllowed(new String(chars, 0, length), found);
    }
    return found;
  }

  /**
   * False when {@link #scan(String, String)} surely finds nothing in the text whose UTF-8 is {@code
   * utf8[from, to)}, as plain text or as the leaves of a JSON document: it may then stay undecoded.
   * User patterns are regular expressions over characters: with any, the text must be scanned.
   */
  public boolean mayFind(byte[] utf8, int from, int to, String contextKey) {
    return !custom.isEmpty() || builtins.mayFind(utf8, from, to, contextKey);
  }

  /**
   * Where {@link #mayFind} first sees something in {@code utf8[from, to)}, or -1 when it sees
   * nothing. A part of the text (a JSON leaf) that ends at or before that position holds nothing
   * but what its own context key may make of it ({@link #contextMayFind}); see {@link
   * BytePrefilter#firstTrigger}.
   */
  public int firstPossible(byte[] utf8, int from, int to, String contextKey) {
    return firstPossible(utf8, from, to, contextKey, from);
  }

  /**
   * {@link #firstPossible(byte[], int, int, String)} of a part of a text (a JSON leaf) that starts
   * before the whole text's first possible position {@code start}: the pre-filter's tests on the
   * part pass nowhere the tests on the whole did not (see {@link BytePrefilter#firstTrigger}), so
   * its walk may start there.
   */
  public int firstPossible(byte[] utf8, int from, int to, String contextKey, int start) {
    return !custom.isEmpty() ? from : builtins.firstPossible(utf8, from, to, contextKey, start);
  }

  /**
   * Whether a part of a text that ends before its {@link #firstPossible} position may still hold
   * something, held under {@code contextKey}: when the key names a secret, or with user patterns.
   */
  public boolean contextMayFind(String contextKey) {
    return !custom.isEmpty() || builtins.secretContext(contextKey);
  }

  private List<Finding> scanCustom(String text, List<Finding> found) {
    List<Finding> out = null;
    for (CustomPattern c : custom) {
      Matcher m = c.pattern().matcher(text);
      while (m.find()) {
        if (m.end() > m.start() && c.validator().accepts(text.subSequence(m.start(), m.end()))) {
          if (out == null) {
            out = new ArrayList<>(found);
          }
          out.add(new Finding(m.start(), m.end(), c.entityType(), c.score()));
        }
      }
    }
    return out == null ? found : out;
  }

  /** Drops findings whose text is on the allow-list (trimmed, case-insensitive). */
  public List<Finding> withoutAllowed(String text, List<Finding> found) {
    if (allowList.isEmpty() || found.isEmpty()) {
      return found;
    }
    List<Finding> out = null;
    for (int k = 0; k < found.size(); k++) {
      Finding f = found.get(k);
      boolean allowed =
          allowList.contains(text.substring(f.start(), f.end()).trim().toLowerCase(Locale.ROOT));
      if (allowed && out == null) {
        out = new ArrayList<>(found.subList(0, k));
      } else if (!allowed && out != null) {
        out.add(f);
      }
    }
    return out == null ? found : (out.isEmpty() ? Collections.emptyList() : out);
  }
}
