package io.tollgate.processor.redaction.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Cache key of a text: 128 bits of its SHA-256. The cache holds no prompt text, and a collision
 * (which would hand one text another's findings) cannot be crafted as it could with a
 * non-cryptographic hash.
 *
 * <p>This class is internal and is not intended for public use.
 */
public record TextKey(long hi, long lo, int length) {

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is not available", e);
            }
          });

  public static TextKey of(String text) {
    byte[] d = SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8));
    ByteBuffer b = ByteBuffer.wrap(d);
    return new TextKey(b.getLong(), b.getLong(), text.length());
  }
}
