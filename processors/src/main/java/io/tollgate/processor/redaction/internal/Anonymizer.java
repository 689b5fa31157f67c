package io.tollgate.processor.redaction.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Applies operators to resolved findings, locally: Presidio's anonymizer would cost a second round
 * trip per text (it has no batch form) for string surgery that takes microseconds here.
 *
 * <p>{@code hash} is HMAC-SHA256 under a configured key, written {@code <ENTITY_TYPE:hex>}. Unlike
 * Presidio's unsalted hash (random salt per call) it gives the same pseudonym for the same value on
 * every span, replica and restart, so that a user's requests can still be correlated; without the
 * key it can be neither reversed nor confirmed by hashing guesses.
 *
 * <p>Thread-safe.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class Anonymizer {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final Map<String, Operator> byEntity;
  private final Operator fallback;
  private final int hashLength;
  private final ThreadLocal<Mac> mac;
  // "<ENTITY_TYPE>" per entity type seen: the default replacement, made once.
  private final Map<String, String> tags = new ConcurrentHashMap<>();

  /** Builders longer than this are not kept for the next text on the thread. */
  private static final int MAX_KEPT_CHARS = 1 << 17;

  // One builder per thread, reused: a fresh one per text grows (and, for text with any
  // non-Latin-1 character, widens) its array while the text is copied in, all garbage.
  private static final ThreadLocal<StringBuilder> BUILDERS =
      ThreadLocal.withInitial(() -> new StringBuilder(1024));

  /**
   * @param byEntity operator per entity type
   * @param fallback operator for other entity types
   * @param hashKey HMAC key; may be empty when no operator hashes
   * @param hashLength hex characters kept from the HMAC
   */
  public Anonymizer(
      Map<String, Operator> byEntity, Operator fallback, byte[] hashKey, int hashLength) {
    this.byEntity = Map.copyOf(byEntity);
    this.fallback = fallback;
    this.hashLength = hashLength;
    byte[] key = hashKey.clone();
    this.mac =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac m = Mac.getInstance("HmacSHA256");
                // An empty key is refused by SecretKeySpec; config validation requires a real one
                // whenever an operator hashes, so this placeholder is never used for output.
                m.init(new SecretKeySpec(key.length == 0 ? new byte[] {0} : key, "HmacSHA256"));
                return m;
              } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
              }
            });
  }

  public Operator operatorFor(String entityType) {
    Operator op = byEntity.get(entityType);
    return op != null ? op : fallback;
  }

  /**
   * {@code text} with every finding rewritten; {@code counted} sees each finding's entity type
   * (including {@code keep}).
   *
   * @param resolved non-overlapping findings in text order ({@link Findings#resolve})
   */
  public String apply(String text, List<Finding> resolved, BiConsumer<String, Integer> counted) {
    if (resolved.isEmpty()) {
      return text;
    }
    StringBuilder out = BUILDERS.get();
    out.setLength(0);
    int pos = 0;
    for (Finding f : resolved) {
      out.append(text, pos, f.start());
      String value = text.substring(f.start(), f.end());
      write(out, f.entityType(), value);
      counted.accept(f.entityType(), 1);
      pos = f.end();
    }
    out.append(text, pos, text.length());
    String result = out.toString();
    if (out.capacity() > MAX_KEPT_CHARS) {
      BUILDERS.set(new StringBuilder(1024));
    }
    return result;
  }

  /**
   * What {@link #apply} writes for one finding {@code chars[start, end)} of {@code entityType}, or
   * null when the operator keeps it as it is ({@code keep}): for a caller that copies the rest of
   * the text as it came and writes only the replacements.
   */
  public String replacement(String entityType, char[] chars, int start, int end) {
    Operator op = operatorFor(entityType);
    switch (op.kind()) {
      case REPLACE:
        return op.newValue().isEmpty()
            ? tags.computeIfAbsent(entityType, e -> '<' + e + '>')
            : op.newValue();
      case MASK:
        {
          StringBuilder out = new StringBuilder(end - start);
          mask(out, new String(chars, start, end - start), op);
          return out.toString();
        }
      case HASH:
        return '<' + entityType + ':' + hash(new String(chars, start, end - start)) + '>';
      case REDACT:
        return "";
      case KEEP:
      default:
        return null;
    }
  }

  private void write(StringBuilder out, String entity, String value) {
    Operator op = operatorFor(entity);
    switch (op.kind()) {
      case REPLACE:
        if (op.newValue().isEmpty()) {
          out.append('<').append(entity).append('>');
        } else {
          out.append(op.newValue());
        }
        break;
      case MASK:
        mask(out, value, op);
        break;
      case HASH:
        out.append('<').append(entity).append(':').append(hash(value)).append('>');
        break;
      case REDACT:
        break;
      case KEEP:
      default:
        out.append(value);
    }
  }

  /** Presidio's mask: the first (or last) {@code chars_to_mask} characters; 0 means all. */
  private static void mask(StringBuilder out, String value, Operator op) {
    int cps = value.codePointCount(0, value.length());
    int masked = op.charsToMask() <= 0 ? cps : Math.min(op.charsToMask(), cps);
    int from = op.fromEnd() ? cps - masked : 0;
    int to = from + masked;
    int idx = 0;
    for (int cp = 0; cp < cps; cp++) {
      int code = value.codePointAt(idx);
      if (cp >= from && cp < to) {
        out.appendCodePoint(op.maskingCodePoint());
      } else {
        out.appendCodePoint(code);
      }
      idx += Character.charCount(code);
    }
  }

  /** Lower-case hex of HMAC-SHA256(value), cut to the configured length. */
  public String hash(String value) {
    byte[] digest = mac.get().doFinal(value.getBytes(StandardCharsets.UTF_8));
    char[] hex = new char[hashLength];
    for (int i = 0; i < hashLength; i++) {
      int b = digest[i / 2] & 0xff;
      hex[i] = HEX[(i & 1) == 0 ? b >>> 4 : b & 0xf];
    }
    return new String(hex);
  }
}
