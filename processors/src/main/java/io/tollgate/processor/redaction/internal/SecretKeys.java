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

  public static boolean isSecretKey(CharSequence key) {
    int n = key.length();
    if (n < 3 || n > 128) {
      return false;
    }
    for (String w : WORDS) {
      int p = n - w.length();
      if (p < 0 || !endsWithIgnoreCase(key, w, p)) {
        continue;
      }
      if (p == 0) {
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
      if (Character.toLowerCase(key.charAt(from + i)) != lowerWord.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
