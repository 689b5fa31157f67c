package io.tollgate.core.model;

/**
 * Unsigned 32-bit protobuf varints (tags and lengths), for code that frames or edits encoded
 * requests: the scanner's cuts, {@link TraceBatch}'s encoder, {@code tail_sampling}'s edits.
 */
public final class Varints {

  private Varints() {}

  /** How many bytes {@code value} takes as a varint (1 to 5; a negative int takes 5). */
  public static int size(int value) {
    int n = 1;
    while ((value & ~0x7f) != 0) {
      value >>>= 7;
      n++;
    }
    return n;
  }

  /** Writes {@code value} as a varint at {@code at}; returns the position after it. */
  public static int write(byte[] out, int at, int value) {
    while ((value & ~0x7f) != 0) {
      out[at++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out[at++] = (byte) value;
    return at;
  }
}
