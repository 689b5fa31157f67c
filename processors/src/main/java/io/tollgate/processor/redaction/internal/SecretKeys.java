package io.tollgate.processor.redaction.internal;

/**
 * Whether a key (an attribute key, a JSON field name, the word before {@code =}) names a secret.
 * Such a key's value is a secret whatever it looks like.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class SecretKeys {

  private SecretKeys() {}

  // Lower case; matched at the end of the key after a separator or a camelCase hump, so that
  // "db_password", "userPassword" and "x-api-key" match but "max_tokens" and "passwordless" don't.
  private static final String[] WORDS = {
    "password",
    "passwd",
    "pwd",
    "secret",
    "api_key",
    "apikey",
    "api-key",
    "access_key",
    "secret_key",
    "token",
    "access_token",
    "refresh_token",
    "private_key",
    "authorization",
    "credentials",
    "connection_string",
  };

  // Last letters of the words: most keys are rejected on their last character.
  private static final boolean[] LAST = new boolean[128];

  // The words by their last letter (lower case), for a walk back from the end of a key.
  private static final String[][] BY_LAST = new String[128][];

  static {
    for (int c = 0; c < 128; c++) {
      final int last = c;
      BY_LAST[c] =
          java.util.Arrays.stream(WORDS)
              .filter(w -> w.charAt(w.length() - 1) == last)
              .toArray(String[]::new);
    }
    for (String w : WORDS) {
      char c = w.charAt(w.length() - 1);
      LAST[c] = true;
      LAST[Character.toUpperCase(c)] = true;
    }
  }

  /** Whether a key ending in {@code last} may name a secret; false means it does not. */
  static boolean mayEndKey(char last) {
    return last < 128 && LAST[last];
  }

  /**
   * Whether {@code b[from, end)} ends with one of the words, ignoring ASCII case: a necessary
   * condition for a key ending at {@code end} to name a secret (see {@link BytePrefilter}).
   */
  static boolean mayEndWithKeyWord(byte[] b, int from, int end) {
    int last = b[end - 1];
    if (last < 0 || !LAST[last]) {
      return false;
    }
    for (String w : BY_LAST[last | 0x20]) {
      int p = end - w.length();
      if (p < from) {
        continue;
      }
      int k = w.length() - 2; // the last character matched already
      while (k >= 0) {
        int c = b[p + k];
        if (c >= 'A' && c <= 'Z') {
          c |= 0x20;
        }
        if (c != w.charAt(k)) {
          break;
        }
        k--;
      }
      if (k < 0) {
        return true;
      }
    }
    return false;
  }

  public static boolean isSecretKey(CharSequence key) {
    return isSecretKey(key, 0, key.length());
  }

  /** Whether {@code key[from, to)} names a secret. */
  public static boolean isSecretKey(CharSequence key, int from, int to) {
    int n = to - from;
    if (n < 3 || n > 128) {
      return false;
    }
    if (!mayEndKey(key.charAt(to - 1))) {
      return false;
    }
    for (String w : WORDS) {
      int p = to - w.length();
      if (p < from || !endsWithIgnoreCase(key, w, p)) {
        continue;
      }
      if (p == from) {
        return true;
      }
      char before = key.charAt(p - 1);
      char first = key.charAt(p);
      if (!Character.isLetterOrDigit(before)
          || (Character.isUpperCase(first) && Character.isLowerCase(before))) {
        return true;
      }
    }
    return false;
  }

  private static boolean endsWithIgnoreCase(CharSequence key, String lowerWord, int from) {
    for (int i = 0; i < lowerWord.length(); i++) {
      char c = key.charAt(from + i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c | 0x20);
      }
      if (c != lowerWord.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
